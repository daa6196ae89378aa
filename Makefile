# The two commands of the README: `make up` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: install up test test-fast policy-test proto lint-proto bench demo audit clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Start the whole suite on this machine (broker, four services, SQLite, embedded policy).
up: install
	$(BIN)/zorgtafel up

## Every test: proto lint and freshness, Rego policy tests, unit, integration, e2e, deployment.
test: install
	$(BIN)/buf lint
	$(BIN)/zorgtafel policy test
	$(PY) -m pytest -q -p no:cacheprovider

## Unit tests only (no broker, no PostgreSQL): the quick loop while editing.
test-fast: install
	$(PY) -m pytest -q -m "not integration and not e2e"

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
