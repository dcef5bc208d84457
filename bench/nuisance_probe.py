"""A prototype for issue 18's decision flips, outside the grid: the linear probe on the stage features (`probestages`), penalised
along the directions in which the everyday changes (`06_augment`) move the training photos' features. With S the mean outer
product of those moves (standardised features, scaled to trace = dimension), the probe's weights w pay |w|^2 + LAMBDA w'Sw:
the features are multiplied by (I + LAMBDA S)^(-1/2) before the usual L2 logistic regression (C and class weighting chosen on
the validation part, as `07b_probe`), so a direction the changes move costs more to use. LAMBDA 0 is the plain probe.
On the photos as they are, and in the pose arms' canonical view (`06a_pose`: a mirror or a quarter turn gives the same pixels).
Per (view, task, LAMBDA): 10-fold accuracy and the share of test decisions each change flips (binary: at the validation operating point).

    .venv/bin/python bench/nuisance_probe.py > bench/nuisance_probe.csv     # ~10 min with the stage features cached
"""
import sys, warnings
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.preprocessing import StandardScaler
from mpox_nbdev.augment import PERTURBATIONS
from mpox_nbdev.backbones import STAGES
from mpox_nbdev.core import task_targets
from mpox_nbdev.experiment import task_split
from mpox_nbdev.features import canonical_view_features, extract_features
from mpox_nbdev.folds import fold_split, load_manifest
from mpox_nbdev.metrics import decisions, threshold_for_sensitivity
from mpox_nbdev.probe import PROBE_C, PROBE_WEIGHTS

b, LAMBDAS = 'EfficientNetLite0', (0, 3, 10, 100, 1000)
man = load_manifest().reset_index(drop=True); kw = dict(layer=STAGES, progress=False)

def fit(Z, y, C, cw):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')   # lbfgs convergence notices at the weakest regularisation
        return LogisticRegression(C=C, class_weight=cw, max_iter=5000, random_state=0).fit(Z, y)

rows = []
for view, fx in (('photo', extract_features), ('canonical view', canonical_view_features)):
    X = fx(man, b, **kw); changed = {p: fx(man, b, f'robust-{p}', f, **kw) for p, f in PERTURBATIONS.items()}
    for task in ('binary', 'multiclass'):
        y = task_targets(man.label, task); n = int(y.max()) + 1
        res = {lam: [0, 0, dict.fromkeys(changed, 0)] for lam in LAMBDAS}
        for k in sorted(man.fold.unique()):
            tr, va, te = (d.index.to_numpy() for d in task_split(man, fold_split(man, k, 0), task))
            sc = StandardScaler().fit(X[tr]); Xs = sc.transform(X); Cs = {p: sc.transform(V) for p, V in changed.items()}
            D = np.concatenate([Cs[p][tr] - Xs[tr] for p in changed]); S = D.T @ D / len(D); S /= np.trace(S) / len(S)
            e, V = np.linalg.eigh(S); e = np.clip(e, 0, None)
            for lam in LAMBDAS:
                M = (V * (1 + lam * e) ** -0.5) @ V.T
                Z = Xs @ M
                m = min((fit(Z[tr], y[tr], C, cw) for cw in PROBE_WEIGHTS for C in PROBE_C),
                        key=lambda m: log_loss(y[va], m.predict_proba(Z[va]), labels=list(range(n))))
                t = threshold_for_sensitivity(m.predict_proba(Z[va])[:, 0], y[va] == 0) if n == 2 else None
                p0 = m.predict_proba(Z[te]); d0 = decisions(p0, t); r = res[lam]
                r[0] += int((p0.argmax(1) == y[te]).sum()); r[1] += len(te)
                for p in changed: r[2][p] += int((decisions(m.predict_proba(Cs[p][te] @ M), t) != d0).sum())
        for lam, (right, total, flips) in res.items():
            rows.append({'view': view, 'task': task, 'lambda': lam, 'accuracy': right / total, **{p: f / total for p, f in flips.items()}})
            print(rows[-1], file=sys.stderr, flush=True)
pd.DataFrame(rows).to_csv(sys.stdout, index=False, float_format='%.4f', lineterminator='\n')
