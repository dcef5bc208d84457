"""Benchmark: cached-feature CV against the naive loop, on one outer fold with the same Hyperband search.

Naive = what a direct port of the paper does on a CPU: the frozen backbone sits inside the model that every
Hyperband trial trains, so every epoch of every trial runs the backbone on every training and validation image.
Cached = this project: features computed once (timed here from an empty cache), then only the head is trained.
Both use EfficientNet-Lite0, multiclass, no augmentation, fold 0, the same search space, seed and budget.

Usage: python bench/cv_speed.py [--max-epochs 6] [--factor 3]   -> writes bench/cv_speed.json
"""
import argparse, json, os, resource, tempfile, time
from pathlib import Path

import numpy as np

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
ap = argparse.ArgumentParser(); ap.add_argument('--max-epochs', type=int, default=6); ap.add_argument('--factor', type=int, default=3)
ap.add_argument('--fold', type=int, default=0); args = ap.parse_args()

import keras, keras_tuner as kt
from mpox_nbdev.backbones import BACKBONES, backbone
from mpox_nbdev.core import data_root, task_labels
from mpox_nbdev.folds import fold_split, load_manifest
from mpox_nbdev.images import load_array, parse_crop
from mpox_nbdev.tuning import build_head, hyperband_search

NAME, TASK = 'EfficientNetLite0', 'multiclass'
man = load_manifest().reset_index(drop=True)
train, val, test = fold_split(man, args.fold)
tr, va = train.index.to_numpy(), val.index.to_numpy()
y = task_labels(man.label, TASK)
out = {'backbone': NAME, 'task': TASK, 'fold': args.fold, 'max_epochs': args.max_epochs, 'factor': args.factor,
       'n_train': len(tr), 'n_val': len(va), 'cpus': os.cpu_count()}

# cached: features from an empty cache, then the head search
with tempfile.TemporaryDirectory() as d:
    os.environ['MPOX_CACHE_DIR'] = d
    from mpox_nbdev.features import extract_features
    t0 = time.time(); X = extract_features(man.iloc[np.r_[tr, va]], NAME, progress=False); t_feat = time.time() - t0
    Xtr, Xva = X[:len(tr)], X[len(tr):]
    t0 = time.time(); _, best, trials = hyperband_search((Xtr, y[tr]), (Xva, y[va]), 4, Path(d)/'cached', None,
                                                        args.max_epochs, args.factor, seed=args.fold); t_head = time.time() - t0
out['cached'] = {'features_s': round(t_feat, 1), 'search_s': round(t_head, 1), 'total_s': round(t_feat + t_head, 1), 'trials': len(trials)}
print('cached', out['cached'], flush=True)

# naive: backbone inside every trial's model
size = BACKBONES[NAME].size
imgs = np.stack([load_array(data_root()/f, parse_crop(c), size) for f, c in zip(man.file, man.crop)]).astype('float32')
class Naive(kt.HyperModel):
    def build(self, hp):
        head = build_head(hp, BACKBONES[NAME].features, 4)
        bb = backbone(NAME); inp = keras.Input((size, size, 3))
        m = keras.Model(inp, head(bb(inp)))
        m.compile(optimizer=keras.optimizers.Adam(hp.get('lr')), loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        return m
    def fit(self, hp, model, *a, **kw):
        kw['verbose'] = 0
        return model.fit(imgs[tr], y[tr], validation_data=(imgs[va], y[va]), batch_size=32, **kw)
with tempfile.TemporaryDirectory() as d:
    tuner = kt.Hyperband(Naive(), objective='val_accuracy', max_epochs=args.max_epochs, factor=args.factor, seed=args.fold + 1,
                         directory=d, project_name='naive')
    t0 = time.time()
    tuner.search(callbacks=[keras.callbacks.EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)], verbose=0)
    t_naive = time.time() - t0
out['naive'] = {'search_s': round(t_naive, 1), 'trials': len(tuner.oracle.trials)}
out['speedup_total'] = round(t_naive / (t_feat + t_head), 2)
out['speedup_search_only'] = round(t_naive / t_head, 2)
out['peak_rss_mb'] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(json.dumps(out, indent=1))
Path(__file__).with_suffix('.json').write_text(json.dumps(out, indent=1) + '\n')
