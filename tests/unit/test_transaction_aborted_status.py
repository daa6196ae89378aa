"""A transaction PostgreSQL aborts because of a concurrent one (a deadlock, SQLSTATE 40P01, or a
serialization failure, 40001) changed nothing: the caller is told UNAVAILABLE, to ask again,
never INTERNAL as if the service had failed, nor a conflict with stored data; by the kernel, so
in every service."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import grpc
import psycopg
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import exc as sa_exc

from services.governance.adapters import orm
from tests.unit.status_call import status_call
from tests.unit.test_kernel_exactly_once import _Req, governance_uow  # noqa: F401 - a fixture
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.grpc_errors import to_status
from zorgtafel.kernel.uow import utcnow

ABORTED = {
    b"deadlock": sa_exc.OperationalError(
        "UPDATE case_facts", {}, psycopg.errors.DeadlockDetected("deadlock detected")
    ),
    b"serialization": sa_exc.OperationalError(
        "UPDATE items", {}, psycopg.errors.SerializationFailure("could not serialize access")
    ),
}


@pytest.fixture(scope="module")
def call() -> Iterator[grpc.UnaryUnaryMultiCallable]:
    with status_call(ABORTED) as served:
        yield served


@pytest.mark.parametrize("cause", sorted(ABORTED))
def test_a_transaction_aborted_by_a_concurrent_one_is_unavailable_not_internal(call, cause):
    with pytest.raises(grpc.RpcError) as err:
        call(cause, timeout=10)
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    assert "retry" in err.value.details()
    assert "serialize" not in err.value.details() and "deadlock detected" not in err.value.details()


def test_another_database_error_is_still_internal_with_a_reference_only():
    other = sa_exc.ProgrammingError("INSERT", {}, psycopg.errors.UndefinedTable("no access_log"))
    status, ref = to_status(other)
    assert status.code == grpc.StatusCode.INTERNAL and ref and "access_log" not in status.details


@pytest.mark.parametrize("cause", sorted(ABORTED))
def test_a_command_aborted_by_a_concurrent_transaction_is_unavailable_and_stores_nothing(
    governance_uow,  # noqa: F811 - the fixture imported above
    cause,
):
    factory, engine = governance_uow

    def effect(uow):  # noqa: ANN001, ANN202
        raise ABORTED[cause]

    with pytest.raises(Unavailable):
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req("req-abcdef12", b"a"),
            response_type=pb.GetPartyResponse,
            effect=effect,
        )
    with engine.connect() as conn:
        assert conn.execute(orm.tables["command_results"].select()).first() is None


# The database out of reach: a connection the server dropped (a restart: 57P01, SQLAlchemy
# marks it invalidated), one psycopg could not make (no SQLSTATE), no pooled one free in time.
LOST = {
    "server_shut_down": sa_exc.OperationalError(
        "SELECT", {}, psycopg.errors.AdminShutdown("terminating connection"), True
    ),
    "connection_refused": sa_exc.OperationalError(
        None, None, psycopg.OperationalError("connection refused")
    ),
    "pool_exhausted": sa_exc.TimeoutError("QueuePool limit reached"),
    "connection_exception": sa_exc.OperationalError(
        "SELECT", {}, psycopg.errors.ConnectionFailure("no route")
    ),
}


@pytest.mark.parametrize("cause", sorted(LOST))
def test_a_database_out_of_reach_is_unavailable_not_internal(cause):
    status, ref = to_status(LOST[cause])
    assert status.code == grpc.StatusCode.UNAVAILABLE and ref is None
    assert "retry" in status.details and "refused" not in status.details


def test_a_broken_sqlite_file_is_still_the_service_s_fault():
    broken = sa_exc.OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))
    status, ref = to_status(broken)
    assert status.code == grpc.StatusCode.INTERNAL and ref


# SQLite (the local development database): a write while a second connection holds the file's
# write lock past the busy timeout fails with "database is locked" (SQLITE_BUSY); nothing of
# the transaction was stored, and asked again it can succeed: as PostgreSQL's aborts above.
@pytest.fixture
def locked_sqlite(governance_uow):  # noqa: F811 - the fixture imported above
    """The governance unit of work on its SQLite file, with a busy timeout of 50 ms (not the
    service's 30 s), while a second connection holds the file's write lock."""
    factory, engine = governance_uow
    engine.dispose()  # connections made from now on wait 50 ms for a lock, not 30 s

    @sa_event.listens_for(engine, "connect")
    def _short_wait(dbapi_conn, _record):  # noqa: ANN001, ANN202
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    holder = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # the write lock, held until the test ends
    try:
        yield factory, engine
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _write(uow) -> None:  # noqa: ANN001
    uow.session.execute(
        orm.tables["outbox"]
        .insert()
        .values(
            event_id="ev-locked",
            topic="t",
            key="k",
            type="x",
            source="s",
            time=utcnow(),
            data="{}",
            created_at=utcnow(),
            attempts=0,
        )
    )
    uow.session.flush()


def test_a_locked_sqlite_database_is_unavailable_not_internal(locked_sqlite):
    factory, _ = locked_sqlite
    with factory() as uow, pytest.raises(sa_exc.OperationalError) as err:
        _write(uow)
    assert isinstance(err.value.orig, sqlite3.OperationalError)
    assert "database is locked" in str(err.value.orig)
    status, ref = to_status(err.value)
    assert status.code == grpc.StatusCode.UNAVAILABLE and ref is None
    assert "retry" in status.details and "reference" not in status.details


def test_a_command_on_a_locked_sqlite_database_is_unavailable_and_stores_nothing(locked_sqlite):
    factory, engine = locked_sqlite
    with pytest.raises(Unavailable):
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req("req-locked01", b"a"),
            response_type=pb.GetPartyResponse,
            effect=lambda uow: (_write(uow), pb.GetPartyResponse())[1],
        )
    with engine.connect() as conn:
        assert conn.execute(orm.tables["command_results"].select()).first() is None
