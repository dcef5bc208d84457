"""Head-search runs recomputed from scratch in a scratch results tree (`bench/grid.sh ... --scratch DIR`, all folds or
`--folds 0,7`) against the committed runs: per run, the largest absolute difference over every column of folds.csv
and predictions.csv on the folds the scratch tree holds (timings excluded), and how many of those folds chose
other hyper-parameters or ended with another test accuracy.
Usage: .venv/bin/python bench/grid_compare.py SCRATCH_RESULTS [COMMAND]  ->  bench/grid_reproduction.json"""
import json, sys, tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mpox_nbdev.compare import compare_file
from mpox_nbdev.core import results_dir

ROOT = Path(__file__).resolve().parents[1]
ARMS = ('noaug', 'aug', 'hbplus', 'gan')        # the arms whose heads Hyperband searches
HP = ('n_layers', 'units_0', 'units_1', 'units_2', 'lr', 'l2', 'dropout', 'dropout_0', 'dropout_1', 'dropout_2')
scratch, committed, tmp = Path(sys.argv[1]), results_dir(), Path(tempfile.mkdtemp())
runs = []
for d in sorted(p.parent for p in scratch.glob('*/*/*/folds.csv') if p.parts[-2] in ARMS):
    rel = d.relative_to(scratch)
    b = pd.read_csv(d/'folds.csv'); folds = sorted(b.fold)
    a = pd.read_csv(committed/rel/'folds.csv').set_index('fold').loc[folds].reset_index()
    rows = []
    for f in ('folds.csv', 'predictions.csv'):   # the committed file cut to the recomputed folds, then compared column by column
        c = pd.read_csv(committed/rel/f); c = c[c.fold.isin(folds)]
        for name, t in (('committed', c), ('reproduced', pd.read_csv(d/f))):   # a column empty on these folds (units_2 where no head
            (tmp/name).mkdir(exist_ok=True)                                       # has 3 layers) is written by neither run
            (tmp/name/f).write_text(t.dropna(axis=1, how='all').to_csv(index=False, lineterminator='\n'))
        rows += compare_file(tmp/'committed'/f, tmp/'reproduced'/f, f'{rel}/{f}')
    diffs = [r['max_abs_diff'] for r in rows if r['compared']]
    hp = [c for c in HP if c in a or c in b]
    x, y = (t.reindex(columns=hp).astype(float).to_numpy() for t in (a, b))
    runs.append({'run': str(rel), 'folds': folds, 'max_abs_diff': max(diffs),
                 'columns_beyond_1e-6': sorted({r['column'] for r in rows if r['compared'] and r['max_abs_diff'] > 1e-6}),
                 'accuracy_committed': round(a.accuracy.mean(), 6), 'accuracy_reproduced': round(b.accuracy.mean(), 6),
                 'folds_with_other_hyperparameters': int((~np.isclose(x, y, rtol=1e-9, equal_nan=True)).any(axis=1).sum()),
                 'folds_with_other_accuracy': int((~np.isclose(a.accuracy, b.accuracy, atol=1e-6)).sum())})
out = {'command': sys.argv[2] if len(sys.argv) > 2 else None, 'runs': runs, 'n_runs': len(runs),
       'n_folds': sum(len(r['folds']) for r in runs), 'max_abs_diff': max(r['max_abs_diff'] for r in runs),
       'identical_runs': sum(r['max_abs_diff'] == 0 for r in runs), 'runs_within_1e-6': sum(r['max_abs_diff'] <= 1e-6 for r in runs)}
(ROOT/'bench'/'grid_reproduction.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))
