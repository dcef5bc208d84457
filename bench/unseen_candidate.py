"""What a user would see if another arm shipped: its models built as the shipped ones are (trained on all of OCSI, the
chosen out-of-distribution gate inside, full int8), run on the photos of OCSI's sources that are not in OCSI, each changed
at its own resolution and screened as `mpox predict` screens it (`mobile.write_unseen_robustness`), beside the shipped
files' rows of results/robustness/unseen.csv. Nothing in models/ or results/ is touched.

    .venv/bin/python bench/unseen_candidate.py [ARM] > bench/unseen_candidate.json     # default probestagesaug; about 3 min
"""
import json, os, sys, tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image

if __name__ == '__main__':
    arm, backbone = (sys.argv[1] if len(sys.argv) > 1 else 'probestagesaug'), 'EfficientNetLite0'
    tmp = Path(tempfile.mkdtemp()); os.environ['MPOX_MODELS_DIR'] = str(tmp/'models'); (tmp/'models').mkdir()
    from mpox_nbdev.core import data_root, results_dir
    from mpox_nbdev.experiment import gate_inputs
    from mpox_nbdev.export import full_model, to_tflite, train_default_model
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.images import load_array, parse_crop
    from mpox_nbdev.metrics import threshold_for_sensitivity
    from mpox_nbdev.mobile import gate_calibration_pictures, write_unseen_robustness
    from mpox_nbdev.ood import chosen_gate, gate_layer
    from mpox_nbdev.spec import RunSpec
    man = load_manifest()
    for task in ('binary', 'multiclass'):   # as build_mobile_results builds the shipped files
        spec = RunSpec.of_run(backbone, task, arm)
        _, head, hp, _, (s, ys) = train_default_model(spec)
        refs = lambda layer: gate_inputs(spec, man, layer=layer, progress=False)
        gate = chosen_gate(backbone, features=refs)
        model = full_model(backbone, head, gate=gate_layer(refs(gate['layer']), gate['k'], gate['pooled'])); size = model.input.shape[1]
        calib = np.stack([load_array(data_root()/f, parse_crop(c), size) for f, c in zip(man.file[::4], man.crop[::4])] +
                         [np.asarray(p.resize((size, size), Image.BILINEAR)) for p in gate_calibration_pictures()])
        (tmp/'models'/f'{task}.tflite').write_bytes(to_tflite(model, 'full_int8', calib))
        card = {'task': task, 'classes': spec.classes, 'backbone': backbone, 'augment': arm, 'ood_threshold': gate['threshold']}
        if len(spec.classes) == 2: card['threshold'] = threshold_for_sensitivity(s[:, 0], ys == 0)
        (tmp/'models'/f'{task}.json').write_text(json.dumps(card, default=float))
    cand = write_unseen_robustness(results=tmp/'results')
    shipped = pd.read_csv(results_dir()/'robustness'/'unseen.csv')
    cols = ['task', 'backbone', 'augment', 'perturbation', 'photos', 'flip_rate', 'flip_rate_passed', 'gate_change_rate']
    json.dump({'arm': arm, 'backbone': backbone, 'candidate': cand[cols].round(6).to_dict('records'),
               'shipped': shipped[cols].round(6).to_dict('records')}, sys.stdout, indent=1); print()
