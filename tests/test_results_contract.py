"The committed results honour their contract: every number the book shows can be recomputed from them."
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
RUNS = sorted(p.parent for t in ('', 'ablations') for p in (ROOT / 'results' / t).glob('*/*/*/folds.csv'))   # the main tree and the ablations'


@pytest.mark.skipif(not RUNS, reason='no committed results yet')
@pytest.mark.parametrize('run', RUNS, ids=[str(r.relative_to(ROOT / 'results')) for r in RUNS])
def test_run_contract(run):
    from mpox_nbdev.core import task_classes, task_rows
    from mpox_nbdev.metrics import classification_metrics
    task = run.parts[-3]
    folds, preds = pd.read_csv(run / 'folds.csv'), pd.read_csv(run / 'predictions.csv')
    assert list(folds.fold) == list(range(10))                          # all 10 outer folds
    head = {'C', 'class_weight'} if run.name.startswith('probe') else {'lr', 'n_layers'}   # linear probe or Hyperband head
    assert {'fold', 'accuracy', 'sensitivity', 'specificity', 'f1', 'wall_seconds', *head} <= set(folds.columns)
    if run.name.startswith('probe') and task != 'multiclass':                           # the screening operating point
        assert {'op_threshold', 'op_sensitivity', 'op_specificity', 'op_accuracy'} <= set(folds.columns)
        for k, g in preds.groupby('fold'):
            t, pos = folds.set_index('fold').op_threshold[k], g.label == 'Mpox'
            assert abs((g.p_Mpox[pos] >= t).mean() - folds.set_index('fold').op_sensitivity[k]) < 1e-6
    assert {'file', 'fold', 'label', 'pred', *[f'p_{c}' for c in task_classes(task)]} <= set(preds.columns)
    man = pd.read_csv(ROOT / 'data/ocsi/manifest.csv')
    man = man[task_rows(man.label, task)]                               # Mpox vs Healthy leaves two classes out
    assert sorted(preds.file) == sorted(man.file)                       # every image of the task tested exactly once
    cls = task_classes(task)
    for k, g in preds.groupby('fold'):
        m = classification_metrics([cls.index(l) for l in g.label], [cls.index(p) for p in g.pred], task)
        for name, v in m.items(): assert abs(v - folds.set_index('fold').loc[k, name]) < 1e-6, (k, name)
    probs = preds[[f'p_{c}' for c in cls]].to_numpy()
    assert np.allclose(probs.sum(1), 1, atol=1e-3) and (np.array(cls)[probs.argmax(1)] == preds.pred).all()
    assert (run / 'trials.csv').exists() and (run / 'experiment.ipynb').exists()
    if run.name == 'gan': assert (folds.n_synthetic > 0).all()         # the gan arm really added images


@pytest.mark.skipif(not (ROOT / 'results/stats/anova_rm.csv').exists(), reason='no committed statistics yet')
def test_statistics_match_recomputation(tmp_path):
    from mpox_nbdev.stats import run_statistics
    for k in run_statistics(out=tmp_path):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / f'{k}.csv'), pd.read_csv(ROOT / f'results/stats/{k}.csv'))
