#!/usr/bin/env bash
# Fail if nbdev_clean or nbdev_export would change anything: notebooks must be committed clean,
# and mpox_nbdev/ must be what the notebooks export (it is generated, never edited by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
before=$(git status --porcelain -- nbs mpox_nbdev | md5sum)
$BIN/nbdev_clean >/dev/null
$BIN/nbdev_export
after=$(git status --porcelain -- nbs mpox_nbdev | md5sum)
if [ "$before" != "$after" ]; then
  echo "check: nbdev_clean/nbdev_export changed files: notebooks were not clean or mpox_nbdev/ was out of sync." >&2
  git status --short -- nbs mpox_nbdev >&2
  exit 1
fi
echo "check: notebooks clean, library in sync"
