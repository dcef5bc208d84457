"""Benchmark: the same grid sequentially and on `local:2` (two dask worker processes sharing (run, fold) tasks).

The grid is the six linear-probe runs (3 backbones x 2 tasks, 10 folds each: 60 fold tasks), computed from the
feature cache into temporary results trees, so the committed results are untouched; the two trees must be equal.

Usage: python bench/scale.py   -> writes bench/scale.json
"""
import json, os, tempfile, time
from pathlib import Path

import pandas as pd

from mpox_nbdev.core import TASKS, project_root
from mpox_nbdev.grid import paper_grid, run_grid

def main():   # dask's local workers start by spawning: the script must be importable without running
    specs = paper_grid(['EfficientNetLite0', 'EfficientNetLite1', 'EfficientNetLite2'], TASKS, ('probe',))
    out = {'grid': [s.name for s in specs], 'fold_tasks': 10 * len(specs), 'cpus': os.cpu_count()}
    with tempfile.TemporaryDirectory() as d:
        for name, scheduler in (('sequential', None), ('local:2', 'local:2')):
            t0 = time.time(); run_grid(specs, scheduler, results=Path(d)/name); out[f'{name}_s'] = round(time.time() - t0, 1)
        out['same_results'] = all(pd.read_csv(s.results_dir(Path(d)/'sequential')/'folds.csv').drop(columns='wall_seconds')
                                  .equals(pd.read_csv(s.results_dir(Path(d)/'local:2')/'folds.csv').drop(columns='wall_seconds')) for s in specs)
    out['speedup'] = round(out['sequential_s'] / out['local:2_s'], 2)
    (project_root()/'bench'/'scale.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
