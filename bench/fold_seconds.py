"""Head-search seconds (sum of `wall_seconds` over every run's folds.csv) of two results trees, e.g. the committed one and
a reproduction's scratch tree: how much of a difference in a stage's wall time is the machine doing the same work slower.

    python bench/fold_seconds.py results .cache/reproduction/results [LABEL_A LABEL_B] > bench/reproduce_fold_seconds.json

The optional labels (both or none) say in the output which runs the two trees came from (default: their paths).
"""
import json, sys

from mpox_nbdev.stats import load_folds

def run_seconds(results) -> 'pd.Series':
    "Summed wall_seconds per run (task, backbone, augment) of a results tree; the GAN arm's folds are its own stage and left out."
    f = load_folds(results)
    return f[f.augment != 'gan'].groupby(['task', 'backbone', 'augment']).wall_seconds.sum()

if __name__ == '__main__':
    a, b = sys.argv[1:3]
    la, lb = sys.argv[3:5] if len(sys.argv) >= 5 else (a, b)
    sa, sb = run_seconds(a), run_seconds(b)
    runs = sa.index.intersection(sb.index); sa, sb = sa[runs], sb[runs]
    by_arm = (sb.groupby(level='augment').sum() / sa.groupby(level='augment').sum()).round(3)
    print(json.dumps({'first': la, 'second': lb, 'runs': len(runs), 'first_minutes': round(sa.sum() / 60, 2),
                      'second_minutes': round(sb.sum() / 60, 2), 'ratio': round(sb.sum() / sa.sum(), 3),
                      'by_arm': by_arm.to_dict()}, indent=1))
