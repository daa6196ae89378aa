"""A service's start migration whose connection the database dropped (an operator ending
backends, a restart, a failover) is run again, a few times, instead of the service exiting
"migrations failed; not serving"; any other failure stops it at once (the e2e fault test drops
every connection of the suite while a killed service starts again)."""

from __future__ import annotations

import argparse

import pytest
from sqlalchemy.exc import OperationalError

from zorgtafel import cli
from zorgtafel.kernel import bootstrap, migrate


class _ServerGoing(Exception):
    sqlstate = "57P01"  # admin_shutdown: pg_terminate_backend


class _BadSchema(Exception):
    sqlstate = "42P07"  # duplicate_table: the migration's own fault


def _failing(monkeypatch, errors: list[BaseException]) -> list[int]:
    calls: list[int] = []

    def upgrade(*_args, **_kwargs) -> None:
        calls.append(1)
        if errors:
            raise errors.pop(0)

    monkeypatch.setattr(migrate, "upgrade", upgrade)
    monkeypatch.setattr(cli, "MIGRATE_RETRY_S", 0.0)
    return calls


@pytest.fixture(autouse=True)
def _sqlite_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ZORGTAFEL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("ZORGTAFEL_DATABASE_URL", raising=False)


def _dropped() -> OperationalError:
    return OperationalError("upgrade", {}, _ServerGoing())


def test_a_migration_whose_connection_was_dropped_is_run_again(monkeypatch):
    calls = _failing(monkeypatch, [_dropped(), _dropped()])
    assert cli._migrate(argparse.Namespace(service="governance", quiet=True)) == 0
    assert len(calls) == 3


def test_a_migration_failing_for_its_own_reason_stops_at_once(monkeypatch):
    calls = _failing(monkeypatch, [OperationalError("upgrade", {}, _BadSchema())])
    with pytest.raises(SystemExit) as stopped:
        cli._migrate(argparse.Namespace(service="governance", quiet=True))
    assert "SQLSTATE 42P07" in str(stopped.value.code)
    assert len(calls) == 1


def test_a_database_that_keeps_dropping_it_stops_the_service_after_the_last_attempt(monkeypatch):
    calls = _failing(monkeypatch, [_dropped() for _ in range(cli.MIGRATE_ATTEMPTS + 2)])
    with pytest.raises(SystemExit) as stopped:
        cli._migrate(argparse.Namespace(service="governance", quiet=True))
    assert "SQLSTATE 57P01" in str(stopped.value.code)
    assert len(calls) == cli.MIGRATE_ATTEMPTS


# -- the start hooks (seeding a register, the governance seed, the withdrawals due) -------------
# The e2e fault test failed once more: disclosure's seeding of its register counted the rows
# while every connection of the suite was ended, and the service exited with status 1.


def _hook(errors: list[BaseException]) -> tuple[list[int], object]:
    calls: list[int] = []

    def seed() -> None:
        calls.append(1)
        if errors:
            raise errors.pop(0)

    return calls, seed


def test_a_start_hook_whose_connection_was_dropped_is_run_again(monkeypatch):
    monkeypatch.setattr(bootstrap, "START_RETRY_S", 0.0)
    calls, seed = _hook([_dropped(), _dropped()])
    after: list[int] = []
    bootstrap.run_start_hooks((seed, lambda: after.append(1)))
    assert len(calls) == 3 and after == [1]


def test_a_start_hook_failing_for_its_own_reason_stops_the_start_at_once(monkeypatch):
    monkeypatch.setattr(bootstrap, "START_RETRY_S", 0.0)
    calls, seed = _hook([OperationalError("seed", {}, _BadSchema())])
    after: list[int] = []
    with pytest.raises(OperationalError):
        bootstrap.run_start_hooks((seed, lambda: after.append(1)))
    assert len(calls) == 1 and after == []


def test_a_database_that_keeps_dropping_a_start_hook_stops_the_start(monkeypatch):
    monkeypatch.setattr(bootstrap, "START_RETRY_S", 0.0)
    calls, seed = _hook([_dropped() for _ in range(bootstrap.START_ATTEMPTS + 2)])
    with pytest.raises(OperationalError):
        bootstrap.run_start_hooks((seed,))
    assert len(calls) == bootstrap.START_ATTEMPTS
