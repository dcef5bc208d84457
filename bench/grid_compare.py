"""The paper's grid recomputed from scratch (`bench/grid.sh --augments noaug aug --skip-gan`, a scratch results tree)
against the committed runs: per run, the largest absolute difference over every column of folds.csv and
predictions.csv (timings excluded), and how many folds chose other hyper-parameters.
Usage: .venv/bin/python bench/grid_compare.py SCRATCH_RESULTS  ->  bench/grid_reproduction.json"""
import json, sys
from pathlib import Path

import numpy as np
import pandas as pd

from mpox_nbdev.compare import compare_file
from mpox_nbdev.core import results_dir

ROOT = Path(__file__).resolve().parents[1]
scratch, committed = Path(sys.argv[1]), results_dir()
runs = []
for d in sorted(p.parent for p in scratch.glob('*/*/*/folds.csv') if p.parts[-2] in ('noaug', 'aug')):
    rel = d.relative_to(scratch)
    rows = [r for f in ('folds.csv', 'predictions.csv') for r in compare_file(committed/rel/f, d/f, f'{rel}/{f}')]
    diffs = [r['max_abs_diff'] for r in rows if r['compared']]
    a, b = pd.read_csv(committed/rel/'folds.csv'), pd.read_csv(d/'folds.csv')
    hp = [c for c in ('n_layers', 'units_0', 'units_1', 'units_2', 'lr') if c in a]   # the numeric hyper-parameters
    x, y = a[hp].astype(float).to_numpy(), b[hp].astype(float).to_numpy()
    moved = int((~np.isclose(x, y, rtol=1e-5, equal_nan=True)).any(axis=1).sum())
    runs.append({'run': str(rel), 'max_abs_diff': max(diffs), 'accuracy_committed': round(a.accuracy.mean(), 6),
                 'accuracy_reproduced': round(b.accuracy.mean(), 6), 'folds_with_other_hyperparameters': moved,
                 'folds_with_other_accuracy': int((~np.isclose(a.accuracy, b.accuracy, atol=1e-6)).sum())})
out = {'runs': runs, 'max_abs_diff': max(r['max_abs_diff'] for r in runs),
       'identical_runs': sum(r['max_abs_diff'] == 0 for r in runs), 'n_runs': len(runs)}
(ROOT/'bench'/'grid_reproduction.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))
