"""A unit of work that says it only reads (``UnitOfWork.reads_only``, disclosure's facts before
the log is written): on PostgreSQL at READ COMMITTED its statements run without BEGIN and
ROLLBACK, and the pooled connection serves the next unit of work transactional again."""

from __future__ import annotations

from psycopg import pq
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.uow import UnitOfWork


def _transaction_status(uow: UnitOfWork) -> pq.TransactionStatus:
    dbapi = uow.session.connection().connection.dbapi_connection
    return dbapi.info.transaction_status


def test_reads_only_hold_no_transaction_and_the_next_unit_of_work_has_one(pg_url):
    engine = create_engine(pg_url, pool_size=1, max_overflow=0)
    try:
        with engine.connect():
            pass  # the dialect learns the server's default isolation level
        factory = sessionmaker(bind=engine)

        def uow() -> UnitOfWork:
            return UnitOfWork(factory, {}, topic="t", source="/t", registry=EventRegistry([]))

        with uow() as reading:
            reading.reads_only()
            reading.session.execute(text("SELECT 1"))
            assert _transaction_status(reading) == pq.TransactionStatus.IDLE
        with uow() as writing:  # the same pooled connection (the pool holds one)
            writing.session.execute(text("SELECT 1"))
            assert _transaction_status(writing) == pq.TransactionStatus.INTRANS
    finally:
        engine.dispose()
