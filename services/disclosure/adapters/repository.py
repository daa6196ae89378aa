"""The case's information in disclosure: items and safety-override reviews (consents:
``adapters/consents.py``).

Item content, field summaries and review texts are sealed here under the case's data key
(``uow.keys``, the kernel's per-case keys) with the row's id as associated data, so a
ciphertext cannot be moved to another row; destroying the case key erases them all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.case_facts import facts_of_row, restriction_decided_under_lock
from services.disclosure.adapters.orm import case_facts, case_keys, items, reviews, tables
from services.disclosure.domain.decisions import MAX_ITEMS_PER_REQUEST, CaseFacts, Review
from services.disclosure.domain.items import Item, Terms
from services.disclosure.domain.notices import (
    NOT_YET,
    STATUSES,
    UNKNOWN,
    ClientInformed,
    OverrideNotice,
)
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.errors import NotFound
from zorgtafel.kernel.roster import BESIDE_PARTY, BESIDE_PERSON, functions_beside, functions_of

ERASED = "[erased]"
UNREADABLE = "[unreadable]"
RESTRICTED = "[restricted]"


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
        restricted_at=row.restricted_at,
        superseded_at=row.superseded_at,
        superseded_by=row.superseded_by,
        supersedes=row.supersedes,
    )


@dataclass(frozen=True)
class ItemsOfCases:
    """Items with their cases as disclosure knows them (None: unknown) and their cases' keys
    as stored, wrapped by the service key ring (None: destroyed), read in one statement."""

    items: list[Item]
    cases: dict[str, CaseFacts | None]
    wrapped_keys: dict[str, bytes | None]
    # The functions the roster says the asked-for person holds (sorted, as ``Roster.functions``
    # answers), read in the same statement; None when not asked or when no row came back to
    # carry them (then read on their own).
    functions: tuple[str, ...] | None = None


_CASE = "case_"  # the label prefix of the case's columns beside the item's


def _with_cases(q: Any) -> Any:
    """``q`` (a select of items) with each item's case row and its wrapped key beside it."""
    return (
        q.add_columns(
            *(c.label(_CASE + c.name) for c in case_facts.c),
            case_keys.c.wrapped_key.label(_CASE + "wrapped_key"),
        )
        .outerjoin(case_facts, case_facts.c.case_id == items.c.case_id)
        .outerjoin(case_keys, case_keys.c.case_id == items.c.case_id)
    )


# A disclosure request's items with their cases, built once (issue #16): a statement object
# keeps its cache key, so a call neither builds nor keys it again.
_BY_IDS = select(items).where(items.c.item_id.in_(bindparam("item_ids", expanding=True)))
_OF_CASES_BY_IDS = _with_cases(_BY_IDS)
_OF_CASES_BY_IDS_OF_CASE = _with_cases(_BY_IDS.where(items.c.case_id == bindparam("case_id")))
_FUNCTIONS = "requester_functions"  # the label of the roster's functions beside the items


def _with_functions(q: Any, dialect: str) -> Any:
    """``q`` with the functions a person holds beside each row (``functions_beside``)."""
    return q.add_columns(functions_beside(tables["roster"], dialect).label(_FUNCTIONS))


@cache
def _of_cases_by_ids_with_functions(dialect: str, of_case: bool) -> Any:
    # Built once per dialect (the aggregate differs), the cache key with it.
    return _with_functions(_OF_CASES_BY_IDS_OF_CASE if of_case else _OF_CASES_BY_IDS, dialect)


