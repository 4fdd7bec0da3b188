# «Первые нейронные сети»: the two commands a newcomer needs are `make lab` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check
COURSE_LOCK := requirements/course.txt
DEV_LOCK    := requirements/dev.txt
STAMP     := $(VENV)/.installed-course
DEV_STAMP := $(VENV)/.installed-dev
PORT   ?= $(or $(JUPYTER_PORT),8888)
STUDENT_DIR := my_course
FIRST  := notebooks/01_perceptron.ipynb
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
NB     ?=
P      ?=
# One BLAS thread per process: tests run two workers on two cores, and OpenBLAS threads fighting over
# them made a 1-second training take 26 s. Benchmarks (make bench) measure with the library defaults.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
# nbgrader, jupyter and the tests' tools are called by name: the venv's bin comes first on PATH.
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300

.PHONY: help setup setup-dev lab test test-unit test-notebooks test-browser pics notebooks solutions run bench \
	lock site clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

# The student's environment: exactly the packages of the lock (--no-deps), then `pip check` proves the lock
# complete. Rebuilt only when the lock or the package definition change.
$(STAMP): $(COURSE_LOCK) pyproject.toml jupyter/overrides.json
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --no-deps -r $(COURSE_LOCK)
	$(PIP) install --quiet --no-deps -e .
	$(PIP) check
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (ipykernel)" >/dev/null
	@# JupyterLab of this venv in Russian, without the news prompt (defaults only: jupyter/README.md)
	install -D -m 644 jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $@

# What building and testing need on top (nbgrader, nbval, papermill, playwright, ruff …): never in make lab.
$(DEV_STAMP): $(STAMP) $(DEV_LOCK)
	$(PIP) install --quiet --no-deps -r $(COURSE_LOCK) -r $(DEV_LOCK)
	$(PIP) check
	@touch $@

setup: $(STAMP)  ## create .venv with what a student needs (once; again only when the lock changes)

setup-dev: $(DEV_STAMP)  ## add what building and testing the course need

lock: setup-dev  ## regenerate requirements/*.txt from requirements/*.in (uv pip compile)
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --annotation-style line requirements/course.in -o $(COURSE_LOCK)
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --annotation-style line requirements/dev.in -o $(DEV_LOCK)
	$(VENV)/bin/uv pip compile --quiet --python-version 3.11 --annotation-style line requirements/hub.in -o requirements/hub.txt

lab: setup  ## set up, copy the lessons into my_course/ (your own, untracked), open them in JupyterLab
	$(PY) scripts/student_copy.py $(STUDENT_DIR)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) $(ROOT_FLAG) \
		--ServerApp.root_dir="$(CURDIR)/$(STUDENT_DIR)" --LabApp.default_url=/lab/tree/$(FIRST)

test: setup-dev  ## every test: lib, notebook hygiene, notebooks under strict nbval, the browser tests
	$(PY) -m pytest -q -n 2 --dist loadfile tests --ignore=tests/browser $(NBVAL_FLAGS) notebooks
	$(PY) -m pytest -q tests/browser

test-unit: setup-dev  ## only the unit and hygiene tests, without the slow ones, fewer random cases (< 20 s)
	HYPOTHESIS_PROFILE=quick $(PY) -m pytest -q -n 2 -m "not slow" tests --ignore=tests/browser

test-notebooks: setup-dev  ## only the notebooks under strict nbval
	$(PY) -m pytest -q -n 2 --dist loadfile $(NBVAL_FLAGS) notebooks

test-browser: setup-dev  ## only the browser tests (JupyterLab in headless Chromium)
	$(PY) -m pytest -q tests/browser

pics: setup  ## redraw every picture in pics/ from lib/diagrams/
	$(PY) -m lib.diagrams pics

notebooks: setup-dev  ## rebuild notebooks from notebooks/.src (NB=05_lstm for one), storing a fresh run's outputs
	$(PY) scripts/build_notebooks.py $(NB)

solutions: setup-dev  ## the teacher's edition, every lesson executed with its answers, into build/solutions/
	$(PY) scripts/build_notebooks.py --solutions $(NB)

run: setup-dev  ## run notebooks with papermill into build/ (NB=05_lstm P="seed=3 max_gap=30")
	$(PY) scripts/run_notebooks.py $(if $(NB),--nb $(NB),) $(foreach p,$(P),-p $(p))

bench: setup-dev  ## benchmarks, not tests (B="notebooks sliders" for some); tables go to bench/results/
	$(PIP) install --quiet -r requirements/bench.in
	env -u OPENBLAS_NUM_THREADS -u OMP_NUM_THREADS $(PY) bench/run_all.py $(B)

site: setup-dev  ## the static site of the executed course in build/site/ (works offline; npm fetches its assets once)
	$(PY) scripts/build_site.py

clean:  ## remove build outputs (keeps .venv)
	rm -rf build
