"""Prototype (one question, answered once): the shipped files answer almost none of the photos they were trained on,
because their inconclusive band is set on other models' answers and those models' heads chose their own C (0.01 to
0.3: a tenfold weaker penalty gives far more extreme answers). With one C for every head of the recipe (the shipped
head's 0.03), do the held-out models and the shipped file share a scale, so that the band is one the file reaches?
Writes one_c.json beside this file. Run from the repository root: MPOX_DATA_DIR=... python results/ablations/tried/one_c.py

The recipe is run and built exactly as `grey_world.py` runs and builds grey world (`as_shipped`), in a scratch folder."""
import json, sys
from dataclasses import replace
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
from grey_world import SHIPPED_RECIPE, as_shipped, man, models_dir, numbers, results_dir

ONE_C = replace(SHIPPED_RECIPE, name=f'{SHIPPED_RECIPE.name}, one C', C=0.03)
out = {'recipe': SHIPPED_RECIPE.name, 'C': ONE_C.C, 'photos': len(man), 'shipped': numbers(results_dir(), SHIPPED_RECIPE.name, models_dir()),
       'one_c': as_shipped(ONE_C)}
(Path(__file__).parent/'one_c.json').write_text(json.dumps(out, indent=1, default=float) + '\n'); print(json.dumps(out, indent=1, default=float))
