"""What reading every stage costs on the phone, once a photo and twice. The `probestages` arm's head reads the pooled
output of every stage of the backbone beside its pooled features (`04_backbones`: `stage_model`), from the same single
pass; `probestagesflip` answers with the mean over the photo and its mirror image (`MIRROR_ANSWER`), which
`export.mirror_mean_model` sends through the model as one batch of two. Per EfficientNet-Lite backbone that may ship,
in full int8 with a linear head and a 5-NN gate over 260 references: size and one-thread median latency (LiteRT) of the
plain model, the stage model and the stage model answering for the photo and its mirror, each of the last two also with
the gate on the stage features (`05a_ood`: the stage gate, as the shipped models carry it), and whether each fits the phone (`mobile.int8_budget`: 6 MB and 10 ms, the latency with 10 % to spare, as the shipping rule).

    .venv/bin/python bench/stage_features.py > bench/stage_features.json     # about 5 min; on an otherwise idle machine
"""
import json, sys

import numpy as np

from mpox_nbdev.backbones import BACKBONES, backbone, stage_model
from mpox_nbdev.core import data_root
from mpox_nbdev.model import full_model, mirror_mean_model
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
        gate = gate_layer(rng.gamma(1., 1., (260, 1280)), 5)
        heads = {}
        for kind, n in (('plain', 1280), ('stages', stage_model(backbone(name)).output.shape[-1])):
            hin = keras.Input((n,)); heads[kind] = keras.Model(hin, keras.layers.Dense(2, activation='softmax')(hin))
        models = {kind: full_model(name, head, gate=gate) for kind, head in heads.items()}
        models['stages, photo + mirror'] = mirror_mean_model(models['stages'])   # two passes a photo, one batch of two
        sgate = gate_layer(rng.gamma(1., 1., (260, heads['stages'].input.shape[-1])), 5, pooled=1280)   # a stage gate (what ships): its references are stage features
        models['stages, stage gate'] = full_model(name, heads['stages'], gate=sgate)
        models['stages, stage gate, photo + mirror'] = mirror_mean_model(models['stages, stage gate'])
        for kind, model in models.items():
            rows.append({'backbone': name, 'model': kind, 'head_inputs': int(heads[kind.split(',')[0]].input.shape[-1]), **int8_budget(model, calib)})
            print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
    json.dump({'limits': PHONE_LIMITS, 'rows': rows}, sys.stdout, indent=1); print()
