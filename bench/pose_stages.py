"""A prototype for issue 18's decision flips, outside the grid: the pose arms' canonical view (`06a_pose`: each photo turned and
mirrored into its canonical pose and scaled to one mean brightness, so a mirrored or quarter-turned photo gives the same pixels)
read through every stage of the frozen backbone (`probestages`' features) by a linear probe (`07b_probe`) on OCSI's own ten folds.
Variants: trained on the canonical views alone; on the eight poses of each training photo (the pose arms' recipe); on the
everyday changes (`06_augment`, each in its canonical view) with the weight `probestagesaug` gives them (0.3); on both.
Per variant: 10-fold accuracy and the share of test decisions each change flips (binary: at the validation operating point,
as the shipped model decides). Then the kNN stage gates (`05a_ood`) fitted on the canonical views: do they still reject the far
pictures? (The pose arms do not ship because their pooled-feature gate on the canonical view rejected fewer: results/ood/pose_gates.csv.)

    .venv/bin/python bench/pose_stages.py [BACKBONE] > bench/pose_stages.csv     # about 10 min for EfficientNetLite0 with its features cached
"""
import sys
import numpy as np, pandas as pd
from mpox_nbdev.augment import PERTURBATIONS
from mpox_nbdev.backbones import BACKBONES, STAGES
from mpox_nbdev.core import task_targets
from mpox_nbdev.experiment import pose_views, task_split
from mpox_nbdev.features import canonical_view_features
from mpox_nbdev.folds import fold_split, load_manifest
from mpox_nbdev.metrics import decisions, threshold_for_sensitivity
from mpox_nbdev.ood import evaluate_gates, evaluation_features, evaluation_pictures, stage_gates
from mpox_nbdev.probe import probe_search
from mpox_nbdev.arms import arm

b = sys.argv[1] if len(sys.argv) > 1 else 'EfficientNetLite0'
man = load_manifest().reset_index(drop=True); kw = dict(layer=STAGES, progress=False)
X = canonical_view_features(man, b, **kw)
poses = pose_views(man, b, **kw)   # the pose arms' eight poses, here read through every stage
changed = {p: canonical_view_features(man, b, f'robust-{p}', f, **kw) for p, f in PERTURBATIONS.items()}
w = arm('probestagesaug').copy_weight
VARIANTS = {'canonical view': ([], 1.0), 'eight poses': (poses, 1.0), 'changes (weight 0.3)': (list(changed.values()), w),
            'eight poses and changes (weight 0.3)': (poses + list(changed.values()), w)}
rows = []
for task in ('binary', 'multiclass'):
    y = task_targets(man.label, task); n = int(y.max()) + 1
    for name, (views, weight) in VARIANTS.items():
        right, flips, total = 0, dict.fromkeys(changed, 0), 0
        for k in sorted(man.fold.unique()):
            tr, va, te = (d.index.to_numpy() for d in task_split(man, fold_split(man, k, 0), task))
            head, _, _, (s, ys) = probe_search((X[tr], y[tr]), (X[va], y[va]), n, k, None, train_views=[v[tr] for v in views], view_weight=weight)
            t = threshold_for_sensitivity(s[:, 0], ys == 0) if n == 2 else None
            p0 = head.predict(X[te], verbose=0); d0 = decisions(p0, t)
            right += int((p0.argmax(1) == y[te]).sum()); total += len(te)
            for c, C in changed.items(): flips[c] += int((decisions(head.predict(C[te], verbose=0), t) != d0).sum())
        rows.append({'kind': 'probe', 'backbone': b, 'task': task, 'variant': name, 'accuracy': right / total, **{c: f / total for c, f in flips.items()}})
        print(rows[-1], file=sys.stderr, flush=True)
g, _ = evaluate_gates(b, stage_gates(BACKBONES[b].features), evaluation_features(b, evaluation_pictures(), pose=True, layer=STAGES), man, features=X)
rows += [{'kind': 'gate', 'backbone': b, 'variant': f'{r.gate} on the canonical view', 'pass_test': r.pass_test, 'auroc_far': r.auroc_far,
          'reject_far': r.reject_far, 'reject_faces': r.reject_faces, 'reject_measles': r.reject_measles} for r in g.itertuples()]
pd.DataFrame(rows).to_csv(sys.stdout, index=False, float_format='%.4f', lineterminator='\n')
