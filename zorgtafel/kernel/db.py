"""Database engine and sessions: a SQLite file by default, PostgreSQL when a URL is given.

Each service owns its data: its own SQLite file, or its own schema in PostgreSQL (tables are
declared without a schema and mapped onto the service's schema with ``schema_translate_map``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from zorgtafel.kernel.config import Settings

# PostgreSQL's SQLSTATEs of a transaction it aborted for a concurrent one's sake: a
# serialization failure and a deadlock (class 40, transaction rollback).
CONCURRENCY_ABORTS = frozenset({"40001", "40P01"})


# SQLite's result code of a database another connection kept locked past the busy timeout
# ("database is locked"); its extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, BUSY_TIMEOUT) keep
# it in their low byte. Not SQLITE_LOCKED (6): a table locked within one connection is a bug.
SQLITE_BUSY = 5


def aborted_for_concurrency(exc: BaseException) -> bool:
    """Whether ``exc`` (SQLAlchemy's, wrapping the driver's as ``orig``) is PostgreSQL aborting
    the transaction for a concurrent one (DeadlockDetected, SerializationFailure), or SQLite
    refusing a statement or a commit because another connection held the database locked
    longer than the busy timeout: nothing of it was stored, and the same request asked again
    can succeed."""
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None)
    if isinstance(code, str):
        return code in CONCURRENCY_ABORTS
    busy = getattr(orig, "sqlite_errorcode", None)  # Python 3.11+
    # sqlite3 is looked up, not imported: a service on PostgreSQL never loads it (libsqlite3,
    # ~1 MB of every serving process, issue #16), and with it unloaded no error is SQLite's.
    sqlite3 = sys.modules.get("sqlite3")
    return (
        sqlite3 is not None
        and isinstance(orig, sqlite3.OperationalError)
        and isinstance(busy, int)
        and busy & 0xFF == SQLITE_BUSY
    )


# PostgreSQL's SQLSTATEs of a connection it closed or would not give: class 08 (connection
# exception) and the server shutting down, crashed or starting up (57P01-57P03).
SERVER_GOING = frozenset({"57P01", "57P02", "57P03"})


def lost_database(exc: BaseException) -> bool:
    """Whether ``exc`` says the database could not be reached: a connection the server dropped
    (a restart, a failover: SQLAlchemy marks it invalidated), one it refused, or no pooled
    connection free in time. A dependency missing, not the service failing and not the
    caller's mistake: asked again, the same request can succeed. SQLite's own errors are not
    taken for it (a broken file is the service's; a locked one, ``aborted_for_concurrency``)."""
    if isinstance(exc, (DisconnectionError, PoolTimeout)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None)
    if isinstance(code, str):
        return code.startswith("08") or code in SERVER_GOING
    # psycopg raises its bare OperationalError, without a SQLSTATE, when it cannot connect.
    return type(orig).__module__ == "psycopg" and type(orig).__name__ == "OperationalError"


T = TypeVar("T")


def again_when_lost(
    step: Callable[[], T],
    *,
    attempts: int,
    pause_s: float,
    before_again: Callable[[BaseException, int], None] | None = None,
) -> T:
    """``step``, run again (up to ``attempts`` times in all, ``pause_s`` × attempt apart) while
    the database dropped or refused its connection (``lost_database``: a restart, a failover,
    an operator ending backends): the database's moment, not the step's fault. For steps at a
    service's start that are idempotent (a migration's transactional DDL, rolled back; a
    seeding that looks before it writes); any other failure, and the last attempt's, is
    raised. ``before_again`` is told the failure and the attempt before each pause."""
    attempt = 1
    while True:
        try:
            return step()
        except Exception as exc:
            if attempt >= attempts or not lost_database(exc):
                raise
            if before_again is not None:
                before_again(exc, attempt)
            time.sleep(pause_s * attempt)
            attempt += 1


def make_engine(settings: Settings) -> Engine:
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(
            dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry
        ) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            # WAL lets the relay and the consumer read while a handler writes.
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    schema = settings.effective_schema
    # application_name shows which service (and schema) a connection belongs to in
    # pg_stat_activity: for operators, and for fault tests that drop exactly those.
    engine = create_engine(
        url,
        # Kept open: one per gRPC worker and one each for the access log's committer, the
        # outbox relay, the consumer and the health monitor. A smaller pool with overflow
        # opened and closed a connection (a PostgreSQL backend) whenever more clients called
        # at once than it kept: a connect in the tail of busy moments.
        pool_size=pool_size(settings),
        max_overflow=0,
        connect_args={"connect_timeout": 5, "application_name": f"zorgtafel:{schema}"[:63]},
    )
    ping_when_idle(engine)
    return engine.execution_options(schema_translate_map={None: schema})


# A pooled connection idle for longer than this is pinged before it is handed out (one round
# trip): the server may have dropped it meanwhile (a restart, a failover, an idle timeout).
# One handed back less than this ago was in use just now: pinging it on every checkout, as
# ``pool_pre_ping`` does, cost every unit of work a round trip (issue #16). Should the server
# drop it all the same, the statement fails, SQLAlchemy sees the disconnect and replaces every
# connection of the pool.
PING_AFTER_IDLE_S = 1.0
_RETURNED_AT = "zorgtafel_returned_at"


def ping_when_idle(engine: Engine) -> None:
    """Ping a connection at checkout only when it sat in the pool longer than
    ``PING_AFTER_IDLE_S``; a dead one is replaced by a fresh connection, as with
    ``pool_pre_ping``."""
    dialect = engine.dialect

    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_conn: DBAPIConnection | None, record: ConnectionPoolEntry) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry, _proxy: object) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned <= PING_AFTER_IDLE_S:
            return  # new (just connected), or in use a moment ago
        try:
            alive = dialect.do_ping(dbapi_conn)
        except Exception as exc:  # noqa: BLE001 - any failure: this connection is gone
            raise DisconnectionError("a pooled connection no longer answers") from exc
        if not alive:
            raise DisconnectionError("a pooled connection no longer answers")


def pool_size(settings: Settings) -> int:
    """The connections a service keeps (and at most holds) on PostgreSQL: never fewer than
    the 20 it could hold before."""
    return max(20, settings.grpc_max_workers + 4)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


def ping(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False
