"""Fuzzing `mpox predict`: 10,000 files made by `fuzz.fuzz_corpus` (seed 0) from 30 real photos and 20 synthetic images,
screened in one run (`--task binary --csv`), its output read line by line as it streams. Counts: tracebacks, hangs (no
line for 60 s), files without exactly one line (an answer on stdout or an error on stderr), intact photos refused, peak
memory (/usr/bin/time), seconds per 1,000 files. Then the screening speed on 1,000 valid photos with this code and with
the code before the hardening (`--before`, a git revision; run from a worktree of it), one after the other in this run.
Usage: .venv/bin/python bench/fuzz_predict.py [SCRATCH] [--files N] [--before REV]  ->  bench/fuzz_predict.json"""
import argparse, json, os, re, selectors, shutil, subprocess, sys, tempfile, time
from pathlib import Path

import pandas as pd

from mpox_nbdev.core import data_root
from mpox_nbdev.data import load_registry
from mpox_nbdev.folds import load_manifest
from mpox_nbdev.fuzz import fuzz_corpus

ROOT = Path(__file__).resolve().parents[1]
MPOX = str(Path(sys.executable).parent/'mpox')
BEFORE = 'ae5935c'   # main before `predict` was hardened (issue 40)

def streamed(cmd, env=None, hang_s=60):
    "Run `cmd`; (stdout lines, stderr lines, exit status, longest silence in s, peak RSS in MB from /usr/bin/time -v)."
    p = subprocess.Popen(['/usr/bin/time', '-v', *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    sel = selectors.DefaultSelector(); out = {'stdout': [], 'stderr': []}
    for name in out: sel.register(getattr(p, name), selectors.EVENT_READ, name)
    last, gap, open_ = time.time(), 0.0, 2
    while open_:
        events = sel.select(timeout=hang_s)
        if not events: gap = max(gap, time.time() - last); continue
        for key, _ in events:
            line = key.fileobj.readline()
            if not line: sel.unregister(key.fileobj); open_ -= 1; continue
            out[key.data].append(line.decode('utf-8', 'replace').rstrip('\n')); gap = max(gap, time.time() - last); last = time.time()
    rc = p.wait()
    rss = next((int(l.split(':')[1]) / 1024 for l in out['stderr'] if 'Maximum resident set size' in l), float('nan'))
    return out['stdout'], [l for l in out['stderr'] if not l.startswith('\t')], rc, gap, rss

def fuzz_run(folder: Path, n: int) -> dict:
    photos = [data_root()/f for f in load_manifest().file[:30]]
    corpus = fuzz_corpus(folder/'files', n, photos=photos, n_synthetic=20, seed=0)
    t = time.time(); so, se, rc, gap, rss = streamed([MPOX, 'predict', '--task', 'binary', '--csv', str(folder/'out.csv'), str(folder/'files')])
    secs = time.time() - t
    idx = re.compile(re.escape(str(folder/'files')) + r'/(\d{5})-')
    answers = [int(m.group(1)) for l in so if (m := idx.match(l))]
    errors = [int(m.group(1)) for l in se if l.startswith('error: ') and (m := idx.match(l[7:]))]
    lines = pd.Series(answers + errors).value_counts().reindex(corpus['index'], fill_value=0)
    valid = set(corpus[corpus.valid == True]['index'])
    csv_rows = len(pd.read_csv(folder/'out.csv')) if (folder/'out.csv').exists() else None
    return {'files': int(n), 'exit_status': rc, 'tracebacks': sum('Traceback' in l for l in se), 'hangs': int(gap >= 60),
            'longest_silence_s': round(gap, 1), 'files_without_one_line': int((lines != 1).sum()),
            'valid_photos': len(valid), 'valid_photos_refused': len(valid & set(errors)), 'screened': len(answers),
            'errors': len(errors), 'csv_rows': csv_rows, 'peak_memory_mb': round(rss), 'seconds': round(secs, 1),
            'seconds_per_1000_files': round(1000 * secs / n, 1),
            'by_mutation': corpus.assign(screened=corpus['index'].isin(answers)).groupby('mutation').screened.agg(['size', 'sum']).rename(columns={'size': 'files', 'sum': 'screened'}).to_dict('index')}

def speed(photos, env=None) -> float:
    t = time.time(); r = subprocess.run([MPOX, 'predict', '--task', 'binary', *map(str, photos)], capture_output=True, env=env)
    assert r.returncode == 0, r.stderr[-500:]
    return round(1000 * (time.time() - t) / len(photos), 2)

def speed_before_after(rev: str, n: int = 1000) -> dict:
    reg = load_registry(); files = [data_root()/f for f in reg.file if f.lower().endswith(('.jpg', '.jpeg', '.png'))]
    photos = [f for f in files if f.exists()][:n]
    wt = Path(tempfile.mkdtemp())/'before'
    subprocess.run(['git', '-C', str(ROOT), 'worktree', 'add', '-q', '--detach', str(wt), rev], check=True)
    try:
        env = {**os.environ, 'PYTHONPATH': str(wt), 'MPOX_MODELS_DIR': str(ROOT/'models')}
        before = speed(photos, env); after = speed(photos)
    finally: subprocess.run(['git', '-C', str(ROOT), 'worktree', 'remove', '--force', str(wt)], check=True)
    return {'photos': len(photos), 'before_rev': rev, 'seconds_per_1000_before': before, 'seconds_per_1000_after': after,
            'photos_per_second_after': round(1000 / after, 1)}

if __name__ == '__main__':
    a = argparse.ArgumentParser(); a.add_argument('scratch', nargs='?', default=str(ROOT/'.cache'/'bench-scratch'/'fuzz'))
    a.add_argument('--files', type=int, default=10_000); a.add_argument('--before', default=BEFORE); args = a.parse_args()
    folder = Path(args.scratch); shutil.rmtree(folder, ignore_errors=True); folder.mkdir(parents=True)
    out = {'fuzz': fuzz_run(folder, args.files), 'speed': speed_before_after(args.before)}
    (ROOT/'bench'/'fuzz_predict.json').write_text(json.dumps(out, indent=1) + '\n'); print(json.dumps(out, indent=1))
