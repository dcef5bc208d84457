"""Benchmark: the book's screen.html page in headless Chromium (LiteRT.js, WebAssembly) against `mpox predict`.

For each task, a fresh browser (empty cache) opens the page once per photo (5 OCSI crops): the first answer's time
after navigation and the bytes transferred come from the first, cold tab; the model's median latency in the page
is over 10 runs per photo. The same photos go through the library's `screen` (what `mpox predict` prints) to
give the largest probability difference. A screenshot of the page's answer for the first photo goes to
results/figures/screen_page.png.

Usage: make book; python bench/browser.py [BUILT_BOOK_HTML]   -> writes results/mobile/browser.csv and results/figures/screen_page.png
"""
import os, shutil, tempfile
from pathlib import Path

os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
import numpy as np
import pandas as pd

from mpox_nbdev.core import project_root, results_dir
from mpox_nbdev.predict import screen
from mpox_nbdev.testing import serve_folder
from mpox_nbdev.web import SCREEN_TASKS, Chromium, browser_answers, screen_photos

import sys
HTML = Path(sys.argv[1]) if len(sys.argv) > 1 else project_root()/'book'/'_build'/'html'
if not (HTML/'screen.html').exists(): raise SystemExit(f'{HTML}/screen.html: build the book first (make book)')
folder = HTML/'_screen_bench'
rows = []
try:
    photos = screen_photos(folder, 5)
    for task in SCREEN_TASKS:
        page = browser_answers(HTML, photos, task, timing_runs=10).set_index('file')
        cli, _, _ = screen(photos, task, progress=False)
        cli = cli.assign(file=cli.file.map(lambda f: Path(f).name)).set_index('file').loc[page.index]
        p = [c for c in cli.columns if c.startswith('p_')]
        rows.append({'task': task, 'photos': len(page), 'agree_with_cli': int((page.prediction == cli.prediction).sum()),
                     'max_abs_prob_diff': float((page[p] - cli[p]).abs().to_numpy().max()),
                     'cold_transfer_mb': page.transfer_bytes.iloc[0] / 1e6, 'first_answer_s': page.first_ms.iloc[0] / 1e3,
                     'median_model_ms': float(np.median(page.median_ms)), 'browser': 'headless Chromium', 'cpus': os.cpu_count()})
    out = results_dir()/'mobile'/'browser.csv'
    pd.DataFrame(rows).to_csv(out, index=False, float_format='%.4g', lineterminator='\n'); print(pd.DataFrame(rows).to_string())
    with serve_folder(HTML) as url, Chromium() as c:
        s = c.open(f'{url}/screen.html?image={photos[-1].relative_to(HTML).as_posix()}&task=multiclass')
        c.wait_for(s, "document.getElementById('result')?.textContent")
        c.screenshot(s, results_dir()/'figures'/'screen_page.png', 1280, 900)   # sets the viewport first
        c.evaluate(s, "window.scrollTo(0, document.getElementById('screen-app').getBoundingClientRect().top + window.scrollY - 70)")
        c.screenshot(s, results_dir()/'figures'/'screen_page.png', 1280, 900)
    print('wrote', out, 'and results/figures/screen_page.png')
finally:
    shutil.rmtree(folder, ignore_errors=True)
