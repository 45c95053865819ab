# Tribune: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Only the tests need node (axe-core); the demo needs Python alone.
NODE_STAMP := node_modules/.installed
PORT ?= 8000

.PHONY: help install run serve worker test test-fast lint format bench loadtest screenshot clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP) ## create the virtualenv and install everything

run: export TRIBUNE_BIND = 127.0.0.1:$(PORT)
run: $(STAMP) ## load the demo and serve it on http://127.0.0.1:8000 (PORT=...) with a worker
	$(BIN)/tribune collectstatic --noinput --verbosity 0
	$(BIN)/tribune demo
	$(BIN)/tribune worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/tribune serve

test: $(STAMP) $(NODE_STAMP) ## run the whole test suite (set DATABASE_URL for PostgreSQL)
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP) ## ruff, mypy, import-linter and the code measures (complexity, length, cycles)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy tribune
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_code_measures.py tribune

format: $(STAMP) ## format the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP) ## run the shared benchmark against Tribune and its peers
	bash bench/run.sh $(BENCH_ARGS)

loadtest: $(STAMP) ## PostgreSQL + Redis + 2 web nodes + worker under load and faults (LOADTEST_ARGS="--duration 60")
	$(BIN)/python bench/loadtest.py $(LOADTEST_ARGS)

screenshot: $(STAMP) ## refresh the README's pictures (docs/img/) from the demo
	$(BIN)/python scripts/screenshot.py

clean: ## remove the virtualenv and local data
	rm -rf $(VENV) var node_modules