def _of_cases(found: list[Item], rows: list[Any], functions_read: bool = False) -> ItemsOfCases:
    cases: dict[str, CaseFacts | None] = {}
    wrapped: dict[str, bytes | None] = {}
    functions = None
    if functions_read and rows:
        functions = tuple(functions_of(rows[0]._mapping[_FUNCTIONS]))
    for row in rows:
        m = row._mapping
        case_id = row.case_id
        if m[_CASE + "case_id"] is None:
            cases[case_id] = None
        else:
            cases[case_id] = facts_of_row(
                SimpleNamespace(**{c.name: m[_CASE + c.name] for c in case_facts.c})
            )
        wrapped[case_id] = m[_CASE + "wrapped_key"]
    return ItemsOfCases(found, cases, wrapped, functions)


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

    def get_many(self, item_ids: Iterable[str], case_id: str = "") -> list[Item]:
        """The items in the order asked for; NOT_FOUND names the first one missing. With a
        ``case_id`` only that case's items are found: another case's is missing alike."""
        wanted = list(item_ids)
        q = select(items).where(items.c.item_id.in_(wanted))
        if case_id:
            q = q.where(items.c.case_id == case_id)
        rows = self._s.execute(q).all()
        found = {r.item_id: _item(r) for r in rows}
        for item_id in wanted:
            if item_id not in found:
                raise NotFound("item", item_id)
        return [found[i] for i in dict.fromkeys(wanted)]

    def get_many_of_cases(
        self,
        item_ids: Iterable[str],
        case_id: str = "",
        functions_of: tuple[str, str] | None = None,
    ) -> ItemsOfCases:
        """As ``get_many``, with the items' cases and their wrapped keys in the same
        statement (a disclosure request's facts: one round trip for any number of items);
        ``functions_of`` (party, person): that person's functions on the roster too."""
        wanted = list(item_ids)
        params: dict[str, Any] = {"item_ids": wanted}
        if case_id:
            params["case_id"] = case_id
        if functions_of is not None:
            q = _of_cases_by_ids_with_functions(self._dialect(), bool(case_id))
            params[BESIDE_PARTY], params[BESIDE_PERSON] = functions_of
        else:
            q = _OF_CASES_BY_IDS_OF_CASE if case_id else _OF_CASES_BY_IDS
        rows = self._s.execute(q, params).all()
        found = {r.item_id: _item(r) for r in rows}
        for item_id in wanted:
            if item_id not in found:
                raise NotFound("item", item_id)
        return _of_cases([found[i] for i in dict.fromkeys(wanted)], rows, functions_of is not None)

    def of_case_with_case(
        self,
        case_id: str,
        category: str = "",
        limit: int = MAX_ITEMS_PER_REQUEST,
        functions_of: tuple[str, str] | None = None,
    ) -> ItemsOfCases:
        """As ``of_case``, with the case and its wrapped key in the same statement (and, as
        ``get_many_of_cases``, the functions of ``functions_of``)."""
        q = select(items).where(items.c.case_id == case_id)
        if category:
            q = q.where(items.c.category == category)
        q = _with_cases(q.order_by(items.c.provided_at, items.c.item_id).limit(limit))
        params: dict[str, Any] = {}
        if functions_of is not None:
            q = _with_functions(q, self._dialect())
            params[BESIDE_PARTY], params[BESIDE_PERSON] = functions_of
        rows = self._s.execute(q, params).all()
        return _of_cases([_item(r) for r in rows], rows, functions_of is not None)

    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

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
        # One statement for no case too: a subject access export costs the same whether the
        # subject has cases here or not (its time is no oracle, art. 8.4c).
        return [
            _item(r)
            for r in self._s.execute(
                select(items).where(items.c.case_id.in_(case_ids)).order_by(items.c.provided_at)
            ).all()
        ]

    def providers_of_cases(self, case_ids: list[str]) -> list[tuple[str, str]]:
        """(case id, provider) of the cases' items, distinct: who answers for them, read
        without the items (one statement for no case too, as ``of_cases``)."""
        c = items.c
        q = select(c.case_id, c.provider).where(c.case_id.in_(case_ids)).distinct()
        return [(r.case_id, r.provider) for r in self._s.execute(q).all()]

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
                supersedes=item.supersedes,
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

    def erase_case_content(self, case_id: str, now: datetime) -> list[str]:
        """The subject's erasure of a case (Bijlage 3): every item's ciphertexts go (the case
        key is destroyed as well, by the caller); the records stay for the access log's sake.
        Returns the ids of the items erased."""
        ids = [
            r.item_id
            for r in self._s.execute(select(items.c.item_id).where(items.c.case_id == case_id))
        ]
        self._s.execute(
            update(items)
            .where(items.c.case_id == case_id)
            .values(content_sealed=None, summaries_sealed=None, erased=True, updated_at=now)
        )
        return ids

    def lock_of_cases(self, case_ids: Iterable[str]) -> None:
        """Lock the items' rows of these cases until the transaction ends (PostgreSQL), in item
        id order, after the cases' rows (``CaseFactsRepository.lock``), as a lifting of a
        case's restriction takes them (``restriction_decided``): writers of one case's items
        then wait for each other instead of deadlocking."""
        wanted = sorted(set(case_ids))
        if wanted:
            c = items.c
            self._s.execute(
                select(c.item_id).where(c.case_id.in_(wanted)).order_by(c.item_id).with_for_update()
            ).all()

    def restriction_decided(self, item_ids: Iterable[str], now: datetime) -> datetime:
        """The decision time of a restriction of these items, or of its lifting (the items'
        own, or their case's), recorded ``now``: after each item's previous one, read under
        the rows' locks (taken in item id order, held until the transaction ends), so
        decisions about one item are stamped in the order they are carried out, whatever the
        clock of the replica that decides (``next_decision_time``), as a case's are
        (``CaseFactsRepository.restriction_decided``; GDPR art. 18)."""
        return restriction_decided_under_lock(self._s, items, "item_id", item_ids, now)

    def set_restricted(self, item_ids: Iterable[str], at: datetime | None, now: datetime) -> None:
        """Restrict (``at``) or lift the restriction (None) of items (GDPR art. 18), as decided
        at ``now`` (``restriction_decided``, whose row locks the caller holds)."""
        wanted = list(item_ids)
        if wanted:
            self._s.execute(
                update(items)
                .where(items.c.item_id.in_(wanted))
                .values(restricted_at=at, restriction_changed_at=now, updated_at=now)
            )

    def mark_superseded(self, item_id: str, now: datetime, by: str | None = None) -> None:
        """A granted correction: the old content is never released again (``superseded_at``,
        kept from the first time); ``by`` names the corrected version once the provider gave
        it."""
        values: dict = {"updated_at": now}
        if by is not None:
            values["superseded_by"] = by
        self._s.execute(update(items).where(items.c.item_id == item_id).values(**values))
        self._s.execute(
            update(items)
            .where(items.c.item_id == item_id, items.c.superseded_at.is_(None))
            .values(superseded_at=now)
        )

    def restricted_of_case(self, case_id: str) -> list[str]:
        """The ids of the case's items restricted on their own now (GDPR art. 18)."""
        c = items.c
        q = select(c.item_id).where(c.case_id == case_id, c.restricted_at.is_not(None))
        return list(self._s.scalars(q.order_by(c.item_id)))

    def delete_case(self, case_id: str, keep: Iterable[str] = ()) -> None:
        """Delete the case's items, but those of ``keep`` (a restriction holds them)."""
        c, kept = items.c, list(keep)
        q = delete(items).where(c.case_id == case_id)
        self._s.execute(q.where(c.item_id.not_in(kept)) if kept else q)


