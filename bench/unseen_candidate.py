"""What a user would see if another arm shipped: its models built as the shipped ones are (trained on all of OCSI, the
chosen out-of-distribution gate inside, full int8), run on the photos of OCSI's sources that are not in OCSI, each changed
at its own resolution and screened as `mpox predict` screens it (`mobile.write_unseen_robustness`), beside the shipped
files' rows of results/robustness/unseen.csv. Nothing in models/ or results/ is touched.

    .venv/bin/python bench/unseen_candidate.py [ARM] > bench/unseen_candidate.json     # default probestagesaug; about 3 min
"""
import json, os, sys, tempfile
from pathlib import Path

import pandas as pd

if __name__ == '__main__':
    arm, backbone = (sys.argv[1] if len(sys.argv) > 1 else 'probestagesaug'), 'EfficientNetLite0'
    tmp = Path(tempfile.mkdtemp()); os.environ['MPOX_MODELS_DIR'] = str(tmp/'models'); (tmp/'models').mkdir()
    from mpox_nbdev.core import results_dir
    from mpox_nbdev.export import to_tflite
    from mpox_nbdev.metrics import threshold_for_sensitivity
    from mpox_nbdev.mobile import shippable_model, write_unseen_robustness
    from mpox_nbdev.spec import RunSpec
    for task in ('binary', 'multiclass'):   # as build_mobile_results builds the shipped files
        spec = RunSpec.of_run(backbone, task, arm)
        model, _, _, _, (s, ys), gate, calib = shippable_model(spec)
        (tmp/'models'/f'{task}.tflite').write_bytes(to_tflite(model, 'full_int8', calib))
        card = {'task': task, 'classes': spec.classes, 'backbone': backbone, 'augment': arm, 'ood_threshold': gate['threshold']}
        if len(spec.classes) == 2: card['threshold'] = threshold_for_sensitivity(s[:, 0], ys == 0)
        (tmp/'models'/f'{task}.json').write_text(json.dumps(card, default=float))
    cand = write_unseen_robustness(results=tmp/'results')
    shipped = pd.read_csv(results_dir()/'robustness'/'unseen.csv')
    cols = ['task', 'backbone', 'augment', 'perturbation', 'photos', 'flip_rate', 'flip_rate_passed', 'gate_change_rate']
    json.dump({'arm': arm, 'backbone': backbone, 'candidate': cand[cols].round(6).to_dict('records'),
               'shipped': shipped[cols].round(6).to_dict('records')}, sys.stdout, indent=1); print()
