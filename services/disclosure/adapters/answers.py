"""The claim of a disclosure request id: who used it, for which request, never an answer.

It lives in the kernel's ``command_results`` (keyed by party and request id, so ids of
different RPCs share one space): the digest of (method, person, request) and the case, so the
case's purge removes it. No answer is kept: a repeat of the request is decided again on the
facts of its own time and logged as a decision of its own (``handlers/disclosure.py``); the id
with another request, or from a colleague, is refused. Rows written before kept the decisions
of the first request in ``response``; nothing reads them any more.
"""

from __future__ import annotations

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from zorgtafel.kernel.uow import utcnow

METHOD = "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"


class AnswerRepository:
    def __init__(self, session: Session, table: Table) -> None:
        self._s = session
        self._t = table

    def find(self, party: str, request_id: str) -> str | None:
        """The digest of the request this party's id was used for ("" when the id answered
        another RPC: never the same request), or None when it was not used."""
        t = self._t
        row = self._s.execute(
            select(t.c.request_digest, t.c.method).where(
                t.c.party_id == party, t.c.request_id == request_id
            )
        ).first()
        if row is None:
            return None
        return str(row.request_digest) if row.method == METHOD else ""

    def add(self, party: str, request_id: str, digest: str, case_id: str) -> None:
        self._s.execute(
            insert(self._t).values(
                party_id=party,
                request_id=request_id,
                method=METHOD,
                request_digest=digest,
                response=b"{}",
                case_id=case_id or None,
                created_at=utcnow(),
            )
        )
