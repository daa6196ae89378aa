"""Unit of work: one database transaction, rolled back unless committed, that collects the
domain events raised during it and writes them to the outbox in the same transaction.

Services subclass it to attach their repositories (``_attach``). Handlers only ever see a
unit of work, never a session factory.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Self

from sqlalchemy import ColumnElement, Table, insert
from sqlalchemy.orm import Session, sessionmaker

from zorgtafel.kernel.events import DomainEvent, EventRegistry

if TYPE_CHECKING:  # pragma: no cover - casekeys imports this module
    from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.tracing import current_traceparent


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UnitOfWork:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        tables: Mapping[str, Table],
        *,
        topic: str,
        source: str,
        registry: EventRegistry,
        wake: Callable[[], None] | None = None,
        keys: CaseKeys | None = None,
    ) -> None:
        self._session_factory = session_factory
        # Called after every commit that wrote outbox rows, whoever committed (a command, a
        # consumer, a background task), so the relay publishes at once instead of next poll.
        self._wake = wake
        self.keys = keys  # the per-case data keys, for services with a case_keys table
        self.tables = tables
        self.topic = topic
        self.source = source
        self.registry = registry
        self._session: Session | None = None
        self._events: list[DomainEvent] = []
        self.published: list[DomainEvent] = []

    @property
    def session(self) -> Session:
        """The open session; only inside ``with uow:``."""
        assert self._session is not None, "unit of work used outside its with-block"
        return self._session

    # -- context management -------------------------------------------------------------
    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self._events = []
        self._attach(self._session)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._session is not None
        self._session.rollback()  # a no-op after commit; the safety net otherwise
        self._session.close()
        self._session = None

    def _attach(self, session: Session) -> None:
        """Subclasses create their repositories on ``session`` here."""

    def access_log_held(self, log: Table) -> ColumnElement[bool] | None:
        """The access-log records a subject's restriction holds now (GDPR art. 18), as a
        condition on a row of ``log``: pruning (``accesslog/prune.py``) stops before the first
        of them. None (the default): the service holds no restrictions."""
        return None

    def reads_only(self) -> None:
        """Say that the statements until the next commit or rollback only read, before the
        first of them. On PostgreSQL at READ COMMITTED (every statement sees its own snapshot,
        so a transaction around reads holds nothing together) they then run without BEGIN and
        ROLLBACK: two round trips fewer. SQLite keeps the transaction: there it is one snapshot.
        The connection goes back to the pool as it came (SQLAlchemy resets the level)."""
        session = self.session
        if session.in_transaction():
            return  # a statement ran already: the transaction stays as it is
        dialect = session.get_bind().dialect
        if dialect.name == "postgresql" and _read_committed(dialect):
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})

    # -- events -------------------------------------------------------------------------
    def emit(self, *events: DomainEvent) -> None:
        for event in events:
            self.registry.check(event)
            self._events.append(event)

    def commit(self) -> None:
        now = utcnow()
        traceparent = current_traceparent() or None
        if self._events:
            self.session.execute(
                insert(self.tables["outbox"]),
                [
                    {
                        "event_id": str(uuid.uuid4()),
                        "topic": self.topic,
                        "key": e.key,
                        "type": e.TYPE,
                        "source": self.source,
                        "subject": None,
                        "time": now,
                        "data": json.dumps(e.to_data(), sort_keys=True),
                        "case_id": e.case_ref(),
                        "traceparent": traceparent,
                        "created_at": now,
                        "sent_at": None,
                        "attempts": 0,
                    }
                    for e in self._events
                ],
            )
        self.session.commit()
        wrote = bool(self._events)
        self.published.extend(self._events)
        self._events = []
        if wrote and self._wake is not None:
            self._wake()

    def rollback(self) -> None:
        self.session.rollback()
        self._events = []


def _read_committed(dialect: Any) -> bool:
    # Known once the engine has connected (its first connection reads the server's default).
    return str(getattr(dialect, "default_isolation_level", "") or "").upper() == "READ COMMITTED"


UowFactory = Callable[[], UnitOfWork]
