"A real dask.distributed cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1 share the (run, fold) tasks of a smoke grid; the results equal a local run's."
import os, socket, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest

from mpox_nbdev.core import env_vars
from mpox_nbdev.folds import load_manifest, subset_manifest
from mpox_nbdev.grid import run_grid
from mpox_nbdev.spec import RunSpec

DASK = Path(sys.executable).with_name('dask')
SPECS = [RunSpec('EfficientNetLite0', 'binary', 'probe'), RunSpec('EfficientNetLite0', 'binary', 'noaug', max_epochs=2)]


def free_port() -> int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    from dask.distributed import Client
    port = free_port(); address = f'tcp://127.0.0.1:{port}'
    env = {**os.environ, 'MPOX_TF_THREADS': '1'}
    logs = [open(tmp_path / f'{n}.log', 'w') for n in ('scheduler', 'worker0', 'worker1')]
    procs = [subprocess.Popen([str(DASK), 'scheduler', '--host', '127.0.0.1', '--port', str(port), '--no-dashboard'],
                              stdout=logs[0], stderr=subprocess.STDOUT, env=env)]
    procs += [subprocess.Popen([str(DASK), 'worker', address, '--nthreads', '1', '--no-dashboard', '--name', f'w{i}',
                                '--local-directory', str(tmp_path / f'w{i}')], stdout=logs[1 + i], stderr=subprocess.STDOUT, env=env)
              for i in range(2)]
    try:
        t0 = time.time()
        while True:
            try:
                with Client(address, timeout=5) as c:
                    if len(c.scheduler_info()['workers']) == 2: break
            except OSError: pass
            assert time.time() - t0 < 90, 'the cluster did not come up: ' + (tmp_path / 'scheduler.log').read_text()[-500:]
            time.sleep(1)
        yield address
    finally:
        for p in procs: p.terminate()
        for p in procs:
            try: p.wait(20)
            except subprocess.TimeoutExpired: p.kill()
        for f in logs: f.close()


def test_cluster_equals_local(cluster, tmp_path):
    man = subset_manifest(load_manifest(), 4); mp = tmp_path / 'manifest.csv'; man.to_csv(mp, index=False)
    kw = dict(folds=[0, 1], manifest_path=mp)
    with env_vars(MPOX_TF_THREADS=1):   # as the workers: TensorFlow's training sums differ in the last bits with the thread count
        local = run_grid(SPECS, None, results=tmp_path / 'local', **kw)
    remote = run_grid(SPECS, cluster, results=tmp_path / 'cluster', **kw)
    assert set(local.status) == set(remote.status) == {'ran'}
    for s in SPECS:
        for f in ('folds.csv', 'predictions.csv'):
            a = pd.read_csv(s.results_dir(tmp_path / 'local') / f).drop(columns=['wall_seconds'], errors='ignore')
            b = pd.read_csv(s.results_dir(tmp_path / 'cluster') / f).drop(columns=['wall_seconds'], errors='ignore')
            pd.testing.assert_frame_equal(a, b, obj=f'{s.name}/{f}')
        assert (s.results_dir(tmp_path / 'cluster') / 'experiment.ipynb').exists()   # the template still collected each run
