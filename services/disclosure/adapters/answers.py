"""The stored answer of a disclosure request id: what was decided, never what was released.

It lives in the kernel's ``command_results`` (keyed by party and request id, so ids of
different RPCs share one space) as JSON: each item's decision id, outcome, reasons and
obligations (without a break-glass justification). Content is not stored: a repeat decrypts
and redacts the items again under the same decisions, so the answer is identical while the
content stays only in the encrypted columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from zorgtafel.kernel.uow import utcnow

METHOD = "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"


@dataclass(frozen=True)
class StoredAnswer:
    digest: str
    answer: dict[str, Any]


class AnswerRepository:
    def __init__(self, session: Session, table: Table) -> None:
        self._s = session
        self._t = table

    def find(self, party: str, request_id: str) -> StoredAnswer | None:
        t = self._t
        row = self._s.execute(
            select(t.c.request_digest, t.c.response, t.c.method).where(
                t.c.party_id == party, t.c.request_id == request_id
            )
        ).first()
        if row is None:
            return None
        if row.method != METHOD:  # the id answered another RPC: never the same request
            return StoredAnswer("", {})
        return StoredAnswer(row.request_digest, json.loads(bytes(row.response)))

    def add(
        self, party: str, request_id: str, digest: str, answer: dict[str, Any], case_id: str
    ) -> None:
        self._s.execute(
            insert(self._t).values(
                party_id=party,
                request_id=request_id,
                method=METHOD,
                request_digest=digest,
                response=json.dumps(answer, sort_keys=True, ensure_ascii=False).encode(),
                case_id=case_id or None,
                created_at=utcnow(),
            )
        )
