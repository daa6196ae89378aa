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
