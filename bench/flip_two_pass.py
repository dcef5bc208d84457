"""What answering for the photo and its mirror image costs on the phone. The `probestagesflip` arm answers with the mean
of its stage probe's answers for the photo and its mirror image (`MIRROR_ANSWER`), so its model runs the backbone twice
a photo: `export.mirror_mean_model` sends both as one batch of two. Per EfficientNet-Lite backbone that may ship, in full
int8 with a linear head on every stage's pooled output and a 5-NN gate over 260 references (as the shipped models):
size and one-thread median latency (LiteRT) of the one-pass stage model and of the photo + mirror model, and whether
each fits the phone (`mobile.int8_budget`: 6 MB and 10 ms, the latency with 10 % to spare, as the shipping rule).

    .venv/bin/python bench/flip_two_pass.py > bench/flip_two_pass.json     # about 2 min; on an otherwise idle machine
"""
import json, sys

import numpy as np

from mpox_nbdev.backbones import BACKBONES, backbone, stage_model
from mpox_nbdev.core import data_root
from mpox_nbdev.export import full_model, mirror_mean_model
from mpox_nbdev.folds import load_manifest
from mpox_nbdev.images import load_array, parse_crop
from mpox_nbdev.mobile import PHONE_LIMITS, int8_budget
from mpox_nbdev.ood import gate_layer

if __name__ == '__main__':
    import keras
    man, rng, rows = load_manifest(), np.random.default_rng(0), []
    for name in ('EfficientNetLite0', 'EfficientNetLite1'):
        size = BACKBONES[name].size
        calib = np.stack([load_array(data_root()/f, parse_crop(c), size) for f, c in zip(man.file[::4], man.crop[::4])]).astype(np.float32)
        n = stage_model(backbone(name)).output.shape[-1]
        hin = keras.Input((n,)); head = keras.Model(hin, keras.layers.Dense(2, activation='softmax')(hin))
        one = full_model(name, head, gate=gate_layer(rng.gamma(1., 1., (260, 1280)), 5))
        for kind, model in (('stages, one pass', one), ('stages, photo + mirror (batch of two)', mirror_mean_model(one))):
            rows.append({'backbone': name, 'model': kind, 'head_inputs': int(n), **int8_budget(model, calib)})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    json.dump({'limits': PHONE_LIMITS, 'rows': rows}, sys.stdout, indent=1); print()
