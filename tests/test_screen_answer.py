"The screening page's words (book/_static/answer.js) and photo warnings (rule.js `imageWarnings`), run in node on the inputs the package sees."
import json, shutil, subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mpox_nbdev.predict import image_warnings
from mpox_nbdev.web import CLASS_WORDS

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / 'book/_static'
pytestmark = pytest.mark.skipif(shutil.which('node') is None, reason='node is needed for the page scripts (Debian: apt-get install nodejs)')


def node(tmp_path, module: str, name: str, cases: list) -> list:
    "`name` of the page module `module` applied to each of `cases` (a list of argument lists) in node."
    (tmp_path / 'cases.json').write_text(json.dumps(cases))
    (tmp_path / 'run.mjs').write_text(f"import {{{name}}} from '{(STATIC / module).as_uri()}';\nimport {{readFileSync}} from 'fs';\n"
                                      f"const cs = JSON.parse(readFileSync('{tmp_path / 'cases.json'}'));\n"
                                      f"console.log(JSON.stringify(cs.map((c) => {name}(...c.map((a) => a && a.bytes ? Uint8Array.from(a.bytes) : a)))));\n")
    return json.loads(subprocess.run(['node', str(tmp_path / 'run.mjs')], capture_output=True, text=True, check=True).stdout)


WORDS = {'classes': {c: CLASS_WORDS[c] for c in ('Mpox', 'Others')}, 'model': 'a model'}
P = {'Mpox': 0.18, 'Others': 0.82}


def test_each_view_says_what_a_lay_reader_needs(tmp_path):
    answers = [{'prediction': 'Others', 'status': 'screened', 'probabilities': P, 'warnings': []},
               {'prediction': 'Mpox', 'status': 'inconclusive', 'probabilities': P, 'warnings': ['a<b>.jpg: 100x75 px is smaller than the input']},
               {'prediction': 'Mpox', 'status': 'rejected', 'probabilities': {'Mpox': 0.996, 'Others': 0.004}, 'warnings': []},
               {'error': 'x.jpg: not an image this browser can read'}]
    screened, unsure, rejected, error = node(tmp_path, 'answer.js', 'answerHtml', [[a, 'a<b>.jpg', WORDS] for a in answers])
    assert '<strong>Others</strong>' in screened and CLASS_WORDS['Others'] in screened and screened.count('<meter') == 2
    outside = unsure.split('<details>')[0]
    assert 'Unsure' in outside and 'have it looked at' in outside.lower() and 'Mpox' not in outside and 'Others' not in outside
    assert unsure.count('<meter') == 2 and '<details>' in unsure                    # the numbers only on request
    assert 'Not a close-up skin photo' in rejected and '<meter' not in rejected and '0.996' not in rejected
    assert 'not an image this browser can read' in error
    assert all('a&lt;b&gt;.jpg' in h and 'a<b>' not in h for h in (screened, unsure, rejected, error))   # names escaped
    assert 'smaller than the input' in unsure                                         # warnings shown with the answer
    silent = node(tmp_path, 'answer.js', 'answerHtml', [[answers[1], 'a.jpg', {**WORDS, 'unsure': 'this model gives no answers'}]])[0]
    assert 'Unsure</strong>: this model gives no answers. Have it looked at' in silent   # why, in the card's words (web.page_words)
    assert 'cannot tell from this photo' in unsure                                   # the words of a model with a band


def test_photo_warnings_equal_the_cli(tmp_path):
    rng = np.random.default_rng(0)
    pictures = [rng.integers(0, 256, (75, 100, 3)), np.full((300, 400, 3), 128) + rng.integers(0, 4, (300, 400, 3)),
                np.full((50, 60, 3), (200, 30, 90)), rng.integers(0, 256, (240, 230, 3)), np.full((224, 224, 3), 7)]
    pictures += [np.full((230, 230, 3), 100) + rng.integers(0, s, (230, 230, 3)) for s in range(14, 20)]   # around the uniform limit
    pictures += [np.where(np.indices((230, 230)).sum(0)[..., None] % 2, (0, 3, 0), (0, 0, 0))]               # Pillow's rounding to grey matters here
    py = [image_warnings(Image.fromarray(a.astype(np.uint8)), 224, 'p.png') for a in pictures]
    js = node(tmp_path, 'rule.js', 'imageWarnings', [[{'bytes': a.astype(np.uint8).ravel().tolist()}, a.shape[1], a.shape[0], 224, 'p.png'] for a in pictures])
    assert js == py
    assert any('smaller' in w for ws in py for w in ws) and any('nearly uniform' in w for ws in py for w in ws) and [] in py   # each case occurs
