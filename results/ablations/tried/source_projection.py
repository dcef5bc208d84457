"""Prototype (one question, answered once): does projecting out the directions that tell a class's sources apart help the
shipped recipe on photos from elsewhere? Writes source_projection.json beside this file. Run from the repository root:
MPOX_DATA_DIR=... python results/ablations/tried/source_projection.py

For each held-out (class, source), the fitting photos of the other sources give, in the standardised square-rooted stage
features, each (class, source) mean minus its class mean; the span of these differences (one direction per extra source
of a class) is projected out before the shipped recipe's head (sources weighed alike) is chosen and fitted. A linear map,
it would fold into the head at no cost on the phone. Judged by the pooled leave-source-out binary AUROC (15_elsewhere)."""
import json
from pathlib import Path
import numpy as np
from sklearn.metrics import roc_auc_score
from mpox_nbdev.core import task_targets
from mpox_nbdev.curation import load_sources_manifest
from mpox_nbdev.elsewhere import SHIPPED_RECIPE, _split, held_out_sets, photo_views, row_weights
from mpox_nbdev.probe import probe_search

man = load_sources_manifest().reset_index(drop=True)
F = photo_views(man, 'EfficientNetLite0', changes={}, mirrored=False, progress=False)['orig']
y, lab, src = task_targets(man.label, 'binary'), man.label.to_numpy(), man.source.to_numpy()

def source_directions(rows):
    "(mean, scale, orthonormal basis of the within-class source-mean differences) of the photos `rows`."
    Z = np.sqrt(np.maximum(F[rows], 0)); mu, sd = Z.mean(0), Z.std(0) + 1e-6; Z = (Z - mu) / sd
    M = [Z[(lab[rows] == c) & (src[rows] == s)].mean(0) - Z[lab[rows] == c].mean(0) for c in np.unique(lab[rows]) for s in np.unique(src[rows][lab[rows] == c])]
    U, S, _ = np.linalg.svd(np.array(M).T, full_matrices=False)
    return mu, sd, U[:, S > 1e-6 * S.max()]

def pooled_auroc(project: bool) -> tuple[float, int]:
    P, Y, k = [], [], 0
    for label, source in held_out_sets(man):
        out = (lab == label) & (src == source); rows = np.flatnonzero(~out)
        fit, val = (rows[i] for i in _split(y[rows], man.group.to_numpy()[rows], 0))
        mu, sd, U = source_directions(fit); U = U if project else U[:, :0]; k = U.shape[1]
        T = lambda X: ((np.sqrt(np.maximum(X, 0)) - mu) / sd) - (((np.sqrt(np.maximum(X, 0)) - mu) / sd) @ U) @ U.T
        head, *_ = probe_search((T(F[fit]), y[fit]), (T(F[val]), y[val]), 2, 0, weight=row_weights(lab[fit], src[fit]))
        P.append(head.predict(T(F[out]), verbose=0)[:, 0]); Y.append(y[out] == 0)
    return float(roc_auc_score(np.concatenate(Y), np.concatenate(P))), k

(without, _), (with_, k) = pooled_auroc(False), pooled_auroc(True)
out = {'recipe': SHIPPED_RECIPE.name, 'directions': k, 'auroc_without': without, 'auroc_with': with_, 'photos': len(man)}
(Path(__file__).parent/'source_projection.json').write_text(json.dumps(out, indent=1) + '\n'); print(out)
