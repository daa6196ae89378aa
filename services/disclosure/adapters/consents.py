"""Consents as stored: the subject's (Bijlage 3) and the provider's written consent for a
third party (art. 9.2), each with its document reference, its recorder and its withdrawal."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.case_facts import restricted_under_lock
from services.disclosure.adapters.orm import case_facts, consents, items
from services.disclosure.domain.consents import Consent


def _consent(row) -> Consent:
    return Consent(
        consent_id=row.consent_id,
        kind=row.kind,
        case_id=row.case_id,
        item_id=row.item_id,
        given_by=row.given_by,
        scope=tuple(json.loads(row.scope or "[]")),
        recipient=row.recipient,
        document_ref=row.document_ref,
        given_at=row.given_at,
        recorded_by_party=row.recorded_by_party,
        recorded_by_person=row.recorded_by_person,
        recorded_at=row.recorded_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by_party=row.withdrawn_by_party,
        withdrawn_by_person=row.withdrawn_by_person,
        withdrawal_document_ref=row.withdrawal_document_ref,
    )


# Every disclosure request reads its cases' consents: built once (issue #16), a statement
# object keeps its cache key, so a call neither builds nor keys it again.
_OF_CASES = (
    select(consents)
    .where(consents.c.case_id.in_(bindparam("case_ids", expanding=True)))
    .order_by(consents.c.recorded_at)
)


class ConsentRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, consent: Consent) -> None:
        self._s.execute(
            insert(consents).values(
                consent_id=consent.consent_id,
                kind=consent.kind,
                case_id=consent.case_id,
                item_id=consent.item_id,
                given_by=consent.given_by,
                scope=json.dumps(list(consent.scope)),
                recipient=consent.recipient,
                document_ref=consent.document_ref,
                given_at=consent.given_at,
                recorded_by_party=consent.recorded_by_party,
                recorded_by_person=consent.recorded_by_person,
                recorded_at=consent.recorded_at,
            )
        )

    def find(self, consent_id: str) -> Consent | None:
        row = self._s.execute(select(consents).where(consents.c.consent_id == consent_id)).first()
        return _consent(row) if row else None

    def withdraw(
        self, consent_id: str, *, at: datetime, party: str, person: str, document_ref: str
    ) -> None:
        """Record the withdrawal once: a withdrawn consent stays withdrawn as first recorded."""
        self._s.execute(
            update(consents)
            .where((consents.c.consent_id == consent_id) & consents.c.withdrawn_at.is_(None))
            .values(
                withdrawn_at=at,
                withdrawn_by_party=party,
                withdrawn_by_person=person,
                withdrawal_document_ref=document_ref,
            )
        )

    def of_cases(self, case_ids: list[str]) -> list[Consent]:
        # One statement for no case too (a subject access export's time is no oracle, 8.4c).
        return [_consent(r) for r in self._s.execute(_OF_CASES, {"case_ids": case_ids}).all()]

    def recorders_of_cases(self, case_ids: list[str]) -> list[tuple[str, str]]:
        """(case id, recording party) of the cases' consents, distinct: who answers for them,
        read without the consents (one statement for no case too, as ``of_cases``)."""
        c = consents.c
        q = select(c.case_id, c.recorded_by_party).where(c.case_id.in_(case_ids)).distinct()
        return [(r.case_id, r.recorded_by_party) for r in self._s.execute(q).all()]

    def delete_case(self, case_id: str, keep_items: Iterable[str] = ()) -> None:
        """Delete the case's consents, but those naming an item of ``keep_items`` (a provider's
        written consent for it, 9.2: a restriction of the item holds it)."""
        c, kept = consents.c, list(keep_items)
        q = delete(consents).where(c.case_id == case_id)
        if kept:
            q = q.where(or_(c.item_id.is_(None), c.item_id.not_in(kept)))
        self._s.execute(q)

    # -- retention (kernel/scheduler.py, issue #14) -------------------------------------------
    def withdrawn_before(self, cutoff: datetime) -> list[str]:
        """Consents withdrawn at or before ``cutoff`` (ids only), but none of a case, nor one
        naming an item (a provider's written consent, 9.2), the subject's restriction holds
        (GDPR art. 18(2): only stored while it lasts; due at the first tick after its lifting,
        its period counted from the withdrawal)."""
        c, f, i = consents.c, case_facts.c, items.c
        restricted = exists().where(f.case_id == c.case_id, f.restricted_at.is_not(None))
        item_restricted = exists().where(i.item_id == c.item_id, i.restricted_at.is_not(None))
        q = select(c.consent_id).where(
            c.withdrawn_at.is_not(None), c.withdrawn_at <= cutoff, ~restricted, ~item_restricted
        )
        return list(self._s.scalars(q.order_by(c.withdrawn_at, c.consent_id)))

    def delete_withdrawn(self, consent_id: str, cutoff: datetime) -> bool:
        """Delete one consent withdrawn at or before ``cutoff``; False when it is gone (another
        replica was first), was withdrawn later or its case or the item it names is restricted
        (GDPR art. 18): the case's facts row and the item's row are read under their locks, the
        ones a grant or lifting takes (``restriction_decided``), so a restriction granted
        meanwhile is seen here."""
        c = consents.c
        named = self._s.execute(
            select(c.case_id, c.item_id).where(c.consent_id == consent_id)
        ).first()
        if named is not None and (
            restricted_under_lock(self._s, case_facts, "case_id", named.case_id)
            or restricted_under_lock(self._s, items, "item_id", named.item_id)
        ):
            return False
        result = self._s.execute(
            delete(consents).where(
                c.consent_id == consent_id, c.withdrawn_at.is_not(None), c.withdrawn_at <= cutoff
            )
        )
        return bool(result.rowcount)
