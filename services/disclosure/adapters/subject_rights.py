"""The subject-request and data-breach registers (Bijlage 3; GDPR art. 33(5))."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import breaches, subject_requests
from services.disclosure.domain.subject_rights import Breach, SubjectRequest

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


def _breach(row) -> Breach:
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
        consequences=row.consequences,
        measures=row.measures,
        reported_to_authority=bool(row.reported_to_authority),
        reported_at=row.reported_at,
        subjects_informed=bool(row.subjects_informed),
    )


class BreachRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, breach: Breach) -> None:
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
                consequences=breach.consequences,
                measures=breach.measures,
                reported_to_authority=breach.reported_to_authority,
                reported_at=breach.reported_at,
                subjects_informed=breach.subjects_informed,
            )
        )

    def all(self) -> list[Breach]:
        return [
            _breach(r)
            for r in self._s.execute(select(breaches).order_by(breaches.c.recorded_at)).all()
        ]
