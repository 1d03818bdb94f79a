# One way to do each thing. `make help` lists the targets.
#
# Everything runs in .venv, a virtual environment of this checkout, made with PYTHON (python3: any
# Python >= 3.11; Debian's needs its package python3-venv). The system interpreter is never
# installed into, so this works where python3 is "externally managed" (PEP 668).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin

.PHONY: help install vendor serve build validate test lint fmt bench bench-scale stress

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# the virtual environment, made once
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
	  echo "make: plangraph needs Python >= 3.11; $(PYTHON) is older: make PYTHON=python3.11 …" >&2; exit 2; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "make: $(PYTHON) -m venv failed: on Debian or Ubuntu, as root: apt-get install python3-venv" >&2; exit 2; }

# plangraph (editable) in .venv, again whenever pyproject.toml changes
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@touch $@

install: $(VENV)/.installed vendor  ## make .venv and install plangraph (editable) and the query console

vendor:  ## copy YASGUI (npm) into the package for the console at /; skipped, with a note, without npm
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --ignore-scripts --no-audit --no-fund --silent && bash scripts/vendor-yasgui; \
	else \
	  echo "make: npm not found: the query console (/) will say how to install it; /sparql and every page work without it" >&2; \
	fi

serve: install  ## build the graph (if needed) and serve it on http://127.0.0.1:$(PORT)/
	$(BIN)/plangraph serve --port $(PORT)

build: $(VENV)/.installed  ## source → validated graph, dumps and store in build/
	$(BIN)/plangraph build

validate: $(VENV)/.installed  ## check build/ against the shapes
	$(BIN)/plangraph validate

test:  ## install what the tests need (.venv, Debian packages as root, YASGUI) and run them (CI runs exactly this)
	bash scripts/install-test-deps
	$(BIN)/python -m pytest -q

lint:  ## ruff
	ruff check src tests bench

fmt:  ## ruff format
	ruff format src tests bench

bench: $(VENV)/.installed  ## every benchmark in bench/, each printing its table (about 10 minutes)
	$(BIN)/python bench/build_time.py
	$(BIN)/python bench/endpoint.py --clients 1,8,32 --seconds 20
	$(BIN)/python bench/evaluation.py
	$(BIN)/python bench/scale.py --sizes 1,10 --seconds 10
	PLANGRAPH_SOAK_SECONDS=300 $(BIN)/python -m pytest -q -s tests/test_soak.py

bench-scale: $(VENV)/.installed  ## growth to 1000 plan versions, ~7 M triples (about an hour: see bench/README.md)
	$(BIN)/python bench/scale.py --sizes 1,10,100,1000 --seconds 10

stress:  ## the bad-input and soak tests in their full form (CI runs them short; about 30 minutes)
	PLANGRAPH_SOAK_SECONDS=300 PLANGRAPH_FUZZ_EXAMPLES=1000 PLANGRAPH_SCHEMATHESIS_EXAMPLES=200 \
		$(BIN)/python -m pytest -q -s tests/test_soak.py tests/test_fuzz.py tests/test_schemathesis.py \
		tests/test_hostile.py tests/test_bad_input.py
