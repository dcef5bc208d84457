"""Prototype (one question, answered once): does fine-tuning the whole backbone with phone-style changes and a consistency
term raise the AUROC on photos of a collection the model never saw? Writes finetune_elsewhere.json beside this file.
Run from the repository root: MPOX_DATA_DIR=... python results/ablations/tried/finetune_elsewhere.py

One held-out collection, not the nine held-out sets of 15_elsewhere (each fine-tuning takes minutes on two cores): every MSID
photo (mpox, chickenpox, healthy) is held out, and the binary model trains on the 709 photos of the other four sources
(Ahsan, ACNE04, web acne, AZH), its C and class weight chosen on a fifth of them held out by near-duplicate group. Before: the
shipped recipe's head (every stage, sources weighed alike) on the frozen EfficientNet-Lite0. After: that backbone (batch
norms frozen) and a linear head on its pooled features trained together for EPOCHS epochs (Adam, LR), each step on the
training photos and one everyday change of each (`06_augment`, drawn at random), with the cross-entropy of both and BETA x
the symmetric KL divergence between their answers, sources weighed alike; the last epoch is scored. Scored on MSID: AUROC of
p(Mpox), accuracy at the argmax."""
import json, time
from pathlib import Path
import numpy as np
from sklearn.metrics import roc_auc_score
from mpox_nbdev.augment import PERTURBATIONS
from mpox_nbdev.backbones import STAGES, backbone
from mpox_nbdev.core import seed_everything, task_targets
from mpox_nbdev.curation import load_sources_manifest
from mpox_nbdev.elsewhere import SHIPPED_RECIPE, _split, photo_views, row_weights
from mpox_nbdev.export import manifest_photos
from mpox_nbdev.probe import probe_search

SETTINGS, BETA, BATCH, HELD_OUT = ((6, 3e-5), (12, 1e-5)), 5.0, 16, 'msid-monkeypox-skin-images'   # (epochs, learning rate) tried
import keras, tensorflow as tf
man = load_sources_manifest().reset_index(drop=True); y = task_targets(man.label, 'binary')
out, rows = (man.source == HELD_OUT).to_numpy(), np.flatnonzero((man.source != HELD_OUT).to_numpy())
fit, val = (rows[i] for i in _split(y[rows], man.group.to_numpy()[rows], 0))
w = row_weights(man.label.to_numpy()[fit], man.source.to_numpy()[fit])
score = lambda p: {'auroc': float(roc_auc_score(y[out] == 0, p[:, 0])), 'accuracy': float((p.argmax(1) == y[out]).mean())}

F = photo_views(man, 'EfficientNetLite0', changes={}, mirrored=False, progress=False)['orig']   # the frozen stage features, cached
head, best, _, _ = probe_search((F[fit], y[fit]), (F[val], y[val]), 2, 0, weight=w)
before = score(head.predict(F[out], verbose=0))

X = manifest_photos(man, 224); P = list(PERTURBATIONS); wf = dict(zip(fit, w))
ph, _, _, _ = probe_search((F[fit][:, -1280:], y[fit]), (F[val][:, -1280:], y[val]), 2, 0, weight=w)   # the starting head, on the pooled features
before_pooled = score(ph.predict(F[out][:, -1280:], verbose=0))

def finetuned(epochs: int, lr: float) -> dict:
    seed_everything(0); rng = np.random.default_rng(0); t0 = time.time()
    base, h = backbone('EfficientNetLite0'), keras.models.clone_model(ph); h.set_weights(ph.get_weights())
    inp = keras.Input((224, 224, 3)); model = keras.Model(inp, h(base(inp)))
    base.trainable = True
    for layer in base.layers:
        if isinstance(layer, keras.layers.BatchNormalization): layer.trainable = False
    opt = keras.optimizers.Adam(lr)
    @tf.function(reduce_retracing=True)
    def step(x, xc, yy, ww):
        with tf.GradientTape() as tape:
            p0, p1 = tf.split(model(tf.concat([x, xc], 0), training=False), 2)
            ce = keras.losses.sparse_categorical_crossentropy(yy, p0) + keras.losses.sparse_categorical_crossentropy(yy, p1)
            kl = tf.reduce_sum((p0 - p1) * (tf.math.log(p0 + 1e-8) - tf.math.log(p1 + 1e-8)), 1)   # symmetric KL
            loss = tf.reduce_sum(ww * (ce + BETA * kl)) / tf.reduce_sum(ww)
        opt.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return loss
    for ep in range(epochs):
        idx = rng.permutation(fit)
        for s in range(0, len(idx), BATCH):
            j = idx[s:s + BATCH]; ch = rng.integers(len(P), size=len(j))
            xc = np.stack([PERTURBATIONS[P[c]](X[i]) for i, c in zip(j, ch)]).astype(np.float32)
            step(X[j].astype(np.float32), xc, y[j], np.array([wf[i] for i in j], np.float32))
        print(f'{epochs} epochs, lr {lr:g}: epoch {ep + 1}, {time.time() - t0:.0f} s', flush=True)
    return {'epochs': epochs, 'lr': lr, **score(model.predict(X[out].astype(np.float32), verbose=0, batch_size=32)), 'train_seconds': round(time.time() - t0, 1)}

res = {'held_out': HELD_OUT, 'task': 'binary', 'train_photos': int(len(fit)), 'held_out_photos': int(out.sum()), 'recipe_before': SHIPPED_RECIPE.name,
       'before': before, 'before_pooled': before_pooled, 'beta': BETA, 'after': [finetuned(e, lr) for e, lr in SETTINGS]}
(Path(__file__).parent/'finetune_elsewhere.json').write_text(json.dumps(res, indent=1) + '\n'); print(res)
