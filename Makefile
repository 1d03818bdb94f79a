# One way to do each thing. `make help` lists the targets.
PYTHON ?= python3
PORT ?= 8000

.PHONY: help install vendor serve build validate test test-full lint fmt bench

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install:  ## install plangraph (editable) and the query console (YASGUI from npm)
	$(PYTHON) -m pip install -q -e .
	$(MAKE) vendor

vendor:  ## copy YASGUI from node_modules into the package's static folder
	@if [ -f package-lock.json ]; then npm ci --ignore-scripts --no-audit --no-fund --silent && bash scripts/vendor-yasgui; fi

serve: install  ## build the graph (if needed) and serve it on http://127.0.0.1:$(PORT)/
	plangraph serve --port $(PORT)

build:  ## source → validated graph, dumps and store in build/
	plangraph build

validate:  ## check build/ against ontology/shapes.ttl
	plangraph validate

test:  ## install what the tests need and run them (CI runs exactly this)
	bash scripts/install-test-deps
	$(PYTHON) -m pytest -q

lint:  ## ruff
	ruff check src tests bench

fmt:  ## ruff format
	ruff format src tests bench

bench:  ## every benchmark in bench/, each printing its table
	$(PYTHON) bench/build_time.py
