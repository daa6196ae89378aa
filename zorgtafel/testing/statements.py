"""What list tests and benchmarks share: the SQL statements a call makes, counted as
SQLAlchemy sends them to the database (``before_cursor_execute``, in this thread or in the
threads named), and an RPC of a servicer called as the interceptor would call it (the caller in
the call context)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.callcontext import CallContext, reset, set_current
from zorgtafel.kernel.caller import Caller


@contextmanager
def statements(threads_named: tuple[str, ...] = ()) -> Iterator[list[str]]:
    """The statements sent while the block runs (every engine): in this thread, or in the
    threads whose names start with one of ``threads_named`` (a served call's worker and the
    threads it hands work to)."""
    seen: list[str] = []
    me = threading.get_ident()

    def on_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if (
            threading.current_thread().name.startswith(threads_named)
            if threads_named
            else threading.get_ident() == me
        ):
            seen.append(statement)

    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)


def call(rpc: Callable[[Any, Any], Any], request: Any, caller: Caller) -> Any:
    """``rpc(request, context)`` with ``caller`` as the authenticated caller of the call."""
    token = set_current(
        CallContext(
            method="",
            principal=Principal(caller.party, caller.person, caller.role, caller.authenticated_by),
            party_status=caller.party_status,
            authz_decision_id="",
            policy_revision="",
        )
    )
    try:
        return rpc(request, None)
    finally:
        reset(token)


def limited(sent: list[str]) -> bool:
    """Whether one of the statements asks the database for a page (LIMIT), rather than every
    row for the servicer to slice."""
    return any(" LIMIT " in " ".join(s.upper().split()) for s in sent)


@contextmanager
def sent_with_parameters() -> Iterator[list[tuple[str, Any]]]:
    """The statements sent in this thread while the block runs, each with its parameters (to
    ask the database for its plan: ``plan_without_scans_or_sorts``)."""
    sent: list[tuple[str, Any]] = []
    me = threading.get_ident()

    def on_execute(
        conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool
    ) -> None:
        if threading.get_ident() == me:
            sent.append((statement, parameters))

    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)


def plan_without_scans_or_sorts(conn: Any, statement: str, parameters: Any) -> str | None:
    """PostgreSQL's plan of ``statement`` with sequential scans and sorts priced out (in the
    connection's transaction only), so an index that keeps a list's key order shows in it: the
    same plan on any machine, not a timing. None on another database."""
    if conn.dialect.name != "postgresql":
        return None
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.exec_driver_sql("SET LOCAL enable_sort = off")
    return "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters).all())
