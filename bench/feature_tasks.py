"""Benchmark: a grid's features computed once per backbone before its fold tasks (`feature_tasks`) against the
fold tasks alone, where the folds that two workers start side by side each compute the same features.

Two backbones x two arms that read many changed copies of each photo (`probeaug`, `probeposeaug`; binary, 10 folds:
40 fold tasks) on `local:2`, each way from an empty feature cache into a temporary results tree, so nothing committed
or cached is touched; both trees must be equal.

Usage: python bench/feature_tasks.py   -> writes bench/feature_tasks.json
"""
import json, os, tempfile, time
from pathlib import Path

import pandas as pd

from mpox_nbdev import grid
from mpox_nbdev.core import env_vars, project_root

def main():   # dask's local workers start by spawning: the script must be importable without running
    specs = grid.paper_grid(['EfficientNetLite0', 'EfficientNetLite1'], ['binary'], ('probeaug', 'probeposeaug'))
    out, real = {'grid': [s.name for s in specs], 'fold_tasks': 10 * len(specs), 'cpus': os.cpu_count()}, grid.feature_tasks
    with tempfile.TemporaryDirectory() as d:
        for name, tasks in (('fold_tasks_only', lambda specs: []), ('features_first', real)):
            grid.feature_tasks = tasks
            try:
                with env_vars(MPOX_CACHE_DIR=str(Path(d)/name/'cache')):
                    t0 = time.time(); grid.run_grid(specs, 'local:2', results=Path(d)/name/'results'); out[f'{name}_s'] = round(time.time() - t0, 1)
            finally: grid.feature_tasks = real
        read = lambda name, s, f: pd.read_csv(s.results_dir(Path(d)/name/'results')/f).drop(columns='wall_seconds', errors='ignore')
        out['same_results'] = all(read('fold_tasks_only', s, f).equals(read('features_first', s, f)) for s in specs for f in ('folds.csv', 'predictions.csv'))
    out['speedup'] = round(out['fold_tasks_only_s'] / out['features_first_s'], 2)
    (project_root()/'bench'/'feature_tasks.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
