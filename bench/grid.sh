#!/usr/bin/env bash
# Wall time and peak memory of the full experiment grid (every backbone with weights here x 2 tasks x noaug/aug,
# 10 folds each), as `make reproduce` runs it with two parallel runs on this 2-core machine.
# Usage: bench/grid.sh [extra mpox reproduce args]   -> bench/grid_timing.log and bench/grid_timing.json
# To time from scratch, move results/*/ and .cache/tuner aside first (the feature cache may stay: it is timed
# separately by bench/cv_speed.py).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/time -v .venv/bin/mpox reproduce --scheduler local:2 --skip-mobile "$@" 2> >(tee bench/grid_timing.log >&2)
.venv/bin/python bench/parse_time.py bench/grid_timing.log > bench/grid_timing.json
