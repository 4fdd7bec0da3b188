# «Первые нейронные сети»: the two commands a newcomer needs are `make lab` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= $(or $(JUPYTER_PORT),8888)
FIRST  := notebooks/01_perceptron.ipynb
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB     ?=
P      ?=
# One BLAS thread per process: tests run two workers on two cores, and OpenBLAS threads fighting over
# them made a 1-second training take 26 s. Benchmarks (make bench) measure with the library defaults.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300

.PHONY: help setup lab test test-unit test-notebooks test-browser pics notebooks run bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# The venv is rebuilt only when the pinned requirements or the package definition change.
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@touch $@

setup: $(STAMP)  ## create .venv and install the pinned requirements and lib (once)

lab: setup  ## set up, then open the course in JupyterLab (127.0.0.1, port JUPYTER_PORT or 8888)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) \
		--ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/$(FIRST)

test: setup  ## every test: lib, notebook hygiene, notebooks under strict nbval, the browser tests
	$(PY) -m pytest -q -n 2 --dist loadfile tests --ignore=tests/browser $(NBVAL_FLAGS) notebooks
	$(PY) -m pytest -q tests/browser

test-unit: setup  ## only the unit and hygiene tests (quick)
	$(PY) -m pytest -q -n 2 tests --ignore=tests/browser

test-notebooks: setup  ## only the notebooks under strict nbval
	$(PY) -m pytest -q -n 2 --dist loadfile $(NBVAL_FLAGS) notebooks

test-browser: setup  ## only the browser tests (JupyterLab in headless Chromium)
	$(PY) -m pytest -q tests/browser

pics: setup  ## redraw every picture in pics/ from lib/diagrams.py
	$(PY) -m lib.diagrams pics

notebooks: setup  ## rebuild notebooks from notebooks/.src (NB=05_lstm for one), storing a fresh run's outputs
	$(PY) scripts/build_notebooks.py $(NB)

run: setup  ## run notebooks with papermill into build/ (NB=05_lstm P="seed=3 gap=20")
	$(PY) scripts/run_notebooks.py $(if $(NB),--nb $(NB),) $(foreach p,$(P),-p $(p))

bench: setup  ## benchmarks, not tests (B="notebooks sliders" for some); tables go to bench/results/
	env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS $(PY) bench/run_all.py $(B)

clean:  ## remove build outputs (keeps .venv)
	rm -rf build
