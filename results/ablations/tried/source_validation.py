"""Prototype (one question, answered once): does choosing the head by photos of a source it did not fit -- inside the
training photos, before the held-out set is ever looked at -- help on photos from elsewhere? And does reading each
photo's stage features at unit length (square-rooted, as the gate reads them) help? Writes source_validation.json beside
this file. Run from the repository root: MPOX_DATA_DIR=... python results/ablations/tried/source_validation.py

For each held-out (class, source) of the leave-source-out run (15_elsewhere), the shipped recipe (every stage, sources
weighed alike) is trained on the other photos in one of two ways:
- 'photo split' (what ships): C and class weighting chosen on a random fifth of the training photos (by near-duplicate
  group), the head fitted on the other four fifths, temperature and operating point from that fifth;
- 'source split': every source of a class with two or more training sources is its own inner fold (single-source
  classes spread over the folds by near-duplicate group), so each training photo of such a class is answered by a head
  that never saw its source; C and class weighting minimise the sources-weighed-alike log loss of those answers; the
  head is refitted on every training photo; temperature and operating point come from the out-of-source answers.
Each with the stage features as they are, or per photo square-rooted and at unit length per part ('unit length').
Judged by the pooled answers to the held-out sets: binary AUROC, sensitivity and specificity at the operating point,
ECE; multiclass accuracy, ECE, and web-acne / clinic-healthy recall."""
import json, warnings, zlib
from pathlib import Path
import numpy as np
from sklearn.metrics import roc_auc_score, log_loss
from mpox_nbdev.core import task_targets
from mpox_nbdev.curation import load_sources_manifest
from mpox_nbdev.elsewhere import SHIPPED_RECIPE, _split, held_out_sets, photo_views, row_weights
from mpox_nbdev.metrics import decisions, expected_calibration_error, fit_temperature, threshold_for_sensitivity, with_temperature
from mpox_nbdev.ood import stage_blocks
from mpox_nbdev.probe import PROBE_C, PROBE_WEIGHTS, _fit

warnings.filterwarnings('ignore')   # sklearn's notice that float32 probabilities sum to one only to rounding
man = load_sources_manifest().reset_index(drop=True)
F = photo_views(man, 'EfficientNetLite0', changes={}, mirrored=False, progress=False)['orig']
POOLED = 1280   # EfficientNet-Lite0's pooled features: the last columns of the stage features
lab, src, grp = man.label.to_numpy(), man.source.to_numpy(), man.group.to_numpy()
READS = {'as they are': lambda X: X, 'unit length': lambda X: stage_blocks(X, POOLED)}

def inner_folds(rows, parts: int = 4) -> np.ndarray:
    "Inner fold per row of `rows`: a class's sources apart where it has two or more, else its near-duplicate groups spread."
    f = np.zeros(len(rows), int); L, S, G = lab[rows], src[rows], grp[rows]
    for c in np.unique(L):
        srcs = np.unique(S[L == c])
        for i, s in enumerate(srcs):
            m = (L == c) & (S == s)
            f[m] = i % parts if len(srcs) > 1 else [zlib.crc32(str(g).encode()) % parts for g in G[m]]
    return f

def photo_split(X, y, rows, w, k):
    "What ships: choose on a random fifth, fit on the rest."
    fit, val = (rows[i] for i in _split(y[rows], grp[rows], 0)); wf = w(fit)
    best = min(((log_loss(y[val], (m := _fit(X[fit], y[fit], C, cw, 0, weight=wf))[1].predict_proba(m[0].transform(X[val])), labels=range(k)), C, cw, m)
                for cw in PROBE_WEIGHTS for C in PROBE_C), key=lambda b: b[0])
    sc, m = best[3]; return sc, m, m.predict_proba(sc.transform(X[val])), y[val]

def source_split(X, y, rows, w, k):
    "Choose by out-of-source answers inside the training photos, refit on all of them."
    f, W = inner_folds(rows), w(rows); best = None
    for cw in PROBE_WEIGHTS:
        for C in PROBE_C:
            P = np.zeros((len(rows), k))
            for i in np.unique(f):
                a, v = rows[f != i], f == i; sc, m = _fit(X[a], y[a], C, cw, 0, weight=W[f != i]); P[v] = m.predict_proba(sc.transform(X[rows[v]]))
            loss = log_loss(y[rows], P, labels=range(k), sample_weight=W)
            if best is None or loss < best[0]: best = (loss, C, cw, P)
    sc, m = _fit(X[rows], y[rows], best[1], best[2], 0, weight=W); return sc, m, best[3], y[rows]

def judged(task: str, reads: str, choose) -> dict:
    y = task_targets(man.label, task); k = len(np.unique(y)); X = READS[reads](F); P, Y, S = [], [], []
    for label, source in held_out_sets(man):
        out = (lab == label) & (src == source); rows = np.flatnonzero(~out)
        sc, m, Pv, yv = choose(X, y, rows, lambda r: row_weights(lab[r], src[r]), k)
        t = fit_temperature(Pv, yv); Pv = with_temperature(Pv, t)
        thr = threshold_for_sensitivity(Pv[:, 0], yv == 0) if k == 2 else None
        p = with_temperature(m.predict_proba(sc.transform(X[out])), t)
        P.append(p); Y.append(y[out]); S += [f'{label}: {source}'] * out.sum(); D = decisions(p, thr); P[-1] = (p, D)
    p, d, y = np.concatenate([a for a, _ in P]), np.concatenate([b for _, b in P]), np.concatenate(Y); S = np.array(S)
    r = {'ece': round(float(expected_calibration_error(p, y)), 4), 'accuracy': round(float((d == y).mean()), 4)}
    if k == 2: r |= {'auroc': round(float(roc_auc_score(y == 0, p[:, 0])), 4), 'sensitivity': round(float((d[y == 0] == 0).mean()), 4),
                     'specificity': round(float((d[y == 1] == 1).mean()), 4), 'web_acne_not_mpox': round(float((d[S == 'Acne: acne-web-zatan666'] == 1).mean()), 4)}
    else: r |= {'auroc_mpox': round(float(roc_auc_score(y == 2, p[:, 2])), 4),   # Acne, Chickenpox, Mpox, Healthy
                'web_acne_acne': round(float((d[S == 'Acne: acne-web-zatan666'] == 0).mean()), 4),
                'clinic_healthy': round(float((d[S == 'Healthy: healthy-skin-azh'] == 3).mean()), 4)}
    return r

runs = {f'{task}, {split}, {reads}': judged(task, reads, choose) for task in ('binary', 'multiclass')
        for split, choose in (('photo split', photo_split), ('source split', source_split)) for reads in READS}
for n, r in runs.items(): print(n, r)
out = {'recipe': SHIPPED_RECIPE.name, 'photos': len(man), 'runs': runs}
(Path(__file__).parent/'source_validation.json').write_text(json.dumps(out, indent=1) + '\n')
