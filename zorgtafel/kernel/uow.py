"""Unit of work: one database transaction, rolled back unless committed, that collects the
domain events raised during it and writes them to the outbox in the same transaction.

Services subclass it to attach their repositories (``_attach``). Handlers only ever see a
unit of work, never a session factory.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from zorgtafel.kernel.events import DomainEvent, EventRegistry
from zorgtafel.kernel.tracing import current_traceparent


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UnitOfWork:
    def __init__(self, session_factory: sessionmaker, tables: dict, *, topic: str, source: str,
                 registry: EventRegistry) -> None:
        self._session_factory = session_factory
        self.tables = tables
        self.topic = topic
        self.source = source
        self.registry = registry
        self.session: Session | None = None
        self._events: list[DomainEvent] = []
        self.published: list[DomainEvent] = []

    # -- context management -------------------------------------------------------------
    def __enter__(self) -> "UnitOfWork":
        self.session = self._session_factory()
        self._events = []
        self._attach(self.session)
        return self

    def __exit__(self, *exc) -> None:
        assert self.session is not None
        self.session.rollback()  # a no-op after commit; the safety net otherwise
        self.session.close()
        self.session = None

    def _attach(self, session: Session) -> None:
        """Subclasses create their repositories on ``session`` here."""

    # -- events -------------------------------------------------------------------------
    def emit(self, *events: DomainEvent) -> None:
        for event in events:
            self.registry.check(event)
            self._events.append(event)

    def commit(self) -> None:
        assert self.session is not None
        now = utcnow()
        traceparent = current_traceparent() or None
        if self._events:
            self.session.execute(insert(self.tables["outbox"]), [
                {
                    "event_id": str(uuid.uuid4()), "topic": self.topic, "key": e.key,
                    "type": e.TYPE, "source": self.source, "subject": None, "time": now,
                    "data": json.dumps(e.to_data(), sort_keys=True), "case_id": e.case_ref(),
                    "traceparent": traceparent, "created_at": now, "sent_at": None,
                    "attempts": 0,
                }
                for e in self._events
            ])
        self.session.commit()
        self.published.extend(self._events)
        self._events = []

    def rollback(self) -> None:
        assert self.session is not None
        self.session.rollback()
        self._events = []


UowFactory = Callable[[], UnitOfWork]
