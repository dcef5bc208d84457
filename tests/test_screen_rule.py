"The screening page's JavaScript rule (book/_static/rule.js) gives the answer the package gives, on the same inputs."
import json, shutil, subprocess
from pathlib import Path

import numpy as np
import pytest

from mpox_nbdev.metrics import decisions, verdict

ROOT = Path(__file__).resolve().parents[1]

def cases(seed: int = 0, n: int = 400):
    "Outputs of two- and four-class models, with and without a threshold, gate and floor, many of them on a boundary."
    rng = np.random.default_rng(seed); out = []
    for i in range(n):
        c = 2 if i % 2 else 4
        p = rng.dirichlet(np.ones(c)); card = {}
        if c == 2 and i % 4 == 1: card['threshold'] = float(rng.choice([0.5, 0.161, p[0]]))           # p exactly at the threshold too
        if i % 3: card['ood_threshold'] = float(rng.uniform(0.2, 0.5))
        if i % 5: card['inconclusive_below'] = float(rng.choice([0.6, p.max()]))                      # and exactly at the floor
        score = None if i % 7 == 0 else float(rng.choice([rng.uniform(0.1, 0.6), card.get('ood_threshold', 0.3)]))
        out.append({'probs': p.tolist(), 'score': score, 'card': card})
    return out

def python_answer(c):
    k = int(decisions(np.array([c['probs']]), c['card'].get('threshold'))[0])
    return {'k': k, 'status': verdict(c['probs'][k], c['score'], c['card'])}

@pytest.mark.skipif(shutil.which('node') is None, reason='node is needed for the page rule (Debian: apt-get install nodejs)')
def test_page_rule_equals_the_package_rule(tmp_path):
    cs = cases(); (tmp_path/'cases.json').write_text(json.dumps(cs))
    script = (f"import {{decide}} from '{(ROOT/'book/_static/rule.js').as_uri()}';\n"
              f"import {{readFileSync}} from 'fs';\n"
              f"const cs = JSON.parse(readFileSync('{tmp_path/'cases.json'}'));\n"
              "console.log(JSON.stringify(cs.map((c) => decide(c.probs, c.score, c.card))));\n")
    (tmp_path/'run.mjs').write_text(script)
    js = json.loads(subprocess.run(['node', str(tmp_path/'run.mjs')], capture_output=True, text=True, check=True).stdout)
    py = [python_answer(c) for c in cs]
    assert len({a['status'] for a in py}) == 3                  # every verdict is exercised
    assert [i for i, (a, b) in enumerate(zip(js, py)) if a != b] == []
