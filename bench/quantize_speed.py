"""Benchmark: the mobile stage's Table 4 measurement of one run (10 folds x 4 variants: convert to TFLite, score the
test fold) in this process, one fold after another, against the same folds on `local:2` (two dask worker processes).

It measures the shipped binary run from the fold heads already in the project's cache (run the grid first), into a
temporary cache, so nothing committed and no cached measurement is touched; both tables must be equal.

Usage: python bench/quantize_speed.py   -> writes bench/quantize_speed.json
"""
import json, os, shutil, time

import pandas as pd

from mpox_nbdev.core import project_root, results_dir, scratch_cache
from mpox_nbdev.export import quantization_table
from mpox_nbdev.spec import RunSpec

def main():   # dask's local workers start by spawning: the script must be importable without running
    card = json.loads((project_root()/'models'/'binary.json').read_text())
    spec = RunSpec.of_run(card['backbone'], card['task'], card['augment'], results_dir())
    out, tables = {'run': spec.name, 'folds': 10, 'cpus': os.cpu_count()}, {}
    with scratch_cache('features', 'heads') as d:
        for name, scheduler in (('sequential', None), ('local:2', 'local:2')):
            shutil.rmtree(d/'quantization', ignore_errors=True)
            t0 = time.time(); tables[name] = quantization_table(spec, scheduler=scheduler, progress=False); out[f'{name}_s'] = round(time.time() - t0, 1)
    out['same_rows'] = bool(tables['sequential'].equals(tables['local:2']))
    out['speedup'] = round(out['sequential_s'] / out['local:2_s'], 2)
    (project_root()/'bench'/'quantize_speed.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
