"Turn GNU `/usr/bin/time -v` output into JSON: wall seconds, peak RSS (largest single process), CPU %, exit status."
import json, re, sys

text = open(sys.argv[1], errors='replace').read()
def grab(pat):
    m = re.findall(pat, text)
    return m[-1] if m else None
wall = grab(r'Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)')
secs = None
if wall:
    parts = [float(x) for x in wall.split(':')]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
out = {'command': grab(r'Command being timed: "(.+)"'), 'wall_seconds': secs, 'wall_minutes': round(secs / 60, 1) if secs else None,
       'peak_rss_mb': round(int(grab(r'Maximum resident set size \(kbytes\): (\d+)') or 0) / 1024),
       'cpu_percent': grab(r'Percent of CPU this job got: (\d+)%'), 'exit_status': grab(r'Exit status: (\d+)'),
       'note': 'peak_rss_mb is the largest single process (GNU time reports the maximum over the process and its waited-for children)'}
print(json.dumps(out, indent=1))
