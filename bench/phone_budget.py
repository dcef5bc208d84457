"""One measurement session of the phone budget: each EfficientNet-Lite backbone with a linear head in full int8, its
size and one-thread median latency with LiteRT (`phone.backbone_budgets`), appended to results/mobile/phone_budget.csv.
Which backbones may ship is decided by the median over all recorded sessions (`phone.phone_budget`), not by one.

    .venv/bin/python bench/phone_budget.py       # about 2 min; run on an otherwise idle machine
"""
import datetime
from pathlib import Path

import pandas as pd

from mpox_nbdev.backbones import LITE
from mpox_nbdev.phone import PHONE_BUDGET, backbone_budgets, phone_budget
from mpox_nbdev.core import project_root

if __name__ == '__main__':
    path = project_root()/PHONE_BUDGET
    now = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M')
    m = backbone_budgets(sorted(LITE)).assign(session=now)[['session', 'backbone', 'input_size', 'size_mb', 'median_ms']]
    old = pd.read_csv(path) if path.exists() else m.iloc[:0]
    pd.concat([old, m], ignore_index=True).to_csv(path, index=False, lineterminator='\n')
    print(m.to_string(index=False)); print(phone_budget(path).to_string(index=False))
