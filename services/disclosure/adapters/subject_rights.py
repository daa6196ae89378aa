"""The subject-request and data-breach registers (Bijlage 3; GDPR art. 33(5))."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from cryptography.exceptions import InvalidTag
from sqlalchemy import Exists, Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.case_facts import restricted_under_lock
from services.disclosure.adapters.orm import breaches, case_facts, items, subject_requests
from services.disclosure.domain.subject_rights import Breach, CorrectionNotice, SubjectRequest
from zorgtafel.kernel.crypto import KeyRing, new_data_key, opener, required_ring, seal
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)

_requests = subject_requests

# What a text reads when its ciphertext does not open under its record and field (moved from
# another row or field, or damaged): never the text, and the rest of the register still shows.
UNREADABLE = "[unreadable]"
# The subject request's free texts: the subject's document reference and the privacy officer's
# reasoning, both about the subject.
REQUEST_TEXTS = ("document_ref", "reason")


def _associated(record_id: str, field: str) -> bytes:
    # Frozen: the migration that sealed the earlier requests (e5a90c3b7d12) binds the same way,
    # as BreachRepository binds a breach's texts.
    return f"{record_id}:{field}".encode()


def _decided_by(cutoff: datetime) -> Select:
    """The requests decided at or before ``cutoff``, with what retention reads of each
    (``SubjectRequestRepository._grounds_a_restriction``): never a text."""
    r = _requests.c
    return select(
        r.subject_request_id,
        r.kind,
        r.outcome,
        r.subject_pseudonym,
        r.case_id,
        r.item_id,
        r.decided_at,
        r.document_ref_sealed.is_(None).label("unlinked"),
    ).where(r.decided_at.is_not(None), r.decided_at <= cutoff)


def _of_a_restricted_case() -> Exists:
    """A request about a case the subject's restriction holds (of the case or, as
    ``carry_out`` restricts each case, of everything of the subject): while it lasts what is
    held about the case may only be stored (GDPR art. 18(2)), the controller's account of the
    case's requests included; its period counted from its decision as before."""
    f = case_facts.c
    return (
        select(f.case_id)
        .where(f.case_id == _requests.c.case_id, f.restricted_at.is_not(None))
        .exists()
    )


def _of_a_restricted_item() -> Exists:
    """A request about an item the subject's restriction of that item holds (of the item
    only; a case's lifting ends it too): held back as a restricted case's requests are
    (``_of_a_restricted_case``), its period counted from its decision as before."""
    i = items.c
    return (
        select(i.item_id)
        .where(i.item_id == _requests.c.item_id, i.restricted_at.is_not(None))
        .exists()
    )


