"The built book, served on localhost and opened in headless Chromium: tables and figures are really there."
import re, shutil, subprocess, tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / 'book/_build/html'
CHROME = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = [pytest.mark.skipif(not (HTML / 'index.html').exists(), reason='book not built (make book)'),
              pytest.mark.skipif(CHROME is None, reason='chromium not installed (.ci/run installs it)')]


def chrome(*args):
    with tempfile.TemporaryDirectory() as profile:
        r = subprocess.run([CHROME, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                            '--disable-background-networking', '--disable-component-update', '--disable-sync',
                            f'--user-data-dir={profile}', '--virtual-time-budget=5000', *args],
                           capture_output=True, text=True, timeout=120)
    return r


@pytest.fixture(scope='module')
def site():
    from mpox_nbdev.testing import serve_folder
    with serve_folder(HTML) as url: yield url


def not_blank(png: Path) -> bool:
    a = np.asarray(Image.open(png).convert('L'), dtype=float)
    return a.std() > 5


FIGURES = {'results.html': 5, 'gan.html': 2, 'mobile.html': 2, 'audit.html': 5}  # at least this many non-blank figures


@pytest.mark.parametrize('page,must', [
    ('index.html', ['mpox-nbdev', 'Best mean 10-fold test accuracy']),
    ('results.html', ['Table 2 analogue', 'Table 3 analogue', 'Repeated-measures ANOVA', 'Tukey', 'Holm', 'Augmentation effect']),
    ('gan.html', ['Training cost', 'Fréchet', 'Mpox vs Healthy', 'across noaug, aug, gan', 'On OCSI']),
    ('mobile.html', ['Table 4 analogue', 'same answer for the same lesion', 'When not to answer', 'Out-of-distribution gates',
                     'called Mpox without and with the gate', 'Inconclusive answers']),
    ('audit.html', ['Is it looking at the lesion?', 'The pointing game', 'Context ablation', 'Source shift', 'Skin tone',
                    'A disease the model never saw', 'Verdict', 'chance level']),
])
def test_page_renders_tables_and_figures(site, page, must, tmp_path):
    dom = chrome('--dump-dom', f'{site}/{page}').stdout
    for text in must: assert text in dom, f'{page}: missing {text!r}'
    assert '<table' in dom
    if page in FIGURES:
        imgs = re.findall(r'<img[^>]+src="([^"]+\.png)"', dom)
        assert len(imgs) >= FIGURES[page], imgs                   # results: confusions, search space, embeddings; gan: curves, samples
        for src in imgs: assert not_blank(HTML / src), src        # every figure has content
    shot = tmp_path / 'shot.png'
    chrome(f'--screenshot={shot}', '--window-size=1280,1600', f'{site}/{page}')
    assert shot.exists() and not_blank(shot)
    shutil.copy(shot, HTML.parent / f'screenshot_{Path(page).stem}.png')  # kept beside the build for a human look
