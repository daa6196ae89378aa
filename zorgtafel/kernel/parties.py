"""Every service's projection of party status, fed by governance's events.

Authorisation needs the caller's party status (an excluded or withdrawn party loses access
everywhere at once, art. 23.2 and 21); services other than governance learn it only from
``zorgtafel.governance.v1``. An unknown party is "unknown", which the policy denies.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.engine import Engine

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.types import UtcDateTime
from zorgtafel.kernel.uow import UnitOfWork, utcnow


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
    t = uow.tables["party_directory"]
    since = data.get("status_since")
    values = {
        "name": data.get("name", ""),
        "kind": data.get("kind", "other"),
        "status": data["status"],
        "status_since": datetime.fromisoformat(since) if since else None,
        "updated_at": utcnow(),
    }
    exists = uow.session.execute(
        select(t.c.party_id).where(t.c.party_id == data["party_id"])
    ).first()
    if exists:
        values = {k: v for k, v in values.items() if v not in ("", None) or k == "status"}
        uow.session.execute(t.update().where(t.c.party_id == data["party_id"]).values(**values))
    else:
        uow.session.execute(t.insert().values(party_id=data["party_id"], **values))


def on_party_event(uow: UnitOfWork, event: InboundEvent) -> None:
    _upsert(uow, event.data)


PARTY_EVENT_HANDLERS = {t: on_party_event for t in ev.PARTY_STATUS_EVENTS}


class PartyDirectory:
    """Reads party status from a service's projection."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self._engine = engine
        self._table = table

    def status(self, party_id: str) -> str:
        with self._engine.connect() as conn:
            row = conn.execute(
                select(self._table.c.status).where(self._table.c.party_id == party_id)
            ).first()
        return row.status if row else "unknown"

    def known(self) -> bool:
        """Readiness: until governance's party events have arrived, this service would refuse
        every caller as an unknown party, so it is not ready to serve."""
        with self._engine.connect() as conn:
            return conn.execute(select(self._table.c.party_id).limit(1)).first() is not None