class SubjectRequestRepository:
    """The subject requests. Their free texts (``document_ref``, ``reason``) are sealed
    (AES-GCM) under a data key of the request's own, stored wrapped by the service key ring,
    each bound to its request and field (associated data), so a ciphertext moved to another
    row or field does not open; without a key ring no request is stored or shown: UNAVAILABLE
    (fail closed). What reads no text (retention, the unlinking at a purge, the providers'
    correction notices) works without it.

    Not under the case key, though a request usually names a case: a granted case-level
    erasure destroys the case key (``subject_effects.erase_case``) before the decision's
    reason is written, and the request must stay readable afterwards as the controller's
    account of how it was handled (GDPR art. 5(2)), on its own retention clock; a request about
    everything of a subject has no case at all. At a purge the texts are removed outright
    (``unlink_case``), which a destroyed case key would only have made unreadable."""

    def __init__(self, session: Session, keyring: KeyRing | None) -> None:
        self._s = session
        self._keyring = keyring

    def _ring(self) -> KeyRing:
        return required_ring(self._keyring, "subject requests are neither stored nor shown")

    @staticmethod
    def _sealed(key: bytes, subject_request_id: str, field: str, text: str | None):
        if text is None:
            return None
        return seal(key, text.encode(), _associated(subject_request_id, field))

    def _texts(self, row) -> dict[str, str | None]:
        # A key the ring cannot unwrap is UNAVAILABLE (KeyRing.unwrap): a key missing from the
        # ring is an operator's matter, retried once it is back.
        open_ = opener(self._ring().unwrap(row.wrapped_key))
        texts: dict[str, str | None] = {}
        for field in REQUEST_TEXTS:
            sealed = getattr(row, f"{field}_sealed")
            if sealed is None:
                texts[field] = None
                continue
            try:
                texts[field] = open_(
                    bytes(sealed), _associated(row.subject_request_id, field)
                ).decode()
            except InvalidTag:
                log.warning(
                    "subject_request_text_unreadable",
                    subject_request_id=row.subject_request_id,
                    field=field,
                )
                texts[field] = UNREADABLE
        return texts

    def _request(self, row) -> SubjectRequest:
        texts = self._texts(row)
        return SubjectRequest(
            subject_request_id=row.subject_request_id,
            kind=row.kind,
            subject_pseudonym=row.subject_pseudonym,
            case_id=row.case_id,
            item_id=row.item_id,
            # Gone with the case's purge (``unlink_case``): empty, as it was stored before.
            document_ref=texts["document_ref"] or "",
            submitted_by_party=row.submitted_by_party,
            submitted_at=row.submitted_at,
            outcome=row.outcome,
            refusal_ground=row.refusal_ground,
            reason=texts["reason"],
            decided_by_party=row.decided_by_party,
            decided_by_person=row.decided_by_person,
            decided_at=row.decided_at,
            controller=row.controller,
            due_at=row.due_at,
            # Unlinked at its case's purge: the document reference goes then and only then
            # (every request stores one, an empty one too), as ``_grounds_a_restriction`` tells.
            case_purged=row.case_id is None
            and row.item_id is None
            and row.document_ref_sealed is None,
        ).with_due()

    def add(self, request: SubjectRequest) -> None:
        key = new_data_key()
        wrapped = self._ring().wrap(key)
        ref = request.subject_request_id
        self._s.execute(
            insert(_requests).values(
                subject_request_id=ref,
                kind=request.kind,
                subject_pseudonym=request.subject_pseudonym,
                case_id=request.case_id,
                item_id=request.item_id,
                wrapped_key=wrapped,
                document_ref_sealed=self._sealed(key, ref, "document_ref", request.document_ref),
                submitted_by_party=request.submitted_by_party,
                submitted_at=request.submitted_at,
                # Never NULL: a list pages by controller in SQL (older rows: the migration).
                controller=request.controller or request.submitted_by_party,
                due_at=request.due(),
            )
        )

    def find(self, subject_request_id: str) -> SubjectRequest | None:
        row = self._s.execute(
            select(_requests).where(_requests.c.subject_request_id == subject_request_id)
        ).first()
        return self._request(row) if row else None

    def decide(
        self,
        subject_request_id: str,
        *,
        outcome: str,
        refusal_ground: str | None,
        reason: str,
        party: str,
        person: str,
        now: datetime,
    ) -> bool:
        """Store the decision of a request still undecided; False when there is none: no such
        request, or one decided meanwhile (two officers at once: the second's UPDATE waits for
        the first's row lock, then finds it decided), so the caller refuses and its
        transaction, with whatever effect it carried out, is rolled back."""
        ring = self._ring()  # before anything: without keys no decision is stored
        wrapped = self._s.execute(
            select(_requests.c.wrapped_key).where(
                _requests.c.subject_request_id == subject_request_id
            )
        ).scalar_one_or_none()
        if wrapped is None:
            return False  # no such request: nothing to update
        key = ring.unwrap(wrapped)
        stored = self._s.execute(
            update(_requests)
            .where(
                _requests.c.subject_request_id == subject_request_id,
                _requests.c.outcome.is_(None),
            )
            .values(
                outcome=outcome,
                refusal_ground=refusal_ground,
                reason_sealed=self._sealed(key, subject_request_id, "reason", reason),
                decided_by_party=party,
                decided_by_person=person,
                decided_at=now,
            )
        )
        return stored.rowcount == 1

    def decided_before(self, cutoff: datetime) -> list[str]:
        """Decided requests whose decision is at or before ``cutoff`` (the retention
        scheduler's question, kind ``subject_request``), but none about a case or an item
        restricted now (``_of_a_restricted_case``, ``_of_a_restricted_item``), and except a
        granted restriction of a case
        not purged that no granted lifting decided after it has ended
        (``_grounds_a_restriction``): it is the ground of a restriction still in force (GDPR
        art. 18) and stays as long as the restriction does."""
        r = _requests.c
        rows = self._s.execute(
            _decided_by(cutoff)
            .where(~_of_a_restricted_case(), ~_of_a_restricted_item())
            .order_by(r.decided_at, r.subject_request_id)
        ).all()
        return [row.subject_request_id for row in rows if not self._grounds_a_restriction(row)]

    def _grounds_a_restriction(self, row) -> bool:
        """Whether ``row`` is a granted restriction still in force: of a case not purged, and
        no granted lifting of its scope (its subject and case; of its item, or of the item's
        whole case; or of everything of the subject) was decided after it; of everything of
        the subject, while a case of it is restricted by it (``_restricts_a_case``). Decisions about one
        case are stamped in the order they are carried out (under its row lock), so a
        restriction granted again after a lifting is in force, and its request is the record
        of why (GDPR art. 18); of two at one time the restriction holds, as it does
        everywhere."""
        if row.kind != "restriction" or row.outcome != "granted":
            return False
        r = _requests.c
        # A subject-wide request has no case; nor has a case's or item's request once the case
        # is purged (``unlink_case``), which was about that case only: it is told by its
        # document reference, removed then and only then (every request stores one, sealed,
        # an empty one too).
        subject_wide = and_(
            r.case_id.is_(None), r.item_id.is_(None), r.document_ref_sealed.is_not(None)
        )
        if row.case_id is None:
            if row.unlinked:
                return False  # its case is purged: nothing of it is left to restrict
            return self._restricts_a_case(row)
        else:
            # A lifting of the case ends its items' restrictions too, and a subject-wide one
            # every case's and item's of the subject its controller nominated
            # (``subject_effects.controlled_cases``): not those of a case another party
            # nominated (a case whose facts are gone is read as before).
            f = case_facts.c
            nominated_by_another = (
                select(f.case_id)
                .where(
                    f.case_id == row.case_id,
                    f.nominating_party.is_not(None),
                    f.nominating_party != func.coalesce(r.controller, r.submitted_by_party),
                )
                .exists()
            )
            of_its_scope = or_(
                and_(
                    r.case_id == row.case_id,
                    r.item_id.is_(None)
                    if row.item_id is None
                    else or_(r.item_id.is_(None), r.item_id == row.item_id),
                ),
                and_(subject_wide, ~nominated_by_another),
            )
        lifted = self._s.execute(
            select(r.subject_request_id).where(
                r.kind == "lift_restriction",
                r.outcome == "granted",
                r.decided_at > row.decided_at,
                r.subject_pseudonym == row.subject_pseudonym,
                of_its_scope,
            )
        ).first()
        return lifted is None

    def _restricts_a_case(self, row) -> bool:
        """Whether a granted restriction of everything held of the subject is still in force:
        a case of the subject is restricted by it, or by a decision before it. ``carry_out``
        restricts each case at the request's decision time, and any later decision about the
        case (its lifting, a subject-wide one, a new restriction, which is a ground of its
        own) moves that time on or clears it; a purged case is gone. So once each of its
        cases was lifted on its own, or purged, nothing is restricted by it any more and it
        follows its period; never before (of a time not told apart, it is kept)."""
        f = case_facts.c
        held = self._s.execute(
            select(f.case_id).where(
                f.subject_pseudonym == row.subject_pseudonym,
                f.restricted_at.is_not(None),
                f.restricted_at <= row.decided_at,
            )
        ).first()
        return held is not None

    def delete_decided(self, subject_request_id: str, cutoff: datetime) -> bool:
        """Delete one decided request past its period; False when it is gone, not due or
        about a restricted case (``_of_a_restricted_case``) or item: the item's row is read
        under its lock, the one a grant or lifting of its restriction takes
        (``restriction_decided``), so a restriction granted meanwhile is seen here."""
        r = _requests.c
        row = self._s.execute(
            _decided_by(cutoff)
            .where(r.subject_request_id == subject_request_id, ~_of_a_restricted_case())
            .with_for_update(of=_requests)
        ).first()
        if row is None or self._grounds_a_restriction(row):
            return False
        if restricted_under_lock(self._s, items, "item_id", row.item_id):
            return False
        self._s.execute(delete(_requests).where(r.subject_request_id == subject_request_id))
        return True

    def unlink_case(self, case_id: str) -> None:
        """The case was purged (art. 1.2): its requests stay as the controller's account of
        how each was handled (kind, parties, dates, outcome, ground: GDPR art. 5(2)), on their
        own retention clock, but no longer name the case or the item, and the reasoning and
        the subject's document reference (free text about the subject) go."""
        self._s.execute(
            update(_requests)
            .where(_requests.c.case_id == case_id)
            .values(case_id=None, item_id=None, reason_sealed=None, document_ref_sealed=None)
        )

    def of_subject(self, subject_pseudonym: str) -> list[SubjectRequest]:
        """The requests of one subject (its access report: a handful), oldest first."""
        r = _requests.c
        q = (
            select(_requests)
            .where(r.subject_pseudonym == subject_pseudonym)
            .order_by(r.submitted_at, r.subject_request_id)
        )
        return [self._request(row) for row in self._s.execute(q).all()]

    def page(
        self,
        *,
        limit: int,
        subject_pseudonym: str = "",
        controller: str | None = None,
        kind: str = "",
        overdue_at: datetime | None = None,
        after: tuple[datetime, str] | None = None,
    ) -> list[SubjectRequest]:
        """At most ``limit`` requests, oldest first, after the sort key ``after`` (submitted at,
        request id) of the previous page's last: the filters and the page in SQL, so a page
        costs the same however many requests are held (index on controller, submitted at, id).
        ``overdue_at``: only those not answered and due before that time (GDPR art. 12(3)); every
        row holds its due time (``add``, and the migration for the older ones)."""
        r = _requests.c
        q = select(_requests)
        if subject_pseudonym:
            q = q.where(r.subject_pseudonym == subject_pseudonym)
        if controller is not None:
            q = q.where(r.controller == controller)
        if kind:
            q = q.where(r.kind == kind)
        if overdue_at is not None:
            q = q.where(r.outcome.is_(None), r.due_at < overdue_at)
        if after is not None:
            at, request_id = after
            q = q.where(
                or_(
                    r.submitted_at > at,
                    and_(r.submitted_at == at, r.subject_request_id > request_id),
                )
            )
        q = q.order_by(r.submitted_at, r.subject_request_id).limit(limit)
        return [self._request(row) for row in self._s.execute(q).all()]

    def corrections_for_provider(
        self,
        provider: str,
        *,
        limit: int,
        after: tuple[datetime, str] | None = None,
        cases: Iterable[str] | None = None,
    ) -> list[CorrectionNotice]:
        """At most ``limit`` granted corrections of items ``provider`` provided (art. 16.2: the
        provider is told, and provides the corrected version), newest decision first, after the
        sort key ``after`` (decided at, request id) of the previous page's last: the filter and
        the page in SQL, so a page costs the same however many are held (index on kind,
        outcome, decided at, id; the item by its key). A granted request always has its
        decision time (``decide`` writes both); one without is no notice (never on a page)."""
        r = _requests.c
        q = (
            select(
                r.subject_request_id,
                r.decided_at,
                items.c.item_id,
                items.c.case_id,
                items.c.superseded_by,
            )
            .join(items, items.c.item_id == r.item_id)
            .where(
                r.kind == "correction",
                r.outcome == "granted",
                r.decided_at.is_not(None),
                items.c.provider == provider,
                # An item erased with no corrected version: nothing to correct, nothing asked.
                or_(items.c.erased.is_(False), items.c.superseded_by.is_not(None)),
            )
        )
        if cases is not None:  # a worker's scope (art. 8.4c): in the statement, a page is full
            q = q.where(items.c.case_id.in_(list(cases)))
        if after is not None:
            at, request_id = after
            q = q.where(
                or_(
                    r.decided_at < at,
                    and_(r.decided_at == at, r.subject_request_id < request_id),
                )
            )
        q = q.order_by(r.decided_at.desc(), r.subject_request_id.desc()).limit(limit)
        return [
            CorrectionNotice(
                subject_request_id=row.subject_request_id,
                item_id=row.item_id,
                case_id=row.case_id,
                provider=provider,
                decided_at=row.decided_at,
                superseded_by=row.superseded_by,
            )
            for row in self._s.execute(q)
        ]


