"""The case's information in disclosure: items and safety-override reviews (consents:
``adapters/consents.py``).

Item content, field summaries and review texts are sealed here under the case's data key
(``uow.keys``, the kernel's per-case keys) with the row's id as associated data, so a
ciphertext cannot be moved to another row; destroying the case key erases them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import items, reviews
from services.disclosure.domain.decisions import MAX_ITEMS_PER_REQUEST, Review
from services.disclosure.domain.items import Item, Terms
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.errors import NotFound

ERASED = "[erased]"
UNREADABLE = "[unreadable]"


def _terms_json(terms: Terms) -> str:
    return json.dumps(terms.to_json(), sort_keys=True)


def _item(row) -> Item:
    return Item(
        item_id=row.item_id,
        case_id=row.case_id,
        provider=row.provider,
        provided_by_person=row.provided_by_person,
        category=row.category,
        classification=row.classification,
        legal_basis=row.legal_basis,
        content_type=row.content_type,
        terms=Terms.from_json(json.loads(row.terms)),
        retracted=bool(row.retracted),
        erased=bool(row.erased),
        provided_at=row.provided_at,
        content_sealed=row.content_sealed,
        summaries_sealed=row.summaries_sealed,
    )


class ItemRepository:
    def __init__(self, session: Session, keys: CaseKeys) -> None:
        self._s = session
        self._keys = keys

    def find(self, item_id: str) -> Item | None:
        row = self._s.execute(select(items).where(items.c.item_id == item_id)).first()
        return _item(row) if row else None

    def get(self, item_id: str) -> Item:
        item = self.find(item_id)
        if item is None:
            raise NotFound("item", item_id)
        return item

    def get_many(self, item_ids: Iterable[str]) -> list[Item]:
        """The items in the order asked for; NOT_FOUND names the first one missing."""
        wanted = list(item_ids)
        rows = self._s.execute(select(items).where(items.c.item_id.in_(wanted))).all()
        found = {r.item_id: _item(r) for r in rows}
        for item_id in wanted:
            if item_id not in found:
                raise NotFound("item", item_id)
        return [found[i] for i in dict.fromkeys(wanted)]

    def of_case(
        self, case_id: str, category: str = "", limit: int = MAX_ITEMS_PER_REQUEST
    ) -> list[Item]:
        q = select(items).where(items.c.case_id == case_id)
        if category:
            q = q.where(items.c.category == category)
        return [
            _item(r)
            for r in self._s.execute(
                q.order_by(items.c.provided_at, items.c.item_id).limit(limit)
            ).all()
        ]

    def of_cases(self, case_ids: list[str]) -> list[Item]:
        if not case_ids:
            return []
        return [
            _item(r)
            for r in self._s.execute(
                select(items).where(items.c.case_id.in_(case_ids)).order_by(items.c.provided_at)
            ).all()
        ]

    def add(self, item: Item, key: bytes, content: bytes, summaries: Mapping[str, str]) -> None:
        summaries_sealed = (
            self._keys.seal(key, json.dumps(dict(summaries)).encode(), f"{item.item_id}:summaries")
            if summaries
            else None
        )
        self._s.execute(
            insert(items).values(
                item_id=item.item_id,
                case_id=item.case_id,
                provider=item.provider,
                provided_by_person=item.provided_by_person,
                category=item.category,
                classification=item.classification,
                legal_basis=item.legal_basis,
                content_type=item.content_type,
                content_sealed=self._keys.seal(key, content, item.item_id),
                summaries_sealed=summaries_sealed,
                terms=_terms_json(item.terms),
                retracted=item.retracted,
                retracted_at=None,
                erased=item.erased,
                provided_at=item.provided_at,
                updated_at=item.provided_at,
            )
        )

    def open(self, item: Item, key: bytes) -> tuple[bytes, dict[str, str]]:
        """The item's content and field summaries, decrypted (only after the log is written)."""
        if item.content_sealed is None:
            raise ValueError("the item's content was erased")
        content = self._keys.open(key, item.content_sealed, item.item_id)
        summaries = (
            json.loads(self._keys.open(key, item.summaries_sealed, f"{item.item_id}:summaries"))
            if item.summaries_sealed
            else {}
        )
        return content, summaries

    def set_terms(self, item_id: str, terms: Terms, now: datetime) -> None:
        self._s.execute(
            update(items)
            .where(items.c.item_id == item_id)
            .values(terms=_terms_json(terms), updated_at=now)
        )

    def retract(self, item_id: str, now: datetime) -> None:
        self._s.execute(
            update(items)
            .where(items.c.item_id == item_id)
            .values(retracted=True, retracted_at=now, updated_at=now)
        )

    def erase_content(self, item_id: str, now: datetime) -> None:
        """The subject's erasure (Bijlage 3): the ciphertexts go, the item's record stays."""
        self._s.execute(
            update(items)
            .where(items.c.item_id == item_id)
            .values(content_sealed=None, summaries_sealed=None, erased=True, updated_at=now)
        )

    def delete_case(self, case_id: str) -> None:
        self._s.execute(delete(items).where(items.c.case_id == case_id))


class ReviewRepository:
    """Safety overrides under review; the justification and what the client was told are
    sealed under the case key (free text, possibly about the client)."""

    def __init__(self, session: Session, keys: CaseKeys) -> None:
        self._s = session
        self._keys = keys

    def add(self, review: Review, key: bytes) -> None:
        self._s.execute(
            insert(reviews).values(
                review_id=review.review_id,
                decision_id=review.decision_id,
                case_id=review.case_id,
                item_id=review.item_id,
                provider=review.provider,
                party=review.party,
                person=review.person,
                consulted_colleague=review.consulted_colleague,
                justification_sealed=self._keys.seal(
                    key, review.justification.encode(), review.review_id
                ),
                client_informed_sealed=self._keys.seal(
                    key, review.client_informed.encode(), review.review_id + ":informed"
                ),
                created_at=review.created_at,
            )
        )

    def under_review(self, case_id: str = "") -> list[Review]:
        """Every review (of one case), its texts readable while the case key exists."""
        q = select(reviews).order_by(reviews.c.created_at, reviews.c.review_id)
        if case_id:
            q = q.where(reviews.c.case_id == case_id)
        out = []
        for r in self._s.execute(q).all():
            key = self._keys.find(self._s, r.case_id)
            justification = informed = ERASED
            if key is not None and r.justification_sealed is not None:
                try:
                    justification = self._keys.open(
                        key, r.justification_sealed, r.review_id
                    ).decode()
                    informed = self._keys.open(
                        key, r.client_informed_sealed, r.review_id + ":informed"
                    ).decode()
                except Exception:  # noqa: BLE001 - a damaged ciphertext is reported, not shown
                    justification = informed = UNREADABLE
            out.append(
                Review(
                    r.review_id,
                    r.decision_id,
                    r.case_id,
                    r.item_id,
                    r.provider,
                    r.party,
                    r.person,
                    r.consulted_colleague,
                    justification,
                    informed,
                    r.created_at,
                )
            )
        return out

    def erase_case(self, case_id: str) -> None:
        self._s.execute(
            update(reviews)
            .where(reviews.c.case_id == case_id)
            .values(justification_sealed=None, client_informed_sealed=None)
        )
