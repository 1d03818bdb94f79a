# One way to do each thing. `make help` lists the targets.
PYTHON ?= python3
PORT ?= 8000

.PHONY: help install vendor serve build validate test lint fmt bench bench-scale stress

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

bench:  ## every benchmark in bench/, each printing its table (about 10 minutes)
	$(PYTHON) bench/build_time.py
	$(PYTHON) bench/endpoint.py --clients 1,8,32 --seconds 20
	$(PYTHON) bench/evaluation.py
	$(PYTHON) bench/scale.py --sizes 1,10 --seconds 10
	PLANGRAPH_SOAK_SECONDS=300 $(PYTHON) -m pytest -q -s tests/test_soak.py

bench-scale:  ## growth to 1000 plan versions, ~7 M triples (about an hour: see bench/README.md)
	$(PYTHON) bench/scale.py --sizes 1,10,100,1000 --seconds 10

stress:  ## the bad-input and soak tests in their full form (CI runs them short; about 30 minutes)
	PLANGRAPH_SOAK_SECONDS=300 PLANGRAPH_FUZZ_EXAMPLES=1000 PLANGRAPH_SCHEMATHESIS_EXAMPLES=200 \
		$(PYTHON) -m pytest -q -s tests/test_soak.py tests/test_fuzz.py tests/test_schemathesis.py \
		tests/test_hostile.py tests/test_bad_input.py