BREACH_TEXTS = ("consequences", "measures")


class BreachRepository:
    """The breach register. Its free texts (``consequences``, ``measures``) may describe
    persons, so they are sealed (AES-GCM) under a data key of the breach's own, stored wrapped
    by the service key ring: a breach spans several cases or none, so no case key fits, and a
    ring rotated by prepending a key still unwraps the older ones. Each text is bound to its
    breach and field (associated data), so a ciphertext moved to another row or field does not
    open. Without a key ring nothing is stored or shown: UNAVAILABLE (fail closed)."""

    def __init__(self, session: Session, keyring: KeyRing | None) -> None:
        self._s = session
        self._keyring = keyring

    def _ring(self) -> KeyRing:
        return required_ring(self._keyring, "the breach register is neither stored nor shown")

    @staticmethod
    def _associated(breach_id: str, field: str) -> bytes:
        # Frozen: the migration that sealed the earlier rows (7e769bfb8426) binds the same way.
        return f"{breach_id}:{field}".encode()

    def add(self, breach: Breach) -> None:
        key = new_data_key()
        wrapped = self._ring().wrap(key)
        sealed = {
            f"{field}_sealed": seal(
                key,
                getattr(breach, field).encode(),
                self._associated(breach.breach_id, field),
            )
            for field in BREACH_TEXTS
        }
        self._s.execute(
            insert(breaches).values(
                breach_id=breach.breach_id,
                detected_at=breach.detected_at,
                recorded_at=breach.recorded_at,
                recorded_by_party=breach.recorded_by_party,
                recorded_by_person=breach.recorded_by_person,
                nature=breach.nature,
                data_categories=json.dumps(list(breach.data_categories)),
                subjects_affected=breach.subjects_affected,
                case_ids=json.dumps(list(breach.case_ids)),
                wrapped_key=wrapped,
                reported_to_authority=breach.reported_to_authority,
                reported_at=breach.reported_at,
                subjects_informed=breach.subjects_informed,
                **sealed,
            )
        )

    def _texts(self, row) -> dict[str, str]:
        # A key the ring cannot unwrap is UNAVAILABLE (KeyRing.unwrap): a key missing from the
        # ring is an operator's matter, retried once it is back.
        open_ = opener(self._ring().unwrap(row.wrapped_key))
        texts = {}
        for field in BREACH_TEXTS:
            try:
                texts[field] = open_(
                    getattr(row, f"{field}_sealed"), self._associated(row.breach_id, field)
                ).decode()
            except InvalidTag:
                log.warning("breach_text_unreadable", breach_id=row.breach_id, field=field)
                texts[field] = UNREADABLE
        return texts

    def _breach(self, row) -> Breach:
        return Breach(
            breach_id=row.breach_id,
            detected_at=row.detected_at,
            recorded_at=row.recorded_at,
            recorded_by_party=row.recorded_by_party,
            recorded_by_person=row.recorded_by_person,
            nature=row.nature,
            data_categories=tuple(json.loads(row.data_categories)),
            subjects_affected=row.subjects_affected,
            case_ids=tuple(json.loads(row.case_ids)),
            reported_to_authority=bool(row.reported_to_authority),
            reported_at=row.reported_at,
            subjects_informed=bool(row.subjects_informed),
            **self._texts(row),
        )

    def all(self) -> list[Breach]:
        """Every breach of every party, its texts unsealed. No RPC reads the whole register:
        each party lists and exports its own (``page``, ``recorded_by``)."""
        return [
            self._breach(r)
            for r in self._s.execute(select(breaches).order_by(breaches.c.recorded_at)).all()
        ]

    def recorded_by(self, party: str) -> list[Breach]:
        """Every breach ``party`` recorded (its own register: the export), oldest first, its
        texts unsealed."""
        b = breaches.c
        q = (
            select(breaches)
            .where(b.recorded_by_party == party)
            .order_by(b.recorded_at, b.breach_id)
        )
        return [self._breach(row) for row in self._s.execute(q).all()]

    def page(
        self, *, recorded_by: str, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[Breach]:
        """At most ``limit`` breaches ``recorded_by`` recorded, oldest first, after the sort
        key ``after`` (recorded at, breach id) of the previous page's last: the party and the
        page in SQL (index on recorded by, recorded at, id), and only the page's texts
        unsealed, so a page costs the same however many breaches are held."""
        b = breaches.c
        q = select(breaches).where(b.recorded_by_party == recorded_by)
        if after is not None:
            at, breach_id = after
            q = q.where(or_(b.recorded_at > at, and_(b.recorded_at == at, b.breach_id > breach_id)))
        q = q.order_by(b.recorded_at, b.breach_id).limit(limit)
        return [self._breach(row) for row in self._s.execute(q).all()]
