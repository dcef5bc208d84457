"""Wall time and peak memory of the experiment grid as `make reproduce` runs it (two parallel runs on this 2-core machine),
measured with GNU `/usr/bin/time -v`; extra arguments go to `mpox reproduce` (default: the paper's noaug/aug grid, in place).
To time from scratch, move results/*/ and .cache/tuner aside first (the feature cache may stay: bench/cv_speed.py times it).

    .venv/bin/python bench/grid_timing.py [mpox reproduce args]   -> bench/grid_timing.log and bench/grid_timing.json
"""
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARGS = sys.argv[1:] or ['--augments', 'noaug', 'aug', '--skip-gan', '--in-place']

def parse_time(text: str) -> dict:
    "GNU `time -v` output as JSON fields: wall seconds, peak RSS (largest single process), CPU %, exit status."
    grab = lambda pat: (re.findall(pat, text) or [None])[-1]
    wall = grab(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)')
    secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(':')))) if wall else None
    return {'command': grab(r'Command being timed: "(.+)"'), 'wall_seconds': secs, 'wall_minutes': round(secs / 60, 1) if secs else None,
            'peak_rss_mb': round(int(grab(r'Maximum resident set size \(kbytes\): (\d+)') or 0) / 1024),
            'cpu_percent': grab(r'Percent of CPU this job got: (\d+)%'), 'exit_status': grab(r'Exit status: (\d+)'),
            'note': 'peak_rss_mb is the largest single process (GNU time reports the maximum over the process and its waited-for children)'}

if __name__ == '__main__':
    cmd = ['/usr/bin/time', '-v', str(ROOT/'.venv/bin/mpox'), 'reproduce', '--scheduler', 'local:2', '--skip-mobile', *ARGS]
    p = subprocess.run(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True, errors='replace')
    (ROOT/'bench/grid_timing.log').write_text(p.stderr)
    (ROOT/'bench/grid_timing.json').write_text(json.dumps(parse_time(p.stderr), indent=1) + '\n')
    sys.exit(p.returncode)
