"""Benchmark: which settings of TensorFlow's CPU kernels change the backbone features, and by how much.

The features are the input of every head, so a last-bit difference in them moves the heads' probabilities a little
and, now and then, a Hyperband search's choice a lot; the reproduction report shows this when it runs on another
machine than the committed results. Each setting computes EfficientNet-Lite0 features of the same 32 OCSI crops in a
fresh process with an empty cache; the output gives the largest |difference| from the default setting.

Usage: python bench/kernel_numerics.py   -> writes bench/kernel_numerics.json
"""
import json, os, platform, subprocess, sys, tempfile
from pathlib import Path

import numpy as np

from mpox_nbdev.core import project_root

SETTINGS = {   # name -> environment variables of the process that computes the features
    'default': {},
    'tf threads 1': {'MPOX_TF_THREADS': '1'},
    'tf threads 2': {'MPOX_TF_THREADS': '2'},
    'tf threads 4': {'MPOX_TF_THREADS': '4'},
    'oneDNN capped at AVX-512': {'ONEDNN_MAX_CPU_ISA': 'AVX512_CORE'},
    'oneDNN capped at AVX2': {'ONEDNN_MAX_CPU_ISA': 'AVX2'},
    'oneDNN capped at SSE4.1 (no FMA)': {'ONEDNN_MAX_CPU_ISA': 'SSE41'},
    'oneDNN graph rewrites off': {'TF_ENABLE_ONEDNN_OPTS': '0'},
    'oneDNN graph rewrites off, capped at AVX2': {'TF_ENABLE_ONEDNN_OPTS': '0', 'ONEDNN_MAX_CPU_ISA': 'AVX2'},
}
CHILD = '''
import sys, numpy as np
from mpox_nbdev.core import limit_threads; limit_threads()
from mpox_nbdev.folds import load_manifest
from mpox_nbdev.features import extract_features
np.save(sys.argv[1], extract_features(load_manifest().iloc[:32], 'EfficientNetLite0', progress=False))
'''

def cpu_flags() -> dict:
    "The CPU's model and the vector extensions that decide oneDNN's kernels."
    info = Path('/proc/cpuinfo').read_text() if Path('/proc/cpuinfo').exists() else ''
    flags = next((l.split(':', 1)[1].split() for l in info.splitlines() if l.startswith('flags')), [])
    model = next((l.split(':', 1)[1].strip() for l in info.splitlines() if l.startswith('model name')), platform.processor())
    return {'cpu': model, **{f: f in flags for f in ('fma', 'avx2', 'avx512f', 'avx512_vnni', 'avx512_bf16')}}

def main():
    out, feats = {**cpu_flags(), 'images': 32, 'backbone': 'EfficientNetLite0'}, {}
    with tempfile.TemporaryDirectory() as d:
        for i, (name, env) in enumerate(SETTINGS.items()):
            f = Path(d)/f'{i}.npy'
            subprocess.run([sys.executable, '-c', CHILD, str(f)], check=True, stderr=subprocess.DEVNULL,
                           env={**os.environ, 'MPOX_CACHE_DIR': str(Path(d)/f'cache{i}'), 'TF_CPP_MIN_LOG_LEVEL': '3', **env})
            feats[name] = np.load(f)
    out['max_abs_diff_from_default'] = {k: float(np.abs(v - feats['default']).max()) for k, v in feats.items()}
    out['feature_scale'] = float(np.abs(feats['default']).max())
    (project_root()/'bench'/'kernel_numerics.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))

if __name__ == '__main__': main()
