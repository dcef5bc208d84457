"""Where a fold of the paper's grid spends its time as the grid runs it (one TensorFlow thread per worker, `MPOX_TF_THREADS=1`):
three folds of EfficientNetLite0 binary `aug` (the heaviest kind: the widest heads on the most rows) with the features cached
and fresh tuner projects. (1) alone, timed; (2) alone, under cProfile: executing the traced steps, tracing a new train and test
function per trial, creating tf.data iterators, and the rest; (3) beside a second process doing folds 3-5, as two grid workers
do, timed: how much the other worker slows a fold. Predictions are hashed: the three settings give the same folds.

    .venv/bin/python bench/fold_parts.py > bench/fold_parts.json     # about 4 min, on an otherwise idle machine
"""
import cProfile, hashlib, json, os, pstats, subprocess, sys, time

SPEC = ('EfficientNetLite0', 'binary', 'aug')

def folds(ks, profile: bool) -> dict:
    os.environ['MPOX_TF_THREADS'] = '1'
    from mpox_nbdev.core import limit_threads, scratch_cache
    limit_threads()
    from mpox_nbdev.experiment import run_fold
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.spec import RunSpec
    man, spec, out, prof = load_manifest(), RunSpec(*SPEC), [], cProfile.Profile()
    with scratch_cache('features'):   # features cached, tuner fresh
        for k in ks:
            if profile: prof.enable()
            t0 = time.perf_counter(); row, preds, _ = run_fold(spec, man, k); wall = time.perf_counter() - t0
            if profile: prof.disable()
            out.append({'fold': k, 'wall_s': round(wall, 2), 'predictions_md5': hashlib.md5(preds.filter(like='p_').to_numpy().tobytes()).hexdigest()})
    res = {'folds': out}
    if profile:
        st = pstats.Stats(prof).stats
        tot = lambda name: sum(v[2] for k, v in st.items() if k[2] == name)
        cum = lambda name: sum(v[3] for k, v in st.items() if k[2] == name)   # cumulative over the outermost calls
        res['parts_s'] = {'executing steps': round(tot('<built-in method tensorflow.python._pywrap_tfe.TFE_Py_Execute>'), 2),
                          'tracing functions': round(cum('func_graph_from_py_func'), 2),
                          'creating tf.data iterators': round(cum('make_iterator'), 2),
                          'total': round(sum(f['wall_s'] for f in out), 2)}
        res['parts_s']['rest'] = round(res['parts_s']['total'] - sum(v for k, v in res['parts_s'].items() if k != 'total'), 2)
    return res

def child(ks, profile=False):
    return subprocess.Popen([sys.executable, __file__, ','.join(map(str, ks)), '1' if profile else '0'], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env={**os.environ, 'TF_CPP_MIN_LOG_LEVEL': '3'})

def result(p): return json.loads(p.communicate()[0].strip().splitlines()[-1])

if __name__ == '__main__':
    if len(sys.argv) > 1: print(json.dumps(folds([int(k) for k in sys.argv[1].split(',')], sys.argv[2] == '1'))); sys.exit()
    alone = result(child([0, 1, 2]))
    profiled = result(child([0, 1, 2], profile=True))
    a, b = child([0, 1, 2]), child([3, 4, 5]); beside, other = result(a), result(b)
    walls = lambda r: sum(f['wall_s'] for f in r['folds'])
    out = {'run': '/'.join(SPEC), 'threads_per_process': 1, 'alone': alone, 'profiled': profiled, 'beside_a_second_worker': beside,
           'second_worker': other, 'slowdown_beside_a_second_worker': round(walls(beside) / walls(alone), 3),
           'same_predictions': [f['predictions_md5'] for f in alone['folds']] == [f['predictions_md5'] for f in profiled['folds']] == [f['predictions_md5'] for f in beside['folds']]}
    json.dump(out, sys.stdout, indent=1); print()
