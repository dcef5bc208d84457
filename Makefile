# Two commands do everything on a fresh machine:  `make reproduce`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt setup.py settings.ini | md5sum | cut -c1-8)
export PYTHONHASHSEED := 0
export TF_CPP_MIN_LOG_LEVEL := 2
RESULTS_MD5 = find results bench models data mpox_nbdev -type f -not -name '*.log' -not -name '*.pyc' -not -path 'results/figures/book/*' | LC_ALL=C sort | xargs cat | md5sum | cut -c1-16   # what the pages read, and the code that reads it

.PHONY: setup reproduce test check nbtest pytest book bench clean-cache help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): requirements.txt setup.py settings.ini
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@rm -f $(VENV)/.installed-*; touch $@

setup: $(STAMP)  ## create .venv and install the pinned dependencies

WORKERS ?= $(shell nproc)
reproduce: setup  ## the main job: recompute everything into .cache/reproduction, compare with the committed results (see `mpox reproduce --help`); the fold tasks run on WORKERS local processes (default: one per core) of one TensorFlow thread each, as the committed runs were made
	$(BIN)/nbdev_export
	$(BIN)/mpox reproduce --scheduler local:$(WORKERS)

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
	@# jupyter-book's execution cache is keyed by a page's source only: when the files the pages read, or the library that reads them, change, run them again
	@s=$$($(RESULTS_MD5)); [ "$$(cat book/_build/.results-md5 2>/dev/null)" = "$$s" ] || rm -rf book/_build/.jupyter_cache
	$(BIN)/jupyter-book build book --all -W -n --keep-going
	@$(RESULTS_MD5) > book/_build/.results-md5

# The benchmarks: each writes the file it commits (bench/README.md says what and under which conditions); slow, never part of `make test`.
BENCH_SCRATCH ?= .cache/bench-scratch
bench-cv_speed: setup ; $(BIN)/python bench/cv_speed.py
bench-grid_timing: setup ; $(BIN)/python bench/grid_timing.py
bench-grid_recompute: setup ; $(BIN)/python bench/grid_recompute.py $(BENCH_SCRATCH) 1,7
bench-browser: book ; $(BIN)/python bench/browser.py
bench-scale: setup ; $(BIN)/python bench/scale.py
bench-quantize_speed: setup ; $(BIN)/python bench/quantize_speed.py
bench-feature_tasks: setup ; $(BIN)/python bench/feature_tasks.py
bench-profile_fold: setup ; $(BIN)/python bench/profile_fold.py
bench-fold_seconds: setup ; $(BIN)/python bench/fold_seconds.py results .cache/reproduction/results > bench/reproduce_fold_seconds.json
bench-kernel_numerics: setup ; $(BIN)/python bench/kernel_numerics.py
bench-phone_budget: setup ; $(BIN)/python bench/phone_budget.py
bench-fuzz_predict: setup ; $(BIN)/python bench/fuzz_predict.py $(BENCH_SCRATCH)/fuzz
BENCHES := cv_speed grid_timing grid_recompute browser scale quantize_speed feature_tasks profile_fold fold_seconds kernel_numerics phone_budget fuzz_predict
bench: $(addprefix bench-,$(BENCHES))  ## every benchmark in bench/ (hours; `make bench-NAME` runs one), each writing the file it commits

clean-cache:  ## drop computed caches (signatures, features, tuner projects)
	rm -rf .cache
