"""Exploration (now the `probeft` arm, `nbs/07c_finetune.ipynb`): does fine-tuning the backbone's last 1x1 convolution help the linear probe?

For each EfficientNet-Lite backbone and task, on the project's 10 folds: the `probe` (C and class weight chosen on the
validation part, as the probe arm does) on the pooled features, then the backbone's last 1x1 convolution (`_conv_head`,
its batch norm folded in) and that probe trained together on the cached activations that enter it (original + mirrored
training photos), Adam, L2 pull towards the ImageNet weights, the epoch chosen by validation log-loss (0 = keep the
probe). Writes bench/finetune_explore.json: test accuracy (mean of the folds) and, for the binary task, mpox sensitivity
(the ten test folds pooled), before and after.

    .venv/bin/python bench/finetune_explore.py            # 3 backbones x 2 tasks, ~3 min each on 2 cores
"""
import json, sys, time
from pathlib import Path

import numpy as np

LR, PULL, EPOCHS, BATCH = 1e-3, 1e-4, 20, 32


def prehead_activations(name, man, root):
    "Activations entering `_conv_head` for every manifest photo and its mirror image (n x h x w x c each)."
    import keras
    from mpox_nbdev.backbones import BACKBONES, backbone
    from mpox_nbdev.images import load_array, parse_crop
    m = backbone(name); size = BACKBONES[name].size
    pre = keras.Model(m.input, m.get_layer('_conv_head').input)
    x = np.stack([load_array(root/f, parse_crop(c), size) for f, c in zip(man.file, man.crop)]).astype(np.float32)
    conv, bn = m.get_layer('_conv_head'), m.get_layer('_bn1')
    g, b, mu, var = bn.get_weights(); s = g / np.sqrt(var + bn.epsilon)
    return (pre.predict(x, verbose=0, batch_size=32), pre.predict(x[:, :, ::-1], verbose=0, batch_size=32),
            conv.get_weights()[0] * s, b - mu * s)


def finetune_fold(A, Am, W0, b0, head, split, labels, nc, class_weight, seed):
    "Train conv_head + the probe's dense layer; return test probabilities and the chosen epoch."
    import keras, tensorflow as tf
    from mpox_nbdev.core import seed_everything
    tr, va, te = split; ytr, yva = labels
    seed_everything(seed)
    inp = keras.Input(A.shape[1:]); conv = keras.layers.Conv2D(W0.shape[-1], 1)
    h = keras.layers.GlobalAveragePooling2D()(keras.layers.ReLU(6.0)(conv(inp)))
    dense = keras.layers.Dense(nc, activation='softmax'); model = keras.Model(inp, dense(h))
    conv.set_weights([W0, b0]); dense.set_weights(head.layers[-1].get_weights())
    ref, opt = tf.constant(W0), keras.optimizers.Adam(LR)
    X, Y = np.concatenate([A[tr], Am[tr]]), np.concatenate([ytr, ytr]).astype(np.int32)
    cnt = np.bincount(ytr, minlength=nc)
    w = (len(ytr) / (nc * cnt))[Y] if class_weight == 'balanced' else np.ones(len(Y))

    @tf.function
    def step(x, y, wt):
        with tf.GradientTape() as t:
            loss = tf.reduce_mean(wt * keras.losses.sparse_categorical_crossentropy(y, model(x, training=True)))
            loss += PULL * tf.reduce_sum(tf.square(conv.kernel - ref))
        opt.apply_gradients(zip(t.gradient(loss, model.trainable_variables), model.trainable_variables))

    def val_loss():
        p = model.predict(A[va], verbose=0); return -np.log(np.clip(p[np.arange(len(yva)), yva], 1e-9, 1)).mean()
    best, best_w, best_ep, rng = val_loss(), model.get_weights(), 0, np.random.default_rng(seed)
    for ep in range(EPOCHS):
        idx = rng.permutation(len(X))
        for s in range(0, len(idx), BATCH):
            j = idx[s:s + BATCH]; step(X[j], Y[j], w[j].astype(np.float32))
        v = val_loss()
        if v < best: best, best_w, best_ep = v, model.get_weights(), ep + 1
    model.set_weights(best_w)
    return model.predict(A[te], verbose=0), best_ep


def main(backbones=('EfficientNetLite0', 'EfficientNetLite1', 'EfficientNetLite2'), tasks=('binary', 'multiclass')):
    from mpox_nbdev.core import data_root, task_labels
    from mpox_nbdev.experiment import task_split
    from mpox_nbdev.folds import fold_split, load_manifest
    from mpox_nbdev.probe import probe_search
    man, root, rows = load_manifest(), Path(data_root(must_exist=True)), []
    for name in backbones:
        A, Am, W0, b0 = prehead_activations(name, man, root)
        F = np.clip(np.einsum('nhwc,cd->nhwd', A, W0[0, 0]) + b0, 0, 6).mean((1, 2))   # = the cached pooled features
        for task in tasks:
            nc, t0, out = (2 if task == 'binary' else 4), time.time(), []
            for k in range(10):
                tr, va, te = task_split(man, fold_split(man, k, 0), task)
                ys = [task_labels(d.label, task) for d in (tr, va, te)]
                head, best, _, _ = probe_search((F[tr.index], ys[0]), (F[va.index], ys[1]), nc)
                p0 = head.predict(F[te.index], verbose=0)
                p1, ep = finetune_fold(A, Am, W0, b0, head, (tr.index, va.index, te.index), ys[:2], nc, best['class_weight'], k)
                out.append((ys[2], p0.argmax(1), p1.argmax(1), ep))
            y, d0, d1 = (np.concatenate([o[i] for o in out]) for i in range(3))
            right = np.array([[np.sum(o[1] == o[0]), np.sum(o[2] == o[0]), len(o[0])] for o in out])   # per fold: probe, fine-tuned, n
            row = {'backbone': name, 'task': task, 'probe_accuracy': float(np.mean(right[:, 0] / right[:, 2])),
                   'finetuned_accuracy': float(np.mean(right[:, 1] / right[:, 2])),   # fold means, as folds.csv
                   'folds_better': int((right[:, 1] > right[:, 0]).sum()), 'folds_worse': int((right[:, 1] < right[:, 0]).sum()),
                   'epochs_chosen': [int(o[3]) for o in out], 'seconds': round(time.time() - t0, 1)}
            if task == 'binary': row |= {'probe_sensitivity': float(np.mean(d0[y == 0] == 0)), 'finetuned_sensitivity': float(np.mean(d1[y == 0] == 0))}
            rows.append(row); print(json.dumps(row), flush=True)
    Path(__file__).with_suffix('.json').write_text(json.dumps({'settings': {'lr': LR, 'l2_pull': PULL, 'max_epochs': EPOCHS, 'batch': BATCH,
                                                                            'views': 'original + mirrored training photos'}, 'runs': rows}, indent=1) + '\n')


if __name__ == '__main__': main(*(a.split(',') for a in sys.argv[1:]))
