"The built book as a reader meets it: chapter lengths at 1280 px, continuous numbering with every reference resolved, words not identifiers."
import re, time
from html import unescape
from pathlib import Path

import pytest

from mpox_nbdev.arms import ARMS
from mpox_nbdev.web import Chromium, chromium_path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / 'book/_build/html'
pytestmark = pytest.mark.skipif(not (HTML / 'results.html').exists(), reason='book not built (make book)')

SCREENS = {'results': 8, 'mobile': 6, 'reproducibility': 4}   # at most this many 900-px screens at 1280 px
READER_CHAPTERS = ('results', 'mobile', 'audit', 'discussion')
LABEL = re.compile(r'\b(Table|Figure)s? ([0-9]+|[A-C])\.(\d+)(?:\s*[–-]\s*(?:\1 )?(?:\2\.)?(\d+))?')


def page_text(name: str, drop=('table', 'figure', 'pre', 'script', 'style', 'nav', 'header', 'footer')) -> str:
    "The words of `name`.html's article, without `drop`ped elements."
    h = (HTML / f'{name}.html').read_text()
    h = h[h.find('<article'):h.rfind('</article>')]
    for tag in drop: h = re.sub(rf'<{tag}\b.*?</{tag}>', ' ', h, flags=re.S)
    return re.sub(r'\s+', ' ', unescape(re.sub(r'<[^>]+>', ' ', h)))


def captions() -> dict:
    "page -> [(kind, chapter, number)] of its table and figure captions, in order."
    out = {}
    for p in sorted(HTML.glob('*.html')):
        out[p.stem] = [(k, c, int(n)) for k, c, n in re.findall(r'<strong>(Table|Figure) ([0-9]+|[A-C])\.(\d+)\.</strong>', p.read_text())]
    return out


@pytest.mark.skipif(chromium_path() is None, reason='chromium not installed (.ci/run installs it)')
def test_chapters_fit_their_screens():
    from mpox_nbdev.testing import serve_folder
    got = {}
    with serve_folder(HTML) as url, Chromium() as c:
        for name in SCREENS:
            s = c.open(f'{url}/{name}.html'); c.wait_for(s, f"location.pathname.endsWith('/{name}.html') && document.readyState == 'complete'")
            c.screenshot(s, '/dev/null', width=1280, height=900); time.sleep(0.2)
            got[name] = c.evaluate(s, 'document.documentElement.scrollHeight') / 900
    assert all(got[n] <= SCREENS[n] for n in SCREENS), {n: round(v, 1) for n, v in got.items()}


def test_numbers_are_continuous_and_every_reference_resolves():
    caps = captions(); known = {(k, c, n) for v in caps.values() for k, c, n in v}
    for page, v in caps.items():
        for kind in ('Table', 'Figure'):
            nums = [(c, n) for k, c, n in v if k == kind]
            assert len({c for c, _ in nums}) <= 1, (page, kind, nums)                      # one chapter's numbers on a page
            assert [n for _, n in nums] == list(range(1, len(nums) + 1)), (page, kind, nums)  # 1, 2, 3 … without gaps or repeats
    missing = []
    for page in caps:
        for kind, chap, a, b in LABEL.findall(page_text(page)):
            missing += [f'{page}: {kind} {chap}.{n}' for n in range(int(a), int(b or a) + 1) if (kind, chap, n) not in known]
    assert missing == []


def test_no_table_of_the_main_text_is_over_30_rows():
    for name in ('results', 'mobile', 'reproducibility', 'audit', 'discussion', 'data', 'gan'):
        h = (HTML / f'{name}.html').read_text()
        rows = [t.count('<tr>') - 1 for t in re.findall(r'<table.*?</table>', h, flags=re.S)]
        assert max(rows, default=0) <= 30, (name, rows)


def test_readers_see_words_not_identifiers():
    codes = {n for n in ARMS if re.fullmatch(r'[a-z0-9]+', n) and len(n) > 3 and n not in ('noaug', 'probe')}   # arm codes a reader could not read
    for name in READER_CHAPTERS:
        text = page_text(name, drop=('table', 'figure', 'pre', 'script', 'style', 'nav', 'header', 'footer'))
        words = set(re.findall(r'[A-Za-z0-9_./<>-]+', text))
        assert not (words & codes), (name, sorted(words & codes))
        paths = sorted(w for w in words if re.search(r'\w/\w|\.(csv|json|py|sh|tflite)$|^mpox_nbdev|\w_\w+_?\w*$', w))   # files, modules, names_like_this
        assert paths == [], (name, paths)


def test_no_template_leftovers():
    for p in HTML.glob('*.html'):
        text = page_text(p.stem, drop=('pre', 'script', 'style'))
        assert not re.search(r'(?<![\d.])(\d+(?:\.\d+)?) and \1(?![\d.])', text), (p.stem, re.search(r'(\d+(?:\.\d+)?) and \1', text))
        assert not re.search(r'(?<![\d.])(\d+(?:\.\d+)?)\s*[–-]\s*\1(?![\d.])\s*(ms|%|points|MB)', text), p.stem
        assert '-0.000' not in text, p.stem


def test_the_discussion_stands_on_the_literature():
    "At least 20 works in the bibliography, at least 8 of them cited by the discussion."
    refs = (HTML / 'references.html').read_text()
    entries = set(re.findall(r'<(?:div|dt|span)[^>]*(?:role="doc-biblioentry"|class="citation[^"]*")[^>]*id="([^"]+)"', refs)) or \
              set(re.findall(r'<dt class="label" id="([^"]+)"', refs))
    cited = set(re.findall(r'href="references\.html#([^"]+)"', (HTML / 'discussion.html').read_text()))
    assert len(entries) >= 20, len(entries)
    assert len(cited & entries) >= 8, (len(cited), len(cited & entries))
