"The book's screen.html page: the shipped models in headless Chromium (LiteRT.js, WebAssembly) answer as `mpox predict` does."
import json, shutil, subprocess, sys, tempfile, urllib.request
from urllib.parse import quote
from pathlib import Path

import pandas as pd
import pytest

from mpox_nbdev.web import RESULT_JS, SCREEN_TASKS, Chromium, browser_answers, chromium_path, screen_in_browser, screen_photos

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / 'book/_build/html'
MPOX = Path(sys.executable).with_name('mpox')
pytestmark = [pytest.mark.skipif(not (HTML / 'screen.html').exists(), reason='book not built (make book)'),
              pytest.mark.skipif(chromium_path() is None, reason='chromium not installed (.ci/run installs it)')]


@pytest.fixture(scope='module')
def photos():
    "Five OCSI photos and one picture that is not a skin photo (scikit-image's coffee cup): the page must refuse it as the CLI does."
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
            shown = c.evaluate(s, "document.getElementById('screen-answers').textContent")
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


def cli_status(photos, task: str) -> dict:
    "file name -> `mpox predict`'s status for each of `photos`."
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([str(MPOX), 'predict', '--task', task, '--csv', f'{d}/o.csv', *map(str, photos)], check=True, capture_output=True)
        return {Path(f).name: st for f, st in pd.read_csv(f'{d}/o.csv')[['file', 'status']].itertuples(index=False)}


def answers_anything(task: str = 'binary') -> bool:
    "Whether the shipped `task` model's band can be reached (a floor at most 1): else it leaves every skin photo inconclusive."
    from mpox_nbdev.metrics import answers_nothing
    from mpox_nbdev.predict import default_model, model_card
    return not answers_nothing(model_card(default_model(task))['inconclusive_below'])


def one_of_each(photos, task: str = 'binary') -> list:
    "A screened (when the model answers anything), an inconclusive and a rejected photo of `photos`, by the CLI's answers."
    st = cli_status(photos, task); pick = {}
    for f in photos: pick.setdefault(st[f.name], f)
    kinds = ('screened', 'inconclusive', 'rejected') if answers_anything(task) else ('inconclusive', 'rejected')
    assert set(pick) == set(kinds), st   # a model that answers nothing screens no photo, and the fixture holds every other kind
    return [pick[k] for k in kinds]


VIEWS_JS = """[...document.querySelectorAll('#screen-answers li')].map(li => ({status: li.className.split(' ').pop(), text: [...li.children].filter(e => !e.matches('.screen-file')).map(e => e.textContent).join(' '),   // what it says, without the file's name
   
    meters: li.querySelectorAll('meter').length, hidden: li.querySelectorAll('details meter').length}))"""


@pytest.mark.parametrize('width', [1280, 390])
def test_the_three_views_read_right_at_each_width(photos, width):
    "Several photos at once, an answer each: the screened one (when the shipped model answers any) names its class and says what it "
    "means, the inconclusive one names no class outside its folded numbers, the rejected one shows no bars; nothing runs past the right "
    "edge. Screenshots committed. (answer.js's words for each view: tests/test_screen_answer.py.)"
    from mpox_nbdev.testing import serve_folder
    files = one_of_each(photos); query = '&'.join('image=' + quote(f.relative_to(HTML).as_posix(), safe='/') for f in files)
    with Chromium() as c, serve_folder(HTML) as url:
        s = c.open(f'{url}/screen.html?{query}&task=binary')
        answers = json.loads(c.wait_for(s, RESULT_JS))
        c.screenshot(s, ROOT / f'results/figures/book/screen_{width}.png', width=width, height=1400)   # the window at this width ...
        c.evaluate(s, 'window.laidOutBefore = 1; setTimeout(() => location.reload(), 0)')   # returns before the page goes                                     # ... the page laid out in it
        answers = json.loads(c.wait_for(s, f'!window.laidOutBefore && {RESULT_JS}'))
        c.evaluate(s, "document.getElementById('screen-drop').scrollIntoView()")                           # the answers in view
        c.screenshot(s, ROOT / f'results/figures/book/screen_{width}.png', width=width, height=1400)
        views, wide = c.evaluate(s, VIEWS_JS), c.evaluate(s, "Math.max(document.documentElement.scrollWidth, "
                                                            "...[...document.querySelectorAll('#screen-app *')].map(e => e.getBoundingClientRect().right))")
    kinds = [cli_status(files, 'binary')[f.name] for f in files]
    assert [a['status'] for a in answers] == kinds and [v['status'] for v in views] == kinds
    *ok, unsure, rejected = views
    for o in ok: assert o['meters'] == 2 and o['hidden'] == 0 and ('not mpox' in o['text'] or 'looks like mpox' in o['text'])
    visible = unsure['text'].split("The model's numbers")[0]
    assert 'Unsure' in visible and 'Mpox' not in visible and 'Others' not in visible and unsure['meters'] == unsure['hidden'] == 2
    assert rejected['meters'] == 0 and 'Not a close-up skin photo' in rejected['text']
    assert wide <= width, f'the page is {wide} px wide at {width} px'


def test_small_and_uniform_photos_get_the_cli_warnings(photos):
    from PIL import Image
    from mpox_nbdev.testing import serve_folder
    folder = HTML / '_screen_test'; small, flat = folder / 'small.png', folder / 'flat.png'
    Image.open(photos[0]).resize((100, 75)).save(small); Image.new('RGB', (300, 300), (180, 140, 120)).save(flat)
    r = subprocess.run([str(MPOX), 'predict', '--task', 'binary', str(small), str(flat)], capture_output=True, text=True)
    cli = sorted(l.split(': ', 2)[2] for l in r.stderr.splitlines() if l.startswith('warning: '))
    with Chromium() as c, serve_folder(HTML) as url:
        s = c.open(f'{url}/screen.html?image=_screen_test/small.png&image=_screen_test/flat.png&task=binary')
        page = json.loads(c.wait_for(s, RESULT_JS)); shown = c.evaluate(s, "document.getElementById('screen-answers').textContent")
    got = sorted(w.split(': ', 1)[1] for a in page for w in a['warnings'])
    assert len(cli) == 2 and got == cli, (got, cli)
    assert 'smaller than the model' in shown and 'nearly uniform' in shown


def test_the_page_screens_with_the_network_cut_after_one_visit(photos):
    "One visit caches the page, runtime and models (service worker); with the server gone, a new tab screens the same photo alike."
    from mpox_nbdev.testing import serve_folder
    image = quote(photos[0].relative_to(HTML).as_posix(), safe='/')
    with Chromium() as c:
        with serve_folder(HTML) as url:
            page = f'{url}/screen.html?image={image}&task=binary'
            s = c.open(page); online = json.loads(c.wait_for(s, RESULT_JS)); c.wait_for(s, 'document.body.dataset.offlineReady')
            assert c.evaluate(s, "document.querySelector('link[rel=manifest]')?.href.endsWith('screen.webmanifest')")
        with pytest.raises(OSError):   # the network is cut: nothing answers at that address any more
            urllib.request.urlopen(page, timeout=5)
        s2 = c.open(page); offline = json.loads(c.wait_for(s2, RESULT_JS))
    assert 'error' not in offline and offline['prediction'] == online['prediction'] and offline['status'] == online['status']
    assert abs(offline['probabilities']['Mpox'] - online['probabilities']['Mpox']) < 1e-6
