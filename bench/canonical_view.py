"""Would a photometric canonical view cut the decision flips of issue 18? Each photo is turned to its canonical pose
(`06a_pose`), optionally scaled to a fixed mean brightness (`b`: `canonical_exposure`, x * 128 / mean(x), gain at most 4, clipped to 0-255) and
smoothed (Gaussian of sigma 0, 1 or 2 pixels at the backbone's size), before the frozen EfficientNet-Lite1. A linear
probe per fold (`probe_search`, OCSI's 10 folds, chosen on each fold's validation part; `aug`: also trained on the
everyday changes of the training photos), binary at the screening operating point (validation sensitivity >= 0.90).
Writes per variant, task and training: accuracy, mpox sensitivity and the share of test decisions each change flips.

    python bench/canonical_view.py p0 b0 b1 b2 > bench/canonical_view.csv    # p: pose only (what the pose arms read before the exposure step); b: + brightness (b0: their canonical view now); digit: sigma
"""
import sys, json, numpy as np, pandas as pd
from scipy.ndimage import gaussian_filter
from mpox_nbdev.augment import PERTURBATIONS
from mpox_nbdev.core import task_labels
from mpox_nbdev.features import extract_features
from mpox_nbdev.folds import fold_split, load_manifest
from mpox_nbdev.experiment import task_split
from mpox_nbdev.probe import probe_search
from mpox_nbdev.metrics import decisions, threshold_for_sensitivity
from mpox_nbdev.pose import canonical_exposure, to_canonical_pose

BB = 'EfficientNetLite1'
def canon(a, sigma, bright=True):
    y = canonical_exposure(a) if bright else np.asarray(a, np.float32)
    if sigma: y = gaussian_filter(y, (sigma, sigma, 0), mode='mirror', truncate=3.0)
    return to_canonical_pose(y)

man = load_manifest().reset_index(drop=True)
variants = sys.argv[1:] or ['p0', 'b0', 'b1', 'b2']
out = []
for var in variants:
    bright = var.startswith('b'); sigma = float(var[1:])
    tag = f'canonview-{var}'
    X = extract_features(man, BB, tag, lambda a, r: canon(a, sigma, bright), progress=False)
    V = {p: extract_features(man, BB, f'{tag}-{p}', lambda a, r, f=f: canon(f(a, r), sigma, bright), progress=False) for p, f in PERTURBATIONS.items()}
    for task in ('binary', 'multiclass'):
        for aug in (False, True):
            y = task_labels(man.label, task); flips = {p: 0 for p in V}; n = 0; acc = []; sens = []
            for k in sorted(man.fold.unique()):
                tr, va, te = (d.index.to_numpy() for d in task_split(man, fold_split(man, k, 0), task))
                views = [v[tr] for v in V.values()] if aug else []
                model, best, trials, dev = probe_search((X[tr], y[tr]), (X[va], y[va]), 2 if task == 'binary' else 4, k, None, train_views=views)
                t = threshold_for_sensitivity(dev[0][:, 0], dev[1] == 0) if task == 'binary' else None
                d0 = decisions(model.predict(X[te], verbose=0), t)
                acc.append((d0 == y[te]).mean()); n += len(te)
                if task == 'binary': sens.append((d0[y[te] == 0] == 0).mean())
                for p, Xv in V.items(): flips[p] += int((decisions(model.predict(Xv[te], verbose=0), t) != d0).sum())
            row = {'variant': var, 'task': task, 'aug': aug, 'acc': round(float(np.mean(acc)), 4), 'sens': round(float(np.mean(sens)), 3) if sens else None,
                   **{p: round(f / n, 4) for p, f in flips.items()}}
            out.append(row); print(json.dumps(row), file=sys.stderr, flush=True)
pd.DataFrame(out).to_csv(sys.stdout, index=False, lineterminator='\n')
