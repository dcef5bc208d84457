# Two commands do everything on a fresh machine:  `make reproduce`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt setup.py settings.ini | md5sum | cut -c1-8)
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: setup reproduce test check nbtest pytest book clean-cache help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): requirements.txt setup.py settings.ini
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)  ## create .venv and install the pinned dependencies

reproduce: setup  ## the main job: recompute everything into .cache/reproduction, compare with the committed results (see `mpox reproduce --help`)
	$(BIN)/nbdev_export
	$(BIN)/mpox reproduce

check: setup  ## notebooks clean and library in sync with them
	@bash scripts/check_sync.sh

nbtest: setup  ## run every notebook as a test (nbdev_test; slow cells skipped)
	$(BIN)/nbdev_test --timing

pytest: setup  ## end-to-end tests: CLI, papermill smoke run, the book in headless Chromium
	MPOX_NO_SKIPS=1 $(BIN)/pytest -q tests

test: check nbtest book pytest  ## everything CI runs (the browser test reads the built book)

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: the book's screen page needs LiteRT.js from npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error

book: setup node_modules/.package-lock.json  ## build the executable paper (jupyter-book, offline, warnings are errors) with the in-browser screening page
	$(BIN)/python -c "from mpox_nbdev.web import stage_screen_assets; stage_screen_assets()"
	$(BIN)/jupyter-book build book --all -W -n --keep-going

clean-cache:  ## drop computed caches (signatures, features, tuner projects)
	rm -rf .cache
