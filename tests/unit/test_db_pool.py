"""The pooled PostgreSQL connections of a service (``zorgtafel.kernel.db``): a connection in
use a moment ago is handed out again without a ping (a round trip every unit of work paid,
issue #16), and one that sat idle is pinged first, so a connection the server dropped meanwhile
is replaced before a statement fails on it."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from zorgtafel.kernel import db
from zorgtafel.kernel.config import Settings


def _engine(tmp_path, pg_url):
    return db.make_engine(Settings(service="disclosure", data_dir=tmp_path, database_url=pg_url))


def _counting_pings(engine) -> list[int]:
    pings: list[int] = []
    ping = engine.dialect.do_ping

    def counted(dbapi_conn):
        pings.append(1)
        return ping(dbapi_conn)

    engine.dialect.do_ping = counted
    return pings


def test_a_connection_in_use_a_moment_ago_is_handed_out_again_without_a_ping(
    tmp_path, pg_url, monkeypatch
):
    monkeypatch.setattr(db, "PING_AFTER_IDLE_S", 3600.0, raising=False)
    engine = _engine(tmp_path, pg_url)
    pings = _counting_pings(engine)
    try:
        for _ in range(5):
            with engine.connect() as conn:
                assert conn.execute(text("SELECT 1")).scalar_one() == 1
        assert pings == []
    finally:
        engine.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_before_it_is_used(
    tmp_path, pg_url, monkeypatch
):
    monkeypatch.setattr(
        db, "PING_AFTER_IDLE_S", 0.0, raising=False
    )  # every returned connection counts as idle
    engine = _engine(tmp_path, pg_url)
    pings = _counting_pings(engine)
    admin = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.begin() as a:
            assert a.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar_one()
        with engine.connect() as conn:
            assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid
        assert pings  # the dropped connection was found out by its ping, not by a failed call
    finally:
        engine.dispose()
        admin.dispose()
