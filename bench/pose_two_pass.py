"""Could a pose arm ship with the gate of every other model? A pose model computes the backbone once, on the photo in
its canonical view, so its out-of-distribution gate reads the canonical view too, which rejects fewer far pictures
(results/ood/pose_gates.csv). The alternative is a second pass of the same backbone on the photo as it is, for the
gate alone. Per EfficientNet-Lite backbone that may ship, in full int8 with a linear head and a 5-NN gate over 260
references (as the shipped models): size and one-thread median latency (LiteRT) of the one-pass pose model, the
two-pass one, and the plain model, and whether each fits the phone (`mobile.int8_budget`: 6 MB and 10 ms, the latency with
10 % to spare, as the shipping rule).

    .venv/bin/python bench/pose_two_pass.py > bench/pose_two_pass.json     # about 3 min; on an otherwise idle machine
"""
import json, sys

import numpy as np

from mpox_nbdev.backbones import BACKBONES, backbone
from mpox_nbdev.core import data_root
from mpox_nbdev.model import full_model
from mpox_nbdev.folds import load_manifest
from mpox_nbdev.images import load_array, parse_crop
from mpox_nbdev.mobile import PHONE_LIMITS, int8_budget
from mpox_nbdev.ood import gate_layer
from mpox_nbdev.pose import canonical_view_layers

def two_pass(name, head, gate):
    "The pose model whose gate reads the photo as it is: one backbone called twice (its weights are one set of Keras variables)."
    import keras
    bb = backbone(name); inp = keras.Input(bb.input.shape[1:], name='image')
    x = bb(canonical_view_layers(inp))
    for layer in head.layers[1:]: x = layer(x)
    return keras.Model(inp, [x, gate(bb(inp))])

if __name__ == '__main__':
    import keras
    man, rng, rows = load_manifest(), np.random.default_rng(0), []
    for name in ('EfficientNetLite0', 'EfficientNetLite1'):
        size = BACKBONES[name].size
        calib = np.stack([load_array(data_root()/f, parse_crop(c), size) for f, c in zip(man.file[::4], man.crop[::4])]).astype(np.float32)
        hin = keras.Input((1280,)); head = keras.Model(hin, keras.layers.Dense(2, activation='softmax')(hin))
        gate = gate_layer(rng.gamma(1., 1., (260, 1280)), 5)
        models = {'plain': full_model(name, head, gate=gate), 'pose, one pass': full_model(name, head, gate=gate, pose=True),
                  'pose, two passes': two_pass(name, head, gate)}
        for kind, m in models.items():
            rows.append({'backbone': name, 'model': kind, **int8_budget(m, calib)})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    json.dump({'limits': PHONE_LIMITS, 'rows': rows}, sys.stdout, indent=1); print()
