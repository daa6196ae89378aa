"""Shared fixtures: a real broker (tansu) per test session, real databases, real keys."""

from __future__ import annotations

import pytest
from hypothesis import settings

from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.testing import Keys, postgres_url

# No test is timed (the house rule): hypothesis' default deadline of 200 ms per generated example
# failed an event round trip that took 316 ms once on a busy machine and 0.05 ms when repeated.
# Performance is measured by `make bench`; a slow example here is load, not a finding.
settings.register_profile("zorgtafel", deadline=None)
settings.load_profile("zorgtafel")


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
        pytest.skip(
            "PostgreSQL not reachable at ZORGTAFEL_TEST_DATABASE_URL "
            "(default 127.0.0.1:5432/test): PostgreSQL variant skipped; SQLite runs"
        )
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
