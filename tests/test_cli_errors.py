"""Every error a user can cause on the command line: one line naming the file or option, exit status != 0, no
traceback, and no work lost (the good files are still screened and written)."""
import csv, os, shutil, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
MPOX = str(Path(sys.executable).parent / 'mpox')
# root reads any file: drop the capabilities that let it ignore permission bits, so an unreadable folder is unreadable
AS_USER = ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] if os.geteuid() == 0 else []


def run(*args, prefix=()):
    r = subprocess.run([*prefix, MPOX, *map(str, args)], capture_output=True, text=True, cwd=ROOT)
    assert 'Traceback' not in r.stderr, r.stderr[-2000:]
    return r


def errors(r): return [l for l in r.stderr.splitlines() if l.startswith('error: ')]


@pytest.fixture(scope='module')
def photo(tmp_path_factory):
    from mpox_nbdev.core import data_root
    from mpox_nbdev.folds import load_manifest
    d = tmp_path_factory.mktemp('one')
    p = d / 'skin.jpg'; shutil.copy(data_root() / load_manifest().file[0], p)
    return p


@pytest.mark.parametrize('bad', ['notes.txt', 'folder'])
def test_model_that_is_not_a_model(photo, tmp_path, bad):
    m = tmp_path / bad
    if bad == 'folder': m.mkdir()
    else: m.write_text('not a model')
    r = run('predict', photo, '--model', m)
    assert r.returncode == 2 and r.stdout == ''                      # a usage error
    assert errors(r) == [errors(r)[0]] and str(m) in errors(r)[0]
    assert ('not a TFLite model' if bad != 'folder' else 'is a folder') in errors(r)[0]


def test_csv_destination_checked_before_screening(photo, tmp_path):
    r = run('predict', photo, '--task', 'binary', '--csv', tmp_path / 'nodir' / 'x.csv')
    assert r.returncode == 2 and r.stdout == ''                      # a usage error: nothing screened, so nothing lost
    assert len(errors(r)) == 1 and '--csv' in errors(r)[0] and 'nodir' in errors(r)[0] and 'does not exist' in errors(r)[0]


@pytest.mark.parametrize('out,why', [('nodir/o.png', 'does not exist'), ('o.txt', 'must end in .png')])
def test_explain_output_checked_first(photo, tmp_path, out, why):
    r = run('explain', photo, '--task', 'binary', '--out', tmp_path / out)
    assert r.returncode == 2 and len(errors(r)) == 1 and '--out' in errors(r)[0] and why in errors(r)[0]


def test_explain_bad_image_fails_before_tensorflow_loads(tmp_path):
    "A bad image is refused before the model is loaded (TensorFlow never imported), and stderr holds only the error."
    bad = tmp_path / 'notes.jpg'; bad.write_text('text')
    code = ("import sys; from mpox_nbdev.cli import main; rc = main(['explain', sys.argv[1], '--out', sys.argv[2], '--task', 'binary']);"
            "print('tensorflow' in sys.modules); sys.exit(rc)")
    r = subprocess.run([sys.executable, '-c', code, str(bad), str(tmp_path / 'o.png')], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 1 and r.stdout.strip() == 'False'
    assert r.stderr.strip().splitlines() == [f'error: {bad}: not an image (format not recognised)']


def test_explain_prints_no_tensorflow_noise(photo, tmp_path):
    r = run('explain', photo, '--task', 'binary', '--out', tmp_path / 'o.png')
    assert r.returncode == 0 and r.stderr == '', r.stderr
    assert r.stdout.startswith(f'{photo}: ') and (tmp_path / 'o.png').exists()


def test_unreadable_folder_given_by_name_and_unreadable_subfolder(photo, tmp_path):
    d = tmp_path / 'photos'; (d / 'locked').mkdir(parents=True); (d / 'sub').mkdir()
    shutil.copy(photo, d / 'good.jpg'); shutil.copy(photo, d / 'locked' / 'hidden.jpg'); shutil.copy(photo, d / 'sub' / 'x.jpg')
    out = tmp_path / 'out.csv'
    for p in (tmp_path, d): p.chmod(0o777)
    out.touch(); out.chmod(0o666)
    (d / 'locked').chmod(0o000)
    try:
        r = run('predict', d / 'locked' / 'hidden.jpg', d, '--task', 'binary', '--csv', out, prefix=AS_USER)
    finally: (d / 'locked').chmod(0o755)
    assert r.returncode == 1
    errs = errors(r)
    assert any(e.startswith(f'error: {d / "locked" / "hidden.jpg"}: permission denied') for e in errs), errs
    assert any(e.startswith(f'error: {d / "locked"}: cannot read folder') for e in errs), errs
    assert len(errs) == 2
    rows = list(csv.DictReader(out.open()))
    assert sorted(Path(r['file']).name for r in rows) == ['good.jpg', 'x.jpg']      # the others were still screened


@pytest.mark.parametrize('content', [None, 'notes.txt'])
def test_folder_without_images_is_an_error(tmp_path, content):
    d = tmp_path / 'empty'; d.mkdir()
    if content: (d / content).write_text('x')
    r = run('predict', d, '--task', 'binary')
    assert r.returncode == 1 and len(errors(r)) == 1 and f'{d}: no images found' in errors(r)[0]


def test_verify_lists_every_bad_file(tmp_path):
    from mpox_nbdev.core import data_root
    from mpox_nbdev.data import load_registry
    reg = load_registry()
    for f in reg.file[:5]:  # a data root holding 5 of the 1,788 files, one of them altered
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True); shutil.copy(data_root() / f, tmp_path / f)
    (tmp_path / reg.file[0]).write_bytes(b'changed')
    r = run('verify', '--data-root', tmp_path)
    errs = errors(r)
    assert r.returncode == 1 and f'{tmp_path / reg.file[0]}: md5 mismatch' in errs[0]
    assert len(errs) == 22 and errs[20] == f'error: ... and {len(reg) - 4 - 20} more'
    assert errs[21] == f'error: {len(reg) - 4} of {len(reg)} files failed verification under {tmp_path}'
    missing_root = run('verify', '--data-root', tmp_path / 'nowhere')
    assert missing_root.returncode == 1 and errors(missing_root) == [
        f'error: {tmp_path / "nowhere"}: data root does not exist (set MPOX_DATA_DIR or --data-root, or run `mpox fetch` to download the sources)']


