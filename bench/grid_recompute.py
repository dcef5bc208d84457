"""Recompute the head-search runs (every backbone x both tasks x noaug/aug/hbplus) for some folds into a scratch
results tree, from a scratch cache that holds only the backbone features (no tuner projects, no heads), on `local:2`.
`bench/grid_compare.py SCRATCH/results` then says how far they are from the committed runs.
Usage: .venv/bin/python bench/grid_recompute.py SCRATCH [FOLDS, e.g. 0,7 or all] [ARMS, e.g. noaug,aug,hbplus]"""
import os, sys
from pathlib import Path

from mpox_nbdev.core import cache_dir, env_vars
from mpox_nbdev.grid import paper_grid, run_grid

def main():
    scratch = Path(sys.argv[1]).resolve()
    folds = 'all' if len(sys.argv) < 3 or sys.argv[2] == 'all' else [int(k) for k in sys.argv[2].split(',')]
    arms = tuple(sys.argv[3].split(',')) if len(sys.argv) > 3 else ('noaug', 'aug', 'hbplus')
    (scratch/'cache'/'features').mkdir(parents=True, exist_ok=True)
    for d in (cache_dir()/'features').iterdir():   # the features are shared; every search and head is computed anew
        if not (scratch/'cache'/'features'/d.name).exists(): os.symlink(d, scratch/'cache'/'features'/d.name)
    with env_vars(MPOX_CACHE_DIR=str(scratch/'cache')):
        print(run_grid(paper_grid(augments=arms), 'local:2', folds=folds, results=scratch/'results').to_string(index=False))

if __name__ == '__main__':   # dask's workers are spawned processes that import this file
    main()
