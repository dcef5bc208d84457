"""`mpox reproduce` killed in the middle of the grid (SIGKILL to its whole process group, as a power cut would) and
started again: it continues from the folds it had finished, keeps them, and ends with the committed numbers (exactly
where the backbone features are cached as committed; on a new clone they are computed anew and TensorFlow's float32
features may move a probability in its fifth decimal, so the comparison allows 1e-4)."""
import json, os, re, shutil, signal, subprocess, sys, time
from pathlib import Path

import pandas as pd

from mpox_nbdev.core import project_root, results_dir

MPOX = Path(sys.executable).with_name('mpox')
RUN = Path('binary/EfficientNetLite0/probe')


def test_killed_reproduction_resumes(tmp_path):
    committed, start, scratch = tmp_path/'committed', tmp_path/'start', tmp_path/'scratch'
    shutil.copytree(results_dir(), committed, ignore=shutil.ignore_patterns('reproduction'))
    shutil.copytree(committed, start); shutil.rmtree(start/RUN)   # this run must be computed again
    cmd = [str(MPOX), 'reproduce', '--backbones', 'EfficientNetLite0', '--tasks', 'binary', '--augments', 'probe',
           '--skip-gan', '--skip-mobile', '--resume-from', str(start), '--scratch', str(scratch)]
    env = {**os.environ, 'MPOX_RESULTS_DIR': str(committed)}
    folds = scratch/'results'/RUN/'folds'
    with open(tmp_path/'first.log', 'w') as log:
        p = subprocess.Popen(cmd, env=env, cwd=project_root(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        t0 = time.time()
        while len(list(folds.glob('fold*.json'))) < 3:
            assert p.poll() is None, 'the first run ended before it could be killed: ' + (tmp_path/'first.log').read_text()[-800:]
            assert time.time() - t0 < 180, 'no fold finished within 3 min'
            time.sleep(0.2)
        os.killpg(p.pid, signal.SIGKILL); p.wait()
    done = {f.name: f.stat().st_mtime_ns for f in folds.glob('fold*.json')}
    assert 3 <= len(done) < 10 and not (scratch/'results'/RUN/'folds.csv').exists()   # killed in the middle of the run
    second = subprocess.run(cmd, env=env, cwd=project_root(), capture_output=True, text=True, timeout=600)
    assert second.returncode in (0, 1) and 'reproduction:' in second.stdout, second.stdout[-1500:] + second.stderr[-1500:]   # 1: beyond 1e-6
    # one progress view: TensorFlow's native notices (its own processes' and the notebook kernels') go to the job's log
    assert not re.search(r'^[IWE]\d{4} |absl::InitializeLog', second.stderr, re.M), second.stderr[-1500:]
    assert (scratch/'reproduce.log').read_text().count('== ') == 2 and str(scratch/'reproduce.log') in second.stdout
    after = {f.name: f.stat().st_mtime_ns for f in folds.glob('fold*.json')}
    assert len(after) == 10 and all(after[k] == v for k, v in done.items())   # the folds finished before the kill were kept
    for f in ('folds.csv', 'predictions.csv'):
        pd.testing.assert_frame_equal(pd.read_csv(scratch/'results'/RUN/f).drop(columns='wall_seconds', errors='ignore'),
                                      pd.read_csv(committed/RUN/f).drop(columns='wall_seconds', errors='ignore'), obj=f, atol=1e-4)
    summary = json.loads((committed/'reproduction'/'summary.json').read_text())
    assert summary['max_abs_diff'] <= 2e-4 and summary['files_compared'] >= 100 and summary['same_result'], summary
