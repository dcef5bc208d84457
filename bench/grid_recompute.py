"""Recompute the head-search runs (every backbone x both tasks x noaug/aug; an ablation's runs live under results/ablations) for some folds into a scratch
results tree, from a scratch cache that holds only the backbone features (no tuner projects, no heads), on `local:2`.
Then each recomputed run is compared with the committed one: per run, the largest absolute difference over every column
of folds.csv and predictions.csv on the folds recomputed (timings excluded), and how many of those folds chose other
hyper-parameters or ended with another test accuracy -> bench/grid_reproduction.json.
Usage: .venv/bin/python bench/grid_recompute.py SCRATCH [FOLDS, e.g. 0,7 or all] [ARMS, e.g. noaug,aug,hbplus]
       .venv/bin/python bench/grid_recompute.py --compare SCRATCH_RESULTS [COMMAND]   (compare a finished scratch tree only)"""
import json, os, sys, tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from mpox_nbdev.compare import compare_file
from mpox_nbdev.core import cache_dir, env_vars, results_dir
from mpox_nbdev.grid import paper_grid, run_grid

ROOT = Path(__file__).resolve().parents[1]
ARMS = ('noaug', 'aug', 'hbplus', 'gan')        # the arms whose heads Hyperband searches
HP = ('n_layers', 'units_0', 'units_1', 'units_2', 'lr', 'l2', 'dropout', 'dropout_0', 'dropout_1', 'dropout_2')

def compare(scratch: Path, command=None):
    "Each recomputed run of the scratch results tree `scratch` against the committed one -> bench/grid_reproduction.json."
    committed, tmp = results_dir(), Path(tempfile.mkdtemp())
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
    out = {'command': command, 'runs': runs, 'n_runs': len(runs),
           'n_folds': sum(len(r['folds']) for r in runs), 'max_abs_diff': max(r['max_abs_diff'] for r in runs),
           'identical_runs': sum(r['max_abs_diff'] == 0 for r in runs), 'runs_within_1e-6': sum(r['max_abs_diff'] <= 1e-6 for r in runs)}
    (ROOT/'bench'/'grid_reproduction.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))


def main():
    if sys.argv[1] == '--compare': return compare(Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)
    scratch = Path(sys.argv[1]).resolve()
    folds = 'all' if len(sys.argv) < 3 or sys.argv[2] == 'all' else [int(k) for k in sys.argv[2].split(',')]
    arms = tuple(sys.argv[3].split(',')) if len(sys.argv) > 3 else ('noaug', 'aug')
    (scratch/'cache'/'features').mkdir(parents=True, exist_ok=True)
    for d in (cache_dir()/'features').iterdir():   # the features are shared; every search and head is computed anew
        if not (scratch/'cache'/'features'/d.name).exists(): os.symlink(d, scratch/'cache'/'features'/d.name)
    with env_vars(MPOX_CACHE_DIR=str(scratch/'cache')):
        print(run_grid(paper_grid(augments=arms), 'local:2', folds=folds, results=scratch/'results').to_string(index=False))
    compare(scratch/'results', ' '.join(sys.argv))

if __name__ == '__main__':   # dask's workers are spawned processes that import this file
    main()