def test_probabilities_sum_to_one_and_small_or_blank_images_warn(photo, tmp_path):
    Image.new('RGB', (1, 1), 'red').save(tmp_path / 'dot.png')
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (10, 10, 3), np.uint8)).save(tmp_path / 'tiny.png')
    Image.new('RGB', (400, 400), (200, 170, 150)).save(tmp_path / 'blank.jpg')
    shutil.copy(photo, tmp_path / 'skin.jpg')
    for task, classes in (('binary', ['Mpox', 'Others']), ('multiclass', ['Acne', 'Chickenpox', 'Mpox', 'Healthy'])):
        out = tmp_path / f'{task}.csv'
        r = run('predict', tmp_path, '--task', task, '--csv', out)
        assert r.returncode == 0 and errors(r) == []                               # warnings are not errors
        warns = [l for l in r.stderr.splitlines() if l.startswith('warning: ')]
        assert sum('smaller than' in w for w in warns) == 2 and sum('nearly uniform' in w for w in warns) == 2  # dot: both
        assert not any('skin.jpg' in w for w in warns)
        rows = list(csv.DictReader(out.open()))
        assert len(rows) == 4
        for row in rows: assert abs(sum(float(row[f'p_{c}']) for c in classes) - 1) < 1e-6
        for line in r.stdout.splitlines():                                        # printed probabilities sum to 1 too
            if '   (' not in line: continue                                       # rejected photos and count lines print none
            assert abs(sum(float(v) for v in line.rsplit('   (', 1)[1].rstrip(')').split()[1::2]) - 1) < 2e-3


def test_phone_formats_and_renamed_files_are_screened(photo, tmp_path):
    "An iPhone's HEIC photo and a JPEG saved as .png are screened like any photo; the renamed one gets a warning."
    import pillow_heif
    pillow_heif.register_heif_opener()
    im = Image.open(photo)
    im.save(tmp_path / 'iphone.heic', 'HEIF'); im.save(tmp_path / 'modern.avif', 'AVIF')
    shutil.copy(photo, tmp_path / 'downloaded.png')                                # JPEG bytes, .png name
    r = run('predict', tmp_path, '--task', 'binary')
    assert r.returncode == 0 and errors(r) == [], r.stderr
    screened = {Path(l.split(': ')[0]).name for l in r.stdout.splitlines() if ': ' in l}   # one answer line per photo
    assert screened == {'iphone.heic', 'modern.avif', 'downloaded.png'}
    assert [l for l in r.stderr.splitlines() if l.startswith('warning: ')] == [
        f'warning: {tmp_path / "downloaded.png"}: extension .png does not match its JPEG content; read as JPEG']
