"""Every service's projection of party status, fed by governance's events.

Authorisation needs the caller's party status (an excluded or withdrawn party loses access
everywhere at once, art. 23.2 and 21); services other than governance learn it only from
``zorgtafel.governance.v1``. The projection is kept in a table (it survives restarts) and in
memory (``PartyDirectory``): every RPC asks for its caller's status, so the answer must not
cost a database round trip. The memory copy is loaded once and then follows the events: a
party event applied by this process updates it right after its transaction commits (never
before: a rolled-back event must not grant or revoke anything). A full reload on every health
tick lets replicas that did not apply an event themselves (one consumer group, one partition
each) converge within seconds.

An unknown party is "unknown": to a service that is ready (it knows every party of the
covenant's seed), it is a party whose registration has not reached this service yet, answered
UNAVAILABLE (retryable) by the interceptor; the policy never sees it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import InboundEvent, decided_at
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.types import UtcDateTime
from zorgtafel.kernel.uow import UnitOfWork, utcnow

log = get_logger(__name__)

UNKNOWN = "unknown"
ACTIVE = "active"
# The covenant's parties as governance seeds them: the set every service must know before it
# is ready. Read as a file (the kernel imports no service); ZORGTAFEL_SEED_PARTIES_FILE
# replaces it where the seed lives elsewhere, "none" means no expected set.
DEFAULT_SEED_PARTIES_FILE = (
    Path(__file__).resolve().parent.parent.parent
    / "services"
    / "governance"
    / "seed"
    / "parties.json"
)
_PENDING = "zorgtafel_party_updates"  # Session.info key: statuses written, not yet committed


def seeded_party_ids(path: Path | None = None) -> frozenset[str]:
    """The party ids of the covenant's seed file (empty when there is none)."""
    path = DEFAULT_SEED_PARTIES_FILE if path is None else path
    try:
        parties = json.loads(path.read_text(encoding="utf-8"))["parties"]
    except FileNotFoundError:
        return frozenset()
    return frozenset(str(p["party_id"]) for p in parties)


def add_party_directory_table(metadata: MetaData) -> Table:
    return Table(
        "party_directory",
        metadata,
        Column("party_id", String(32), primary_key=True),
        Column("name", String(200), nullable=False),
        Column("kind", String(40), nullable=False),
        Column("status", String(20), nullable=False),
        Column("status_since", UtcDateTime(), nullable=True),
        Column("updated_at", UtcDateTime(), nullable=False),
    )


def _upsert(uow: UnitOfWork, data: Mapping[str, Any]) -> None:
    """The party's status as governance's event says. An ``active`` status since a time
    before the status held here (an exclusion or withdrawal already applied, then the older
    registration delivered late) activates nothing; a status that ends or suspends a party
    always applies (fail closed)."""
    t = uow.tables["party_directory"]
    since = decided_at(data.get("status_since"))
    values = {
        "name": data.get("name", ""),
        "kind": data.get("kind", "other"),
        "status": data["status"],
        "status_since": since,
        "updated_at": utcnow(),
    }
    exists = uow.session.execute(
        select(t.c.party_id, t.c.status_since)
        .where(t.c.party_id == data["party_id"])
        .with_for_update()
    ).first()
    if (
        exists
        and data["status"] == ACTIVE
        and since is not None
        and exists.status_since is not None
        and since < exists.status_since
    ):
        return
    if exists:
        values = {k: v for k, v in values.items() if v not in ("", None) or k == "status"}
        uow.session.execute(t.update().where(t.c.party_id == data["party_id"]).values(**values))
    else:
        uow.session.execute(t.insert().values(party_id=data["party_id"], **values))
    # Told to the in-memory directory only once this transaction commits (see below).
    uow.session.info.setdefault(_PENDING, {})[str(data["party_id"])] = str(data["status"])


def on_party_event(uow: UnitOfWork, event: InboundEvent) -> None:
    _upsert(uow, event.data)


PARTY_EVENT_HANDLERS = {t: on_party_event for t in ev.PARTY_STATUS_EVENTS}


class PartyDirectory:
    """Party status from a service's projection, held in memory and kept current by the party
    events this process commits (``follow``) and by ``reload`` (one query for all parties)."""

    def __init__(
        self, engine: Engine, table: Table, expected: Collection[str] = frozenset()
    ) -> None:
        self._engine = engine
        self._table = table
        self.expected = frozenset(expected)
        self._lock = threading.Lock()
        self._status: dict[str, str] | None = None
        # Updates committed while a reload's query ran would be lost by its swap: counted, and
        # the newer ones laid over the reloaded snapshot.
        self._seq = 0
        self._recent: dict[str, tuple[int, str]] = {}

    def follow(self, session_factory: sessionmaker[Session]) -> None:
        """Update the memory copy after every commit of a session from ``session_factory``
        that applied party events (the consumer's, or a test's ``set_party_status``)."""

        def committed(session: Session) -> None:
            updates = session.info.pop(_PENDING, None)
            if updates:
                self._apply(updates)

        def dropped(session: Session, *_args: object) -> None:
            session.info.pop(_PENDING, None)

        event.listen(session_factory, "after_commit", committed)
        event.listen(session_factory, "after_soft_rollback", dropped)

    def _apply(self, updates: Mapping[str, str]) -> None:
        with self._lock:
            if self._status is None:
                return  # not loaded yet: the first load reads the committed rows
            for party, status in updates.items():
                self._seq += 1
                self._status[party] = status
                self._recent[party] = (self._seq, status)

    def reload(self) -> None:
        """Read every party's status in one query and replace the memory copy."""
        with self._lock:
            start = self._seq
        with self._engine.connect() as conn:
            rows = conn.execute(select(self._table.c.party_id, self._table.c.status)).all()
        fresh = {r.party_id: r.status for r in rows}
        with self._lock:
            for party, (seq, status) in self._recent.items():
                if seq > start:
                    fresh[party] = status
            self._recent = {p: v for p, v in self._recent.items() if v[0] > start}
            self._status = fresh

    def status(self, party_id: str) -> str:
        current = self._status
        if current is None:
            self.reload()
            current = self._status
        assert current is not None
        return current.get(party_id, UNKNOWN)

    def missing(self) -> frozenset[str]:
        """The expected (seeded) parties whose status this service does not know yet."""
        current = self._status or {}
        return frozenset(p for p in self.expected if p not in current)

    def known(self) -> bool:
        """Readiness: every party of the covenant's seed has a status here (re-read from the
        table, so replicas converge), and at least one party does. Until then this service
        would answer those parties' callers UNAVAILABLE."""
        self.reload()
        current = self._status or {}
        missing = self.missing()
        if missing:
            log.info("parties_not_yet_known", missing=len(missing))
        return bool(current) and not missing
