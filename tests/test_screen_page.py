"The book's screen.html page: the shipped models in headless Chromium (LiteRT.js, WebAssembly) answer as `mpox predict` does."
import json, shutil, subprocess, sys
from urllib.parse import quote
from pathlib import Path

import pandas as pd
import pytest

from mpox_nbdev.web import SCREEN_TASKS, Chromium, browser_answers, chromium_path, screen_in_browser, screen_photos

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / 'book/_build/html'
MPOX = Path(sys.executable).with_name('mpox')
pytestmark = [pytest.mark.skipif(not (HTML / 'screen.html').exists(), reason='book not built (make book)'),
              pytest.mark.skipif(chromium_path() is None, reason='chromium not installed (.ci/run installs it)')]


@pytest.fixture(scope='module')
def photos():
    "Five OCSI photos, and one picture that is not a skin photo (scikit-image's coffee cup): the page must refuse it as the CLI does."
    from PIL import Image
    from skimage import data
    folder = HTML / '_screen_test'
    files = screen_photos(folder, 5)
    Image.fromarray(data.coffee()).save(folder / 'coffee.png')
    yield files + [folder / 'coffee.png']
    shutil.rmtree(folder, ignore_errors=True)


def test_page_loads_only_local_files():
    page = (HTML / 'screen.html').read_text()
    assert '_static/screen.js' in page and 'importmap' in page
    static = HTML / '_static'
    for f in ('litert/core.js', 'litert/wasm-utils.js', 'litert/litert_wasm_internal.wasm', 'models/binary.tflite', 'models/multiclass.tflite'):
        assert (static / f).exists(), f
    assert not list((static / 'litert').glob('*threaded*')) and not list((static / 'litert').glob('*jspi*'))  # one WASM build
    js = (static / 'screen.js').read_text() + (static / 'litert' / 'core.js').read_text()
    assert 'cdn.jsdelivr' not in js.replace('cdn.jsdelivr.net/npm/@litertjs/core/wasm/', '')  # only a comment in LiteRT's docs may name a CDN
    size = sum((static / f).stat().st_size for f in ('litert/core.js', 'litert/wasm-utils.js', 'litert/litert_wasm_internal.js',
                                                     'litert/litert_wasm_internal.wasm', 'models/binary.tflite', 'models/multiclass.tflite'))
    assert size <= 30e6, f'runtime + both models = {size / 1e6:.1f} MB'


@pytest.mark.parametrize('task', SCREEN_TASKS)
def test_page_answers_like_the_cli(photos, task, tmp_path):
    page = browser_answers(HTML, photos, task)
    assert (page.other_hosts == '').all(), f'{task}: the page loaded from another host: {set(page.other_hosts)}'
    csv = tmp_path / 'cli.csv'
    subprocess.run([str(MPOX), 'predict', '--task', task, '--csv', str(csv), *map(str, photos)], check=True, capture_output=True)
    cli = pd.read_csv(csv).assign(file=lambda d: d.file.map(lambda f: Path(f).name)).set_index('file')
    page = page.set_index('file').loc[cli.index]
    probs = [c for c in cli.columns if c.startswith('p_')]
    assert len(cli) == 6 and set(probs) == {c for c in page.columns if c.startswith('p_')}
    assert cli.status['coffee.png'] == 'rejected' and (cli.drop('coffee.png').status != 'rejected').all()
    diff = (page[probs] - cli[probs]).abs().to_numpy().max()
    assert diff <= 0.01, f'{task}: page and CLI probabilities differ by up to {diff:.4f}'
    assert (page.prediction == cli.prediction).all(), pd.concat([page.prediction, cli.prediction], axis=1)
    assert (page.status == cli.status).all()
    assert ((page.ood_score - cli.ood_score).abs() <= 0.01).all()


def test_bad_file_gets_a_message(photos):
    bad = HTML / '_screen_test' / 'notes.jpg'
    bad.write_text('this is text, not a photo')
    with Chromium() as c:
        from mpox_nbdev.testing import serve_folder
        with serve_folder(HTML) as url:
            r = screen_in_browser(c, f'{url}/screen.html', '_screen_test/notes.jpg', 'binary')
            s = c.open(f'{url}/screen.html?image=_screen_test/notes.jpg&task=binary')
            c.wait_for(s, "document.getElementById('result')?.textContent")
            shown = c.evaluate(s, "document.getElementById('screen-error').textContent")
    assert 'error' in r and 'notes.jpg: not an image this browser can read' in r['error']
    assert 'notes.jpg: not an image' in shown   # the reader sees it on the page, not a blank


def test_crafted_files_get_an_answer_or_a_message(photos):
    "Fuzzed files (one per mutation kind: `fuzz.fuzz_corpus`) on the page: each gets its answer or its error, never a blank or a hang."
    from mpox_nbdev.fuzz import fuzz_corpus
    from mpox_nbdev.testing import serve_folder
    folder = HTML / '_screen_test' / 'fuzz'
    c = fuzz_corpus(folder, 16, photos=photos[:1], n_synthetic=4, seed=2)
    c = c[~c.mutation.isin(['loop', 'dangling', 'symlink'])]   # links are the file system's, not a browser's
    with Chromium(timeout=60) as chrome, serve_folder(HTML) as url:
        for f, kind in zip(c.file, c.mutation):
            r = screen_in_browser(chrome, f'{url}/screen.html', quote(Path(f).relative_to(HTML).as_posix(), safe='/'), 'binary')
            assert ('error' in r) != ('prediction' in r), (kind, r)
            assert r.get('error', 'x').strip(), (kind, r)   # an error says something
