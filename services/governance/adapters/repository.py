"""Repositories over a unit of work's session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.governance.domain.parties import Party, PartyKind, PartyStatus


class PartyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, party: Party) -> None:
        self._session.add(party)

    def get(self, party_id: str) -> Party | None:
        return self._session.get(Party, party_id)

    def list(self, kind: PartyKind | None = None, status: PartyStatus | None = None) -> list[Party]:
        q = select(Party).order_by(Party.party_id)
        if kind is not None:
            q = q.where(Party.kind == kind)
        if status is not None:
            q = q.where(Party.status == status)
        return list(self._session.scalars(q))
