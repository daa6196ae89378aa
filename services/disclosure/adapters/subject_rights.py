"""The subject-request and data-breach registers (Bijlage 3; GDPR art. 33(5))."""

from __future__ import annotations

import json
from datetime import datetime

from cryptography.exceptions import InvalidTag
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import breaches, subject_requests
from services.disclosure.domain.subject_rights import Breach, SubjectRequest
from zorgtafel.kernel.crypto import KeyRing, new_data_key, open_sealed, seal
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)

_requests = subject_requests


def _request(row) -> SubjectRequest:
    return SubjectRequest(
        subject_request_id=row.subject_request_id,
        kind=row.kind,
        subject_pseudonym=row.subject_pseudonym,
        case_id=row.case_id,
        item_id=row.item_id,
        document_ref=row.document_ref,
        submitted_by_party=row.submitted_by_party,
        submitted_at=row.submitted_at,
        outcome=row.outcome,
        refusal_ground=row.refusal_ground,
        reason=row.reason,
        decided_by_party=row.decided_by_party,
        decided_by_person=row.decided_by_person,
        decided_at=row.decided_at,
        controller=row.controller,
    )


class SubjectRequestRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, request: SubjectRequest) -> None:
        self._s.execute(
            insert(_requests).values(
                subject_request_id=request.subject_request_id,
                kind=request.kind,
                subject_pseudonym=request.subject_pseudonym,
                case_id=request.case_id,
                item_id=request.item_id,
                document_ref=request.document_ref,
                submitted_by_party=request.submitted_by_party,
                submitted_at=request.submitted_at,
                controller=request.controller,
            )
        )

    def find(self, subject_request_id: str) -> SubjectRequest | None:
        row = self._s.execute(
            select(_requests).where(_requests.c.subject_request_id == subject_request_id)
        ).first()
        return _request(row) if row else None

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
    ) -> None:
        self._s.execute(
            update(_requests)
            .where(_requests.c.subject_request_id == subject_request_id)
            .values(
                outcome=outcome,
                refusal_ground=refusal_ground,
                reason=reason,
                decided_by_party=party,
                decided_by_person=person,
                decided_at=now,
            )
        )

    def of_subject(self, subject_pseudonym: str = "") -> list[SubjectRequest]:
        """The requests of one subject, or every request when no pseudonym is given."""
        q = select(_requests).order_by(_requests.c.submitted_at)
        if subject_pseudonym:
            q = q.where(_requests.c.subject_pseudonym == subject_pseudonym)
        return [_request(r) for r in self._s.execute(q).all()]


# What a text reads when its ciphertext does not open under its breach and field (moved from
# another row or field, or damaged): never the text, and the rest of the register still shows.
UNREADABLE = "[unreadable]"
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
        if self._keyring is None:
            raise Unavailable(
                "encryption keys are not configured: the breach register is neither stored "
                "nor shown (fail closed)"
            )
        return self._keyring

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
        key = self._ring().unwrap(row.wrapped_key)
        texts = {}
        for field in BREACH_TEXTS:
            try:
                texts[field] = open_sealed(
                    key, getattr(row, f"{field}_sealed"), self._associated(row.breach_id, field)
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
        """Every breach, its texts unsealed."""
        return [
            self._breach(r)
            for r in self._s.execute(select(breaches).order_by(breaches.c.recorded_at)).all()
        ]
