"""`mpox predict` and `mpox explain` on fuzzed files (`fuzz.fuzz_corpus`, every mutation kind): exactly one line per file,
no traceback, every intact photo screened, a CSV that reads back, honest endings when the run is killed or interrupted.
The 10,000-file version is `bench/fuzz_predict.py`."""
import os, re, signal, subprocess, sys, time
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
MPOX = str(Path(sys.executable).parent / 'mpox')


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    from mpox_nbdev.core import data_root
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.fuzz import fuzz_corpus
    d = tmp_path_factory.mktemp('fuzz')
    return d, fuzz_corpus(d / 'files', 320, photos=[data_root() / f for f in load_manifest().file[:3]], n_synthetic=12, seed=1)


def lines_per_file(folder, stdout, stderr):
    idx = re.compile(re.escape(str(folder)) + r'/(\d{5})-')
    found = [int(m.group(1)) for l in stdout.splitlines() if (m := idx.match(l))]
    found += [int(m.group(1)) for l in stderr.splitlines() if l.startswith('error: ') and (m := idx.match(l[7:]))]
    return pd.Series(found, dtype=int).value_counts()


def test_every_fuzzed_file_gets_one_line(corpus):
    d, c = corpus
    r = subprocess.run([MPOX, 'predict', '--task', 'binary', '--csv', str(d / 'out.csv'), str(d / 'files')], capture_output=True, text=True, errors='replace')
    assert 'Traceback' not in r.stderr and r.returncode == 1, r.stderr[-2000:]
    n = lines_per_file(d / 'files', r.stdout, r.stderr).reindex(c['index'], fill_value=0)
    assert (n == 1).all(), c[(n != 1).to_numpy()].to_string()
    refused = {int(m.group(1)) for l in r.stderr.splitlines() if l.startswith('error: ') and (m := re.search(r'/(\d{5})-', l))}
    assert not refused & set(c[c.valid == True]['index']), 'an intact photo was refused'
    assert set(c.mutation) >= {'flip', 'truncate', 'bomb', 'exif_junk', 'orientation', 'symlink', 'loop', 'animated'}
    out = pd.read_csv(d / 'out.csv')
    assert len(out) == sum(1 for l in r.stdout.splitlines() if re.match(re.escape(str(d / 'files')) + r'/\d{5}-', l))
    assert 'not a close-up' not in r.stderr and not any('\r' in l for l in r.stdout.splitlines())   # one line each, names escaped


def test_explain_on_fuzzed_files(corpus, tmp_path):
    d, c = corpus
    for kind, g in c.groupby('mutation'):
        f = g.file.iloc[0]
        r = subprocess.run([MPOX, 'explain', f, '--task', 'binary', '--out', str(tmp_path / 'o.png')], capture_output=True, text=True, errors='replace')
        assert 'Traceback' not in r.stderr and r.returncode in (0, 1), (kind, r.stderr[-1500:])
        assert len([l for l in (r.stdout + r.stderr).splitlines() if not l.startswith('warning: ')]) == 1, (kind, r.stdout, r.stderr)


def test_names_of_any_kind_read_back(tmp_path, corpus):
    d, c = corpus
    photo = next(f for f, m, v in zip(c.file, c.mutation, c.valid) if m == 'copy' and v)
    names = [b'cr\rname.jpg', b'nl\nname.jpg', b'latin\xe9.jpg', b'tab\tand \x1b esc.jpg']
    for n in names: (tmp_path / os.fsdecode(n)).write_bytes(Path(photo).read_bytes())
    r = subprocess.run([MPOX, 'predict', '--task', 'binary', '--csv', str(tmp_path / 'o.csv'), str(tmp_path)], capture_output=True)
    assert r.returncode == 0, r.stderr[-1000:]
    back = pd.read_csv(tmp_path / 'o.csv')
    assert len(back) == len(names) and len(r.stdout.decode().splitlines()) == len(names) + 2   # an answer each, the counts, the CSV line
    assert sorted(back.file.map(lambda f: Path(f).name)) == sorted(['cr\rname.jpg', 'nl\nname.jpg', 'latin\\xe9.jpg', 'tab\tand \x1b esc.jpg'])


@pytest.mark.parametrize('bad', ['/proc/out.csv', '/sys/out.csv', 'full', 'long'])
def test_csv_destination_refused_before_screening(corpus, tmp_path, bad):
    d, c = corpus
    if bad == 'full': (tmp_path / 'full.csv').symlink_to('/dev/full'); bad = tmp_path / 'full.csv'
    if bad == 'long': bad = tmp_path / ('x' * 300 + '.csv')
    r = subprocess.run([MPOX, 'predict', '--task', 'binary', '--csv', str(bad), str(d / 'files')], capture_output=True, text=True, errors='replace')
    assert r.returncode == 2 and r.stdout == '' and 'Traceback' not in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith('error: --csv '), r.stderr[-500:]


@pytest.mark.parametrize('sig', [signal.SIGKILL, signal.SIGINT])
def test_a_stopped_run_leaves_a_valid_csv_of_what_was_done(corpus, tmp_path, sig):
    d, c = corpus
    out = tmp_path / 'out.csv'; out.write_text('file\nstale.jpg\n')
    files = [f for f, m, v in zip(c.file, c.mutation, c.valid) if v] * 20   # a long run of intact photos
    p = subprocess.Popen([MPOX, 'predict', '--task', 'binary', '--csv', str(out), *files], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))   # a shell's background job starts with SIGINT ignored
    for _ in range(30): p.stdout.readline()   # 30 answers printed
    p.send_signal(sig); so, se = p.communicate(timeout=60)
    back = pd.read_csv(out)
    assert len(back) >= 30 and 'stale.jpg' not in set(back.file) and list(back.columns)[:3] == ['file', 'prediction', 'status']
    if sig == signal.SIGINT:
        assert p.returncode == 130 and 'Traceback' not in se.decode()
        msg = se.decode().strip().splitlines()[-1]
        assert msg.startswith('interrupted: ') and 'photos screened before it' in msg and 'resume' not in msg, msg