def _status_column(informed: ClientInformed) -> str | None:
    """The reviews' status column for a sealed record: its status, or NULL when unknown."""
    return informed.status if informed.status in STATUSES else None


def _newest_first(q, after: tuple[datetime, str] | None, limit: int):
    """``q`` over the reviews, newest first, after the sort key ``after`` (created at, review
    id) of the previous page's last row: the notices' and the informing tasks' keyset."""
    c = reviews.c
    if after is not None:
        at, review_id = after
        q = q.where(or_(c.created_at < at, and_(c.created_at == at, c.review_id < review_id)))
    return q.order_by(c.created_at.desc(), c.review_id.desc()).limit(limit)


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
                client_informed_status=_status_column(
                    ClientInformed.from_sealed(review.client_informed.encode())
                ),
                created_at=review.created_at,
            )
        )

    def under_review(self, case_id: str) -> list[Review]:
        """Every review of one case (a subject's report), its texts readable while the case
        key exists."""
        q = (
            select(reviews)
            .where(reviews.c.case_id == case_id)
            .order_by(reviews.c.created_at, reviews.c.review_id)
        )
        return self._reviews(self._s.execute(q).all())

    def under_review_of(self, case_ids: list[str]) -> list[Review]:
        """Every review of the cases (a subject's report), in one statement for any number of
        cases, none included."""
        q = (
            select(reviews)
            .where(reviews.c.case_id.in_(case_ids))
            .order_by(reviews.c.case_id, reviews.c.created_at, reviews.c.review_id)
        )
        return self._reviews(self._s.execute(q).all())

    def parties_of_case(self, case_id: str) -> set[str]:
        """The parties one case's reviews concern (providers and overriding parties): one
        statement, without opening a text."""
        rows = self._s.execute(
            select(reviews.c.provider, reviews.c.party)
            .where(reviews.c.case_id == case_id)
            .distinct()
        ).all()
        return {p for row in rows for p in row}

    def page(
        self,
        *,
        limit: int,
        case_id: str = "",
        party: str | None = None,
        after: tuple[datetime, str] | None = None,
        withhold_restricted: bool = False,
    ) -> list[Review]:
        """At most ``limit`` reviews (of one case; concerning ``party`` as provider or as the
        overriding party), oldest first, after the sort key ``after`` (created at, review id):
        filters and page in SQL, the case keys of the page in one statement, only the page's
        texts opened. With ``withhold_restricted`` the texts of a review whose case or item a
        restriction holds are not opened (GDPR art. 18(2)): read in the same statement."""
        c = reviews.c
        q = select(reviews)
        if withhold_restricted:
            held = or_(
                exists().where(
                    case_facts.c.case_id == c.case_id, case_facts.c.restricted_at.is_not(None)
                ),
                exists().where(items.c.item_id == c.item_id, items.c.restricted_at.is_not(None)),
            )
            q = select(reviews, held.label("held"))
        if case_id:
            q = q.where(c.case_id == case_id)
        if party is not None:
            q = q.where(or_(c.provider == party, c.party == party))
        if after is not None:
            at, review_id = after
            q = q.where(or_(c.created_at > at, and_(c.created_at == at, c.review_id > review_id)))
        q = q.order_by(c.created_at, c.review_id).limit(limit)
        return self._reviews(self._s.execute(q).all())

    def _reviews(self, rows) -> list[Review]:
        # One AES-GCM context per case key of the page (CaseKeys.opener), for this page only.
        openers = {
            case_id: self._keys.opener(key)
            for case_id, key in self._keys.find_many(self._s, (r.case_id for r in rows)).items()
            if key is not None
        }
        out = []
        for r in rows:
            open_ = openers.get(r.case_id)
            justification = informed = ERASED
            if getattr(r, "held", False):
                justification = informed = RESTRICTED
            elif open_ is not None and r.justification_sealed is not None:
                try:
                    justification = open_(r.justification_sealed, r.review_id).decode()
                    informed = ClientInformed.from_sealed(
                        open_(r.client_informed_sealed, r.review_id + ":informed")
                    ).review_text()
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

    # -- the client in view (Bijlage 3) and the provider's notices (art. 16.2) ---------------
    def _client_informed(self, row, keys: dict[str, bytes | None]) -> ClientInformed | None:
        """The sealed record of the client's informing; None once the case key is gone or the
        ciphertext is damaged (a notice then says the status is no longer known)."""
        if row.client_informed_sealed is None:
            return None
        if row.case_id not in keys:  # a row of a case not fetched with its page
            keys[row.case_id] = self._keys.find(self._s, row.case_id)
        key = keys[row.case_id]
        if key is None:
            return None
        try:
            raw = self._keys.open(key, row.client_informed_sealed, row.review_id + ":informed")
            return ClientInformed.from_sealed(raw)
        except Exception:  # noqa: BLE001 - a damaged ciphertext is reported as unknown
            return None

    @staticmethod
    def _notice(row, informed: ClientInformed | None) -> OverrideNotice:
        return OverrideNotice(
            review_id=row.review_id,
            decision_id=row.decision_id,
            case_id=row.case_id,
            item_id=row.item_id,
            provider=row.provider,
            party=row.party,
            person=row.person,
            overridden_at=row.created_at,
            status=informed.status if informed else UNKNOWN,
            to_be_informed_by=informed.to_be_informed_by if informed else None,
            informed_at=informed.informed_at if informed else None,
        )

    def notices_for_provider(
        self,
        provider: str,
        limit: int,
        after: tuple[datetime, str] | None = None,
        *,
        cases: Iterable[str] | None = None,
    ) -> list[OverrideNotice]:
        """The overrides on ``provider``'s items, newest first, paged by key (the created time
        and review id of the previous page's last notice); only of ``cases`` when given (a
        worker's scope, art. 8.4c), applied in the statement so a page is full."""
        q = select(reviews).where(reviews.c.provider == provider)
        if cases is not None:
            q = q.where(reviews.c.case_id.in_(list(cases)))
        q = _newest_first(q, after, limit)
        return self._notices(self._s.execute(q).all())

    def informing_tasks(
        self,
        party: str,
        limit: int,
        after: tuple[datetime, str] | None = None,
        *,
        cases: Iterable[str] | None = None,
    ) -> list[OverrideNotice]:
        """At most ``limit`` overrides ``party``'s people made whose client is not yet
        informed, newest first, after the sort key ``after`` (created at, review id): filtered
        and paged in SQL by the status column, only the page's records opened. The sealed
        record decides: a row the column does not know (sealed before it) is opened and kept
        only if it says not yet, so such rows cost a further page, never a wrong answer. Only
        of ``cases`` when given (a worker's scope, art. 8.4c), in the statement too."""
        c = reviews.c
        scope = [] if cases is None else [c.case_id.in_(list(cases))]
        out: list[OverrideNotice] = []
        while True:
            q = select(reviews).where(
                c.party == party,
                c.client_informed_sealed.is_not(None),
                or_(c.client_informed_status == NOT_YET, c.client_informed_status.is_(None)),
                *scope,
            )
            rows = self._s.execute(_newest_first(q, after, limit)).all()
            out += [n for n in self._notices(rows) if n.status == NOT_YET]
            if len(out) >= limit or len(rows) < limit:
                return out[:limit]
            after = (rows[-1].created_at, rows[-1].review_id)

    def _notices(self, rows) -> list[OverrideNotice]:
        # The case keys of every row in one statement, not one per case.
        keys = self._keys.find_many(self._s, (r.case_id for r in rows))
        return [self._notice(r, self._client_informed(r, keys)) for r in rows]

    def override_of_decision(
        self, decision_id: str
    ) -> list[tuple[OverrideNotice, ClientInformed | None]]:
        """The reviews of the override (one BreakGlass call: same case, party, person and time)
        that made decision ``decision_id``; empty when no review has that decision."""
        first = self._s.execute(select(reviews).where(reviews.c.decision_id == decision_id)).first()
        if first is None:
            return []
        rows = self._s.execute(
            select(reviews)
            .where(
                reviews.c.case_id == first.case_id,
                reviews.c.party == first.party,
                reviews.c.person == first.person,
                reviews.c.created_at == first.created_at,
            )
            .order_by(reviews.c.review_id)
        ).all()
        keys: dict[str, bytes | None] = {}
        out = []
        for r in rows:
            informed = self._client_informed(r, keys)
            out.append((self._notice(r, informed), informed))
        return out

    def set_client_informed(self, notice: OverrideNotice, informed: ClientInformed) -> None:
        key = self._keys.get(self._s, notice.case_id)
        self._s.execute(
            update(reviews)
            .where(reviews.c.review_id == notice.review_id)
            .values(
                client_informed_sealed=self._keys.seal(
                    key, informed.to_sealed(), notice.review_id + ":informed"
                ),
                client_informed_status=_status_column(informed),
            )
        )

    def erase_case(self, case_id: str) -> None:
        self._s.execute(
            update(reviews)
            .where(reviews.c.case_id == case_id)
            .values(
                justification_sealed=None, client_informed_sealed=None, client_informed_status=None
            )
        )
