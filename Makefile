# Shop Lab: `make lab` to learn, `make test` to check everything. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
HOME_NOTEBOOK := notebooks/00_welcome.ipynb
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
BYTECODE := $(VENV)/.bytecode
REFERENCES := datasets/.stored/.stamp

.PHONY: lab test setup data release site lint bench clean

setup: $(STAMP) datasets/.build-stamp $(LAB_SETTINGS) $(BYTECODE) $(REFERENCES)

# Reinstall when the pins or the project metadata change.
$(STAMP): requirements.txt requirements-dev.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Shop Lab needs Python >= 3.11; found " + sys.version.split()[0] + ". Run: make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (Shop Lab)" >/dev/null
	@touch $@

# The sample shop is generated, not committed: deterministic, rebuilt when the generator changes.
datasets/.build-stamp: $(STAMP) $(wildcard shoplab/shopgen/*.py)
	$(BIN)/python -m shoplab.datasets build
	@touch $@

# Every hidden grade cell re-imports graders and shoplab from disk (docs/grading.md). Compiled
# ahead, that reads bytecode instead of compiling ~30 modules per cell, also where
# PYTHONDONTWRITEBYTECODE (common in containers) keeps Python from caching it on first import.
$(BYTECODE): $(STAMP) $(shell find graders shoplab -name '*.py')
	$(BIN)/python -m compileall -q graders shoplab
	@touch $@

# Each exercise's references, computed once per version of the data and the code and read
# from disk by every check and grade cell (graders/references.py; kernels never write them).
$(REFERENCES): $(STAMP) datasets/.build-stamp $(shell find graders shoplab -type f -not -path '*__pycache__*')
	$(BIN)/shoplab references
	@touch $@

data: setup

# JupyterLab's own default_url (the Launcher) overrides ServerApp's. The course's lab settings
# (Binder's .jupyter/lab/user-settings) go in as the venv's overrides.json: see shoplab/lab.py.
lab: setup $(LAB_SETTINGS)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/jupyter lab --ip=127.0.0.1 --port=$(PORT) --no-browser \
		$$( [ "$$(id -u)" = 0 ] && echo --allow-root ) \
		--LabApp.default_url=/lab/tree/$(HOME_NOTEBOOK) \
		--ServerApp.contents_manager_class=shoplab.lab.CourseContentsManager

$(LAB_SETTINGS): $(STAMP) shoplab/lab.py $(wildcard .jupyter/lab/user-settings/*/*/*.jupyterlab-settings)
	@mkdir -p $(@D)
	$(BIN)/python -m shoplab.lab overrides > $@.$$$$.tmp && mv -f $@.$$$$.tmp $@

test: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

release: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m shoplab.release

# The course as a static website in _site/, built offline (shoplab/site.py); open _site/index.html.
site: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python -m shoplab.site _site

lint: setup
	$(BIN)/ruff check .

bench: setup
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/notebooks.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/grading.py
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python benchmarks/scaleout.py

clean:
	rm -rf $(VENV) _site datasets/*.csv datasets/.build-stamp datasets/.verified.json
