"""Head-search seconds (sum of `wall_seconds` over every run's folds.csv) of two results trees, e.g. the committed one and
a reproduction's scratch tree: how much of a difference in a stage's wall time is the machine doing the same work slower.

    python bench/fold_seconds.py results .cache/reproduction/results > bench/reproduce_fold_seconds.json
"""
import json, sys
from pathlib import Path

import pandas as pd

def fold_seconds(root: Path) -> dict:
    "{task/backbone/arm: summed wall_seconds} over the runs of `root` (the GAN arm's folds are its own stage and left out)."
    return {str(f.parent.relative_to(root)): float(pd.read_csv(f).wall_seconds.sum())
            for f in sorted(root.glob('*/*/*/folds.csv')) if f.parent.name != 'gan' and 'wall_seconds' in pd.read_csv(f, nrows=0)}

if __name__ == '__main__':
    a, b = (Path(p) for p in sys.argv[1:3])
    sa, sb = fold_seconds(a), fold_seconds(b)
    runs = sorted(set(sa) & set(sb))
    ta, tb = sum(sa[r] for r in runs), sum(sb[r] for r in runs)
    print(json.dumps({'first': str(a), 'second': str(b), 'runs': len(runs), 'first_minutes': round(ta / 60, 2),
                      'second_minutes': round(tb / 60, 2), 'ratio': round(tb / ta, 3),
                      'by_arm': {arm: round(sum(sb[r] for r in runs if r.endswith('/' + arm)) / max(sum(sa[r] for r in runs if r.endswith('/' + arm)), 1e-9), 3)
                                 for arm in sorted({r.rsplit('/', 1)[1] for r in runs})}}, indent=1))
