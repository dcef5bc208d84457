"""Prototype (one question, answered once): the shipped models answer no skin photo, because no confidence of theirs
has enough right answers behind it, on photos of sources their models never saw, to promise 95 % right (a one-sided
95 % Clopper-Pearson bound: `metrics.answered_above`). Is that the shipped recipe's fault? Every recipe of `RECIPES`,
and grey world, is run leave-source-out again (in a scratch results folder, so that every recipe's answers are kept),
and each one's pooled answers are set as the shipped models' are (`every_source.settings_from`): the best promise any
floor of it could make. Writes band_support.json beside this file.
Run from the repository root: MPOX_DATA_DIR=... python results/ablations/tried/band_support.py"""
import json, tempfile, time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from mpox_nbdev.core import TASKS, results_dir
from mpox_nbdev.elsewhere import FOLDERS, RECIPES, SHIPPED_RECIPE, write_elsewhere
from mpox_nbdev.every_source import settings_from
from mpox_nbdev.metrics import answers_nothing

GREY = replace(SHIPPED_RECIPE, name=f'{SHIPPED_RECIPE.name}, grey world', colour=True)
CLASSES = {'binary': 2, 'multiclass': 4}

def promise(a: pd.DataFrame, task: str) -> dict:
    "The settings of one recipe's pooled answers to `task`, as the shipped models' are set: its band, and the best any floor promises."
    s = settings_from(a.dropna(axis=1, how='all'), CLASSES[task])
    return {'answers_nothing': answers_nothing(s['floor']), 'floor': s['floor'], **{f'best_{k}': v for k, v in s['promise'].items()}}

t0 = time.time(); out = {'recipes': {}}
with tempfile.TemporaryDirectory() as d:
    write_elsewhere((*RECIPES, GREY), results=d, progress=False, folder=FOLDERS[True])   # every recipe's answers kept here
    a, s = pd.read_csv(Path(d)/FOLDERS[True]/'answers.csv'), pd.read_csv(Path(d)/FOLDERS[True]/'summary.csv')
committed = pd.read_csv(results_dir()/FOLDERS[True]/'summary.csv').set_index(['task', 'held_out'])
again = s[s.recipe == SHIPPED_RECIPE.name].set_index(['task', 'held_out'])
out['shipped_recipe_reproduced'] = bool((again.auroc.fillna(-1) - committed.auroc.fillna(-1)).abs().max() < 1e-6
                                        and (again.accuracy - committed.accuracy).abs().max() < 1e-6)
for r in s.recipe.unique():
    p = s[(s.recipe == r) & (s.held_out == 'pooled')].set_index('task')
    out['recipes'][r] = {t: {'auroc': p.auroc.get(t), 'accuracy': p.accuracy[t], **promise(a[(a.recipe == r) & (a.task == t)], t)} for t in TASKS}
out['minutes'] = (time.time() - t0) / 60
(Path(__file__).parent/'band_support.json').write_text(json.dumps(out, indent=1, default=float) + '\n'); print(json.dumps(out, indent=1, default=float))
