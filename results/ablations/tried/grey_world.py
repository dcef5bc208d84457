"""Prototype (one question, answered once): should the shipped models put each photo's colours to grey world first
(`06a_pose.canonical_colour`: every channel scaled to the photo's mean grey, inside the model), so that the cast of a
collection's camera and light is not there to be learnt? Writes grey_world.json beside this file. Run from the
repository root: MPOX_DATA_DIR=... python results/ablations/tried/grey_world.py

The shipped recipe with the colour layer first is run leave-source-out (15_elsewhere), then built and set on every
source exactly as the shipped models are (15a_every_source), into a scratch folder; its files are then run through the
shipped-gate pictures (11c_mobile) and through all 1,235 source photos, as `mpox predict` screens them. The shipped
models' numbers are read from the committed results, except their answers on the source photos, screened here too."""
import json, os, shutil, tempfile, warnings
from dataclasses import replace
from pathlib import Path
import pandas as pd
from mpox_nbdev.core import TASKS, models_dir, results_dir
from mpox_nbdev.curation import load_sources_manifest
from mpox_nbdev.elsewhere import FOLDERS, SHIPPED_RECIPE, write_elsewhere
from mpox_nbdev.every_source import answered_share, ship_every_source
from mpox_nbdev.export import manifest_photos
from mpox_nbdev.mobile import write_shipped_gate

warnings.filterwarnings('ignore')
GREY = replace(SHIPPED_RECIPE, name=f'{SHIPPED_RECIPE.name}, grey world', colour=True)
man = load_sources_manifest()
photos = manifest_photos(man, 224)

def answered(models: Path) -> dict:
    "{task: share of the source photos the files in `models` answer (past the gate and the inconclusive band)}."
    return {t: answered_share(models/f'{t}.tflite', json.loads((models/f'{t}.json').read_text()), photos) for t in TASKS}

def numbers(res: Path, recipe: str, models: Path) -> dict:
    s = pd.read_csv(res/FOLDERS[True]/'summary.csv').query('recipe == @recipe').set_index(['task', 'held_out'])
    j = pd.read_csv(res/FOLDERS[True]/'shipped.csv').set_index(['task', 'held_out'])
    g = pd.read_csv(res/'ood'/'shipped.csv').query('task == "binary"').set_index('set')
    b = s.loc[('binary', 'pooled')]
    return {'auroc': b.auroc, 'sensitivity': b.sensitivity, 'specificity': b.specificity, 'ece': b.ece,
            'web_acne_not_mpox': s.loc[('binary', 'Acne: acne-web-zatan666'), 'recall_Others'],
            'multiclass_accuracy': s.loc[('multiclass', 'pooled'), 'accuracy'],
            'judged_answered': j.loc[('binary', 'pooled'), 'screened'], 'judged_answered_right': j.loc[('binary', 'pooled'), 'accuracy_screened'],
            'far_rejected': g.rejected['far'], 'faces_rejected': g.rejected['faces'], 'source_photos_answered': answered(models)}

def as_shipped(recipe) -> dict:
    "`numbers` of `recipe` run leave-source-out, then built and set on every source as the shipped models are, in a scratch folder."
    with tempfile.TemporaryDirectory() as d:
        res = Path(d)/'results'; shutil.copytree(results_dir()/'mobile', res/'mobile')   # the paper's cards: what the shipped cards build on
        write_elsewhere((recipe,), results=res, progress=False)
        shipped_models = os.environ.get('MPOX_MODELS_DIR')
        shutil.copytree(models_dir(), Path(d)/'models'); os.environ['MPOX_MODELS_DIR'] = str(Path(d)/'models')   # the gate's recipe is read from the cards there
        try:
            ship_every_source(recipe=recipe, results=res, progress=False); write_shipped_gate(res)
            return numbers(res, recipe.name, models_dir())
        finally:
            if shipped_models is None: os.environ.pop('MPOX_MODELS_DIR')
            else: os.environ['MPOX_MODELS_DIR'] = shipped_models

if __name__ == '__main__':
    out = {'recipe': SHIPPED_RECIPE.name, 'photos': len(man), 'shipped': numbers(results_dir(), SHIPPED_RECIPE.name, models_dir()), 'grey_world': as_shipped(GREY)}
    (Path(__file__).parent/'grey_world.json').write_text(json.dumps(out, indent=1, default=float) + '\n'); print(json.dumps(out, indent=1, default=float))
