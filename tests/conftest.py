"""Shared fixtures: a real broker (tansu) per test session, real databases, real keys."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.testing import DEFAULT_PG, Keys, postgres_unreachable, postgres_url

# No test is timed (the house rule): hypothesis' default deadline of 200 ms per generated example
# failed an event round trip that took 316 ms once on a busy machine and 0.05 ms when repeated.
# Performance is measured by `make bench`; a slow example here is load, not a finding.
settings.register_profile("zorgtafel", deadline=None)
settings.load_profile("zorgtafel")


# `make test` sets it: the house rule is real PostgreSQL in the integration tests, so there a
# PostgreSQL that does not answer fails the run instead of skipping every PostgreSQL variant
# (the run was green with none of them run). A developer's quick loop still skips with the reason.
REQUIRED = "ZORGTAFEL_REQUIRE_TEST_TOOLS"


def pytest_sessionstart(session):
    if hasattr(session.config, "workerinput"):
        return  # an xdist worker: the controller asked already, before starting it
    if os.environ.get(REQUIRED) and (why := postgres_unreachable()) is not None:
        pytest.exit(f"{why}; {REQUIRED} is set (make test): PostgreSQL is required", returncode=1)


def pytest_collection_modifyitems(config, items):
    """In the test processes of `make test` (pytest-xdist, ``--dist loadfile
    --no-loadscope-reorder``): the modules with a long test first, then the others most tests
    first (what xdist's own order would be). A process asks for the next module when it runs
    out, so a module of minutes (the mutation gate, a browser walk, an end-to-end story) that
    comes last keeps one process busy while the other has nothing left: xdist's own order, by
    number of tests, put exactly those few-test modules last. Long is marked: ``e2e`` or
    ``slow``. Only the order of modules changes, never which tests run or what a module shares;
    one process (no xdist) keeps pytest's order."""
    if not hasattr(config, "workerinput"):
        return
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)

    def marked(module: list, name: str) -> bool:
        return any(i.get_closest_marker(name) for i in module)

    # slow (a single test of minutes: the mutation gate, the Rego runner, checkov) before e2e
    def order(module: list) -> tuple:
        return (not marked(module, "slow"), not marked(module, "e2e"), -len(module))

    ordered = sorted(modules.values(), key=order)  # stable: pytest's order among equals
    items[:] = [item for module in ordered for item in module]


# One work unit in make test's ``--dist loadfile``: the console's package (tests/console) shares
# package-scoped fixtures of minutes (``suite``: the broker, four services and the console as
# processes; ``browser``: Chromium), and pytest sets a package's fixtures up again whenever a
# process comes back to the package after a module of another. Spread over both processes
# file by file, the console's modules started the suite and the browser in each, and again in a
# process that went elsewhere between two of them.
TOGETHER = ("tests/console/",)


def work_unit(nodeid: str) -> str:
    """The unit of tests one process runs (``--dist loadfile``): the test's file, or the
    package of ``TOGETHER`` it is in."""
    path = nodeid.split("::", 1)[0]
    return next((p for p in TOGETHER if path.startswith(p)), path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None  # xdist's own
    from xdist.scheduler import LoadFileScheduling

    class Together(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return Together(config, log)


def _running_broker(tmp_path_factory):
    b = LocalBroker(free_port(), log_file=tmp_path_factory.mktemp("broker") / "broker.log")
    b.start()
    yield b
    b.stop()


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    yield from _running_broker(tmp_path_factory)


@pytest.fixture(scope="module")
def module_broker(tmp_path_factory):
    """A broker of the module's own, for a module whose services must not meet an earlier
    module's events: on the session's broker a consumer group (``zorgtafel-intake``...) resumes
    at the offsets an earlier module's services committed, so events they had not applied yet
    arrive here, after this module set its facts."""
    yield from _running_broker(tmp_path_factory)


@pytest.fixture(scope="session")
def pg_url():
    url = postgres_url()
    if url is None:
        why = postgres_unreachable() or "PostgreSQL stopped answering"
        if os.environ.get(REQUIRED):
            pytest.fail(f"{why}; {REQUIRED} is set (make test): PostgreSQL is required")
        pytest.skip(f"{why} (default {DEFAULT_PG}): PostgreSQL variant skipped; SQLite runs")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request):
    """Run a test once on a SQLite file and once on PostgreSQL (skipped when absent)."""
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("pg_url")


@pytest.fixture
def data_dir(tmp_path):
    Keys(tmp_path)  # dev key pair and encryption keys under tmp_path/dev-keys
    return tmp_path


@pytest.fixture
def keys(data_dir):
    return Keys(data_dir)
