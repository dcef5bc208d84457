"""What recomputing the pose arms (their canonical view gained the exposure step) and every stage after the grid
changed in the committed files: per results file, the largest difference in the pose arms' rows and in every other
row, compared as `mpox reproduce` compares (`compare.compare_file`, column by column, timing columns left out).
The other rows' differences are what this machine computes differently from the one that made the committed grid.

    git archive <commit before> results models | tar -x -C /tmp/before
    .venv/bin/python bench/view_change.py /tmp/before > bench/view_change.json
"""
import json, sys, tempfile
from pathlib import Path

import pandas as pd

from mpox_nbdev.compare import compare_file, result_files
from mpox_nbdev.core import project_root
from mpox_nbdev.arms import arm_names
POSE_ARMS = arm_names(view='canonical')

def _is_pose(d: pd.DataFrame) -> pd.Series:
    "Rows of a pose arm (an `augment` or `arm` column naming one) or of the canonical view (`pose` True, ood/pose_gates.csv)."
    col = next((c for c in ('augment', 'arm') if c in d), None)
    out = d[col].isin(POSE_ARMS) if col else pd.Series(False, index=d.index)
    return out | (d['pose'].astype(str) == 'True') if 'pose' in d else out

def _part(path: Path, pose: bool, out: Path) -> Path:
    d = pd.read_csv(path, low_memory=False)
    d[_is_pose(d) == pose].to_csv(out, index=False); return out

if __name__ == '__main__':
    before, now, rows = Path(sys.argv[1]), project_root(), []
    tmp = Path(tempfile.mkdtemp())
    for f in result_files(before/'results'):
        a, b = before/'results'/f, now/'results'/f
        if not b.exists(): rows.append({'file': f, 'part': 'all', 'max_abs_diff': None, 'note': 'gone'}); continue
        if a.read_bytes() == b.read_bytes(): continue
        if any(f'/{arm}/' in f for arm in POSE_ARMS): parts = (('pose arms', None),)   # a pose arm's own run folder
        else: parts = (('pose arms', True), ('other rows', False)) if f.endswith('.csv') else (('all', None),)
        for name, pose in parts:
            x, y = (a, b) if pose is None else (_part(a, pose, tmp/'a.csv'), _part(b, pose, tmp/'b.csv'))
            r = pd.DataFrame(compare_file(x, y, f, 1e-6))
            r = r[r.compared] if len(r) else r
            if len(r): rows.append({'file': f, 'part': name, 'max_abs_diff': float(r.max_abs_diff.max()), 'columns': int(len(r))})
    for m in sorted((before/'models').glob('*.json')):
        r = pd.DataFrame(compare_file(m, now/'models'/m.name, f'models/{m.name}', 1e-6)); r = r[r.compared]
        rows.append({'file': f'models/{m.name}', 'part': 'all', 'max_abs_diff': float(r.max_abs_diff.max()), 'columns': int(len(r))})
    t = pd.DataFrame(rows)
    other = t[t.part != 'pose arms']
    json.dump({'files_changed': int(t.file.nunique()), 'largest_other_diff': float(other.max_abs_diff.max()),
               'rows': t.to_dict('records')}, sys.stdout, indent=1, default=str); print()
