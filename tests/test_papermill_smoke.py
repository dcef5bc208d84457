"Papermill smoke run of the experiment template, as CI and `mpox reproduce` run it: 2 folds, tiny Hyperband."
import json, os, subprocess, sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_template_smoke_run_with_augmentation(tmp_path):
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.folds import subset_manifest
    subset_manifest(load_manifest(), 2).to_csv(tmp_path / 'm.csv', index=False)
    out = tmp_path / 'run'
    r = subprocess.run([str(BIN / 'papermill'), str(ROOT / 'nbs/experiment.ipynb'), str(tmp_path / 'executed.ipynb'),
                        '-p', 'backbone', 'EfficientNetLite0', '-p', 'task', 'multiclass', '-p', 'augment', 'aug',
                        '-y', 'folds: [0, 1]', '-p', 'max_epochs', '2', '-p', 'factor', '3',
                        '-p', 'out_dir', str(out), '-p', 'manifest_path', str(tmp_path / 'm.csv'),
                        '-k', 'python3', '--cwd', str(ROOT / 'nbs')], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    folds = pd.read_csv(out / 'folds.csv'); preds = pd.read_csv(out / 'predictions.csv')
    assert list(folds.fold) == [0, 1] and {'aug_level', 'flip'} <= set(folds.columns)
    for k, g in preds.groupby('fold'):  # accuracy recomputed from predictions equals folds.csv
        assert abs((g.label == g.pred).mean() - folds.set_index('fold').accuracy[k]) < 1e-9
    nb = json.loads((tmp_path / 'executed.ipynb').read_text())
    assert nb['metadata']['papermill']['parameters']['augment'] == 'aug'


def test_template_smoke_run_gan_mpox_vs_healthy(tmp_path):
    "The gan arm end to end on a tiny manifest: a 3-step generator per fold, synthetic images only in training."
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.folds import subset_manifest
    subset_manifest(load_manifest(), 2).to_csv(tmp_path / 'm.csv', index=False)
    out, env = tmp_path / 'run', {**os.environ, 'MPOX_CACHE_DIR': str(tmp_path / 'cache')}
    r = subprocess.run([str(BIN / 'papermill'), str(ROOT / 'nbs/experiment.ipynb'), str(tmp_path / 'executed.ipynb'),
                        '-p', 'backbone', 'EfficientNetLite0', '-p', 'task', 'mpox_healthy', '-p', 'augment', 'gan',
                        '-y', 'folds: [0, 1]', '-p', 'max_epochs', '2', '-p', 'gan_steps', '3', '-p', 'gan_ratio', '2',
                        '-p', 'out_dir', str(out), '-p', 'manifest_path', str(tmp_path / 'm.csv'),
                        '-k', 'python3', '--cwd', str(ROOT / 'nbs')], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    folds, preds = pd.read_csv(out / 'folds.csv'), pd.read_csv(out / 'predictions.csv')
    assert set(preds.label) <= {'Mpox', 'Healthy'} and list(folds.fold) == [0, 1]
    assert (folds.n_synthetic == 2 * folds.n_train).all()               # ratio 2, per class, training part only
    assert json.loads((out / 'run.json').read_text())['gan_steps'] == 3
    metas = [json.loads(p.read_text()) for p in (tmp_path / 'cache' / 'gan').glob('*/meta.json')]
    man = pd.read_csv(tmp_path / 'm.csv', dtype={'crop': str}, keep_default_na=False)
    assert sorted(m['fold'] for m in metas) == [0, 1]
    for m in metas:  # no generator saw an image of its test fold
        assert not set(m['inputs']) & set(man[man.fold == m['fold']].md5)
