# The two commands of the README: `make up` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: install up test rules test-fast release-protos policy-test proto lint-proto bench demo audit clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Start the whole suite on this machine (broker, four services, SQLite, embedded policy).
up: install
	$(BIN)/zorgtafel up

## Every test: the house rules (format, lint, import contracts, types), proto lint and
## compatibility, then pytest: Rego policy tests (once), unit, handler, integration, e2e, deployment.
test: install rules
	$(PY) -m pytest -q -p no:cacheprovider

## The house rules as tools (each exception is reasoned in pyproject.toml).
rules: install
	$(BIN)/ruff format --check --quiet .
	$(BIN)/ruff check --quiet .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/buf lint
	$(BIN)/buf breaking --against proto/released.binpb

## Unit and handler tests only (no broker, no PostgreSQL): the quick loop while editing.
test-fast: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not integration and not e2e"

## After a release: what clients may rely on from now on (buf breaking compares with it).
release-protos: install
	$(BIN)/buf build -o proto/released.binpb

policy-test: install
	$(BIN)/zorgtafel policy test

## Regenerate the Python code from proto/ after editing a .proto file.
proto: install
	$(PY) -m zorgtafel.protogen
	$(BIN)/buf lint

bench: install
	$(PY) -m bench

demo: install
	$(BIN)/zorgtafel demo

## Code audit (also a test) and dependency audit (pip-audit needs PyPI's vulnerability API).
audit: install
	$(BIN)/bandit -q -c pyproject.toml -r zorgtafel services
	$(PY) -m pip install --quiet pip-audit && $(BIN)/pip-audit --skip-editable

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
