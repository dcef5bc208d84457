"The built book, served on localhost and opened in headless Chromium: tables and figures are really there, and the pages read like a paper."
import base64, io, json, re, shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from mpox_nbdev.testing import serve_folder
from mpox_nbdev.web import Chromium, chromium_path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / 'book/_build/html'
SHOTS = ROOT / 'results/figures/book'
pytestmark = [pytest.mark.skipif(not (HTML / 'index.html').exists(), reason='book not built (make book)'),
              pytest.mark.skipif(chromium_path() is None, reason='chromium not installed (.ci/run installs it)')]
PAGES = sorted(p.name for p in HTML.glob('*.html') if p.name not in ('genindex.html', 'search.html', 'index.html'))  # index.html redirects to intro.html


@pytest.fixture(scope='module')
def browser():
    with serve_folder(HTML) as url, Chromium() as c: yield url, c


def page_state(browser, page):
    "Open `page`; return what the checks need, measured in the rendered page."
    url, c = browser
    s = c.open(f'{url}/{page}')
    c.wait_for(s, "document.readyState === 'complete' && document.querySelector('article') !== null")
    js = """(() => {
      const art = document.querySelector('article.bd-article') || document.querySelector('article');
      const col = art.getBoundingClientRect().width;
      const tables = [...art.querySelectorAll('table')].map(t => ({caption: (t.querySelector('caption') || {}).innerText || '',
                      width: t.getBoundingClientRect().width, col: Math.min(col, (t.closest('.book-table') || t.parentElement).clientWidth)}));
      const imgs = [...art.querySelectorAll('img')].map(i => ({alt: i.getAttribute('alt') || '', src: i.getAttribute('src') || '',
                    caption: (i.closest('figure') && i.closest('figure').querySelector('figcaption')) ? i.closest('figure').querySelector('figcaption').innerText : ''}));
      return JSON.stringify({text: art.innerText, tables, imgs, bib: document.querySelectorAll('[role=doc-biblioentry], .citation').length,
                             title: document.title});
    })()"""
    out = json.loads(c.evaluate(s, js)); out['session'] = s
    return out


def png_of(src: str) -> Image.Image:
    if src.startswith('data:image/png;base64,'): return Image.open(io.BytesIO(base64.b64decode(src.split(',', 1)[1])))
    return Image.open(HTML / src)


def not_blank(im: Image.Image) -> bool:
    return np.asarray(im.convert('L'), dtype=float).std() > 5


MUST = {
    'intro.html': ['Abstract', 'Results.', 'Caveat.', 'linear probe'],
    'results.html': ['Table 4.1', 'Table 4.2', 'Photos from elsewhere', 'replication on OCSI', 'What ships', 'What we found'],
    'appendix_results.html': ['Table A.1', 'Repeated-measures ANOVA', 'Tukey', 'Holm', 'Augmentation effect', 'Against a linear probe'],
    'appendix_mobile.html': ['Table B.1', 'Out-of-distribution gates', 'same answer for the same lesion'],
    'gan.html': ['Training cost', 'Fréchet', 'Mpox vs Healthy', 'across noaug, aug, gan', 'On OCSI'],
    'mobile.html': ['Table 7.1', 'same answer for the same lesion', 'When not to answer', 'What we found',
                    'called Mpox without and with the gate', 'Inconclusive answers', 'In the reader'],
    'audit.html': ['Is it looking at the lesion?', 'The pointing game', 'Context ablation', 'Source shift', 'Skin tone',
                   'A disease the model never saw', 'Verdict', 'chance level'],
    'discussion.html': ['What holds', 'What does not hold', 'What OCSI is not', 'What a clinic would need'],
}
FIGURES = {'appendix_results.html': 9, 'gan.html': 2, 'appendix_mobile.html': 2, 'audit.html': 5, 'explanations.html': 1}  # at least this many non-blank figures
NUMBERED = {f'{p}.html' for p in ('data', 'method', 'results', 'explanations', 'audit', 'mobile', 'screen', 'gan', 'reproducibility')}
RAW = re.compile(r'np\.(float|int|str|bool)\w*\(|\b\d+\.\d{6,}\b|<pandas\.|dtype: ')


@pytest.mark.parametrize('page', PAGES)
def test_page_reads_like_a_paper(browser, page):
    st = page_state(browser, page)
    for text in MUST.get(page, []): assert text in st['text'], f'{page}: missing {text!r}'
    raw = RAW.search(st['text'])
    assert raw is None, f"{page}: raw output on the page: {st['text'][max(0, raw.start() - 60):raw.end() + 20]!r}"
    for t in st['tables']:
        assert t['width'] <= t['col'] + 1, f"{page}: table {t['caption'][:60]!r} is {t['width']:.0f} px wide, its column {t['col']:.0f} px"
    for i in st['imgs']:
        assert i['alt'].strip() and i['caption'].strip(), f"{page}: a figure without alt text or caption ({i['src'][:40]})"
    figs = [i for i in st['imgs'] if i['src'].startswith('data:image/png') or i['src'].endswith('.png')]
    assert len(figs) >= FIGURES.get(page, 0), f'{page}: {len(figs)} figures'
    for i in figs: assert not_blank(png_of(i['src'])), f"{page}: a blank figure ({i['caption'][:50]})"
    if page in NUMBERED: assert re.search(r'\b(Table|Figure) \d+\.\d+\.', st['text']), f'{page}: no numbered table or figure'


def test_bibliography_and_citations(browser):
    st = page_state(browser, 'references.html')
    assert st['bib'] >= 12, f"references: {st['bib']} entries"
    for page in ('intro.html', 'results.html', 'gan.html', 'data.html'):
        assert re.search(r'[A-Z][a-z]+( et al\.| and [A-Z][a-z]+)?,? [\[(]?\d{4}', page_state(browser, page)['text']), f'{page}: no citation'


def test_screenshots_for_reviewers(browser):
    "Landing, results and mobile pages as a reader sees them, kept under results/figures/book/."
    url, c = browser
    SHOTS.mkdir(parents=True, exist_ok=True)
    for page in ('intro.html', 'results.html', 'mobile.html'):   # index.html only redirects to intro.html
        s = c.open(f'{url}/{page}')
        c.wait_for(s, "document.readyState === 'complete'")
        c.screenshot(s, SHOTS / f'{Path(page).stem}.png', 1280, 1000)
        assert not_blank(Image.open(SHOTS / f'{Path(page).stem}.png'))
        c.close(s)
