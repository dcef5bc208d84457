"End-to-end: the `mpox` console script as a user runs it, in a subprocess."
import filecmp, os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MPOX = str(Path(sys.executable).parent / 'mpox')


def run(*args, **kw):
    return subprocess.run([MPOX, *args], capture_output=True, text=True, cwd=ROOT, **kw)


def test_help_names_every_command():
    r = run('--help')
    assert r.returncode == 0
    for cmd in ('fetch', 'verify', 'curate', 'reproduce'):
        assert cmd in r.stdout


def test_curate_rebuilds_committed_manifest_byte_identically(tmp_path):
    r = run('curate', '--out', str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert filecmp.cmp(tmp_path / 'manifest.csv', ROOT / 'data/ocsi/manifest.csv', shallow=False)
    assert filecmp.cmp(tmp_path / 'curation_report.json', ROOT / 'data/ocsi/curation_report.json', shallow=False)
    assert filecmp.cmp(tmp_path / 'sources' / 'manifest.csv', ROOT / 'data/sources/manifest.csv', shallow=False)   # every source's photos too


def test_bad_data_root_is_one_line_error():
    r = run('verify', '--data-root', '/nonexistent/place')
    assert r.returncode == 1
    errors = [l for l in r.stderr.splitlines() if l.startswith('error: ')]   # (progress bars also write to stderr)
    assert len(errors) == 1 and '/nonexistent/place' in errors[0] and 'Traceback' not in r.stderr
