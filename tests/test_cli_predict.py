"End-to-end: a user screens a folder of photos and explains one, with the shipped default models."
import csv, json, subprocess, sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
MPOX = str(Path(sys.executable).parent / 'mpox')
pytestmark = pytest.mark.skipif(not (ROOT / 'models/binary.tflite').exists(), reason='default models not built yet')


def run(*args):
    return subprocess.run([MPOX, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope='module')
def photos(tmp_path_factory):
    from mpox_nbdev.core import data_root
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.testing import make_bad_corpus
    d = tmp_path_factory.mktemp('photos')
    expect = make_bad_corpus(d / 'mixed')
    man = load_manifest()
    for f, label in man.groupby('label').head(1)[['file', 'label']].itertuples(index=False):  # sources reuse names: prefix
        (d / 'mixed' / f'{label}_{Path(f).name}').write_bytes((data_root() / f).read_bytes())
    return d / 'mixed', expect


@pytest.mark.parametrize('task,classes', [('binary', ['Mpox', 'Others']), ('multiclass', ['Acne', 'Chickenpox', 'Mpox', 'Healthy'])])
def test_predict_folder_with_bad_files(photos, tmp_path, task, classes):
    if not (ROOT / f'models/{task}.tflite').exists(): pytest.skip(f'no {task} model')
    folder, expect = photos
    out = tmp_path / 'p.csv'
    r = run('predict', str(folder), '--task', task, '--csv', str(out))
    assert r.returncode == 1                                   # some files failed...
    bad = [n for n, v in expect.items() if v]
    errors = [l for l in r.stderr.splitlines() if l.startswith('error: ')]
    assert len(errors) == len(bad)                             # ...each with exactly one line naming it
    for n in bad: assert any(str(folder / n) in e for e in errors)
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ['file', 'prediction', 'status', 'ood_score', *[f'p_{c}' for c in classes]]
    assert len(rows) == len(expect) - len(bad) + 4             # ...and the rest were still processed
    card = json.loads((ROOT / f'models/{task}.json').read_text())
    for row in rows:
        assert row['prediction'] in classes
        assert abs(sum(float(row[f'p_{c}']) for c in classes) - 1) < 1e-6
        if 'threshold' in card:                                 # the card's operating point decides, not the argmax
            assert (row['prediction'] == 'Mpox') == (float(row['p_Mpox']) >= card['threshold'])
        else: assert row['prediction'] == max(classes, key=lambda c: float(row[f'p_{c}']))
        assert (row['status'] == 'rejected') == (float(row['ood_score']) > card['ood_threshold'])
        if row['status'] != 'rejected':
            assert (row['status'] == 'inconclusive') == (float(row[f"p_{row['prediction']}"]) < card['inconclusive_below'])


@pytest.mark.parametrize('task', ['binary', 'multiclass'])
def test_predict_verdicts(photos, tmp_path, task):
    "A picture that is not skin is refused with the gate's score; OCSI photos, also as HEIC or as a JPEG named .png, are screened."
    import pillow_heif, skimage
    from mpox_nbdev.core import data_root
    from mpox_nbdev.folds import load_manifest
    from mpox_nbdev.images import load_image, parse_crop
    pillow_heif.register_heif_opener()
    d = tmp_path / 'v'; d.mkdir()
    for name in ('page.png', 'coins.png', 'horse.png'):
        Image.open(Path(skimage.__file__).parent / 'data' / name).convert('RGB').save(d / f'notskin_{name}')
    man = load_manifest()
    acne, mpox = man[man.label == 'Acne'].iloc[0], man[man.label == 'Mpox'].iloc[0]
    crop = lambda r: load_image(data_root() / r.file, parse_crop(r.crop))             # the close-up OCSI keeps
    crop(mpox).save(d / 'mpox.jpg', quality=95)
    crop(acne).save(d / 'phone.heic')                                                 # as an iPhone saves it
    (d / 'renamed.png').write_bytes((d / 'mpox.jpg').read_bytes())                    # a JPEG named .png
    out = tmp_path / 'v.csv'
    r = run('predict', str(d), '--task', task, '--csv', str(out))
    assert r.returncode == 0, r.stderr                                               # refusing a picture is an answer, not an error
    card = json.loads((ROOT / f'models/{task}.json').read_text())
    rows = {Path(x['file']).name: x for x in csv.DictReader(out.open())}
    for name in ('page.png', 'coins.png', 'horse.png'):
        assert rows[f'notskin_{name}']['status'] == 'rejected'
        line = next(l for l in r.stdout.splitlines() if f'notskin_{name}' in l)
        assert 'not a close-up skin photo (score' in line and f"> threshold {card['ood_threshold']:.3f})" in line
    for name in ('mpox.jpg', 'phone.heic', 'renamed.png'):   # answered: the models set on photos from elsewhere leave most of them inconclusive
        assert rows[name]['status'] in ('screened', 'inconclusive'), rows[name]
        if card['inconclusive_below'] > 1:   # a band no answer reaches: the line says why, not "below 1.010"
            line = next(l for l in r.stdout.splitlines() if l.startswith(str(d / name)))
            assert 'inconclusive (leans' in line and 'this model answers no photo' in line and '1.010' not in line, line
    assert rows['mpox.jpg']['prediction'] == 'Mpox' and rows['renamed.png'] == {**rows['mpox.jpg'], 'file': rows['renamed.png']['file']}
    assert 'renamed.png: extension .png does not match its JPEG content' in r.stderr
    assert '3 rejected' in r.stdout and sum(x['status'] != 'rejected' for x in rows.values()) == 3


def test_predict_clean_files_exit_zero(photos):
    folder, _ = photos
    r = run('predict', str(folder / 'plain.jpg'), '--task', 'binary')
    assert r.returncode == 0 and 'plain.jpg' in r.stdout


def test_explain_writes_overlay(photos, tmp_path):
    folder, expect = photos
    img = sorted(p for p in folder.iterdir() if p.name not in expect)[0]   # a real OCSI photo
    out = tmp_path / 'overlay.png'
    r = run('explain', str(img), '--out', str(out), '--task', 'binary')
    assert r.returncode == 0, r.stderr[-1500:]
    a = np.asarray(Image.open(out))
    assert a.shape[1] > a.shape[0] and a.std() > 10           # two panels side by side, not blank


def test_explain_warns_on_a_picture_that_is_not_skin(tmp_path):
    "explain answers as predict does, gate included: the overlay is written, and its line says the picture is not a close-up skin photo."
    import skimage
    Image.open(Path(skimage.__file__).parent / 'data' / 'coffee.png').convert('RGB').save(tmp_path / 'coffee.jpg')
    r = run('explain', str(tmp_path / 'coffee.jpg'), '--out', str(tmp_path / 'o.png'), '--task', 'multiclass')
    assert r.returncode == 0 and (tmp_path / 'o.png').exists()
    card = json.loads((ROOT / 'models/multiclass.json').read_text())
    assert "coffee.jpg: not a close-up skin photo (score " in r.stdout and f"> threshold {card['ood_threshold']:.3f}); Grad-CAM overlay of " in r.stdout


def test_explain_bad_file_one_line(photos, tmp_path):
    folder, _ = photos
    r = run('explain', str(folder / 'truncated.jpg'), '--out', str(tmp_path / 'o.png'), '--task', 'binary')
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1].startswith('error: ') and 'truncated' in r.stderr
