"""Where one fold of the paper's Hyperband search spends its time (EfficientNet-Lite0, multiclass, noaug, fold 0,
features cached, a fresh tuner project): cProfile of `run_fold`, summarised as wall time, the share spent tracing
tf.functions, executing TensorFlow ops, Python's garbage collector, and the rest. Three runs: keras-tuner's own
trial set-up as it is (two full garbage collections per trial over every object of the process), ours
(`tuning.hyperband_search` freezes the objects that exist before the search, so the collections walk only what
the search made), and ours with Keras in eager mode, to see whether cutting the per-trial tracing pays.  Usage: .venv/bin/python bench/profile_fold.py  ->  bench/profile_fold.json"""
import cProfile, hashlib, json, resource, os, pstats, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / 'bench' / 'profile_fold.json'


def one(mode: str) -> dict:
    import keras
    from mpox_nbdev.core import scratch_cache
    from mpox_nbdev.experiment import run_fold
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.spec import RunSpec
    if mode == 'unfrozen':   # as keras-tuner does it alone: every trial's two collections walk every object of the process
        import gc
        gc.freeze = lambda: None
    if mode == 'eager':
        orig = keras.Model.compile
        keras.Model.compile = lambda self, *a, **k: orig(self, *a, **{**k, 'run_eagerly': True})
    man, spec = load_manifest(), RunSpec('EfficientNetLite0', 'multiclass', 'noaug')
    prof = cProfile.Profile()
    with scratch_cache('features'):   # features cached, tuner fresh
        t0 = time.perf_counter(); prof.enable(); row, preds, trials = run_fold(spec, man, 0); prof.disable()
        wall = time.perf_counter() - t0
    st = pstats.Stats(prof).stats
    cum = lambda name: max((v[3] for k, v in st.items() if k[2] == name), default=0.0)
    tracing = cum('func_graph_from_py_func')
    execute = sum(v[2] for k, v in st.items() if k[2] == '<built-in method tensorflow.python._pywrap_tfe.TFE_Py_Execute>')
    search = cum('search')
    gc_s = sum(v[2] for k, v in st.items() if k[2] == '<built-in method gc.collect>')
    return {'mode': mode, 'wall_s': round(wall, 1), 'search_s': round(search, 1), 'tracing_s': round(tracing, 1),
            'tf_execute_s': round(execute, 1), 'gc_s': round(gc_s, 1), 'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), 'trials': int(row['trials']), 'accuracy': row['accuracy'],
            'best': {k: row[k] for k in ('lr', 'n_layers', 'units_0')},
            'predictions_md5': hashlib.md5(preds.filter(like='p_').to_numpy().tobytes()).hexdigest()}


if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(one(sys.argv[1]))); sys.exit()
    env = {**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '3'}
    runs = [json.loads(subprocess.run([sys.executable, __file__, m], capture_output=True, text=True, env=env, check=True).stdout
                       .strip().splitlines()[-1]) for m in ('unfrozen', 'graph', 'eager')]
    out = {'fold': 'EfficientNetLite0 multiclass noaug, fold 0', 'cpus': os.cpu_count(), 'runs': runs,
           'same_predictions_as_unfrozen': {r['mode']: r['predictions_md5'] == runs[0]['predictions_md5'] for r in runs[1:]},
           'same_result': all(r['accuracy'] == runs[0]['accuracy'] and r['best'] == runs[0]['best'] for r in runs)}
    OUT.write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))
