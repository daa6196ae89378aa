"""The data subject's rights and the registers of Bijlage 3: correction and erasure requests
(refused only on the covenant's grounds, with a reason) and the data-breach register
(GDPR art. 33(5))."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from services.disclosure.domain.consents import Consent
from services.disclosure.domain.items import Item
from zorgtafel.kernel import validate

SUBJECT_REQUEST_KINDS = ("correction", "erasure")
OUTCOMES = ("granted", "refused")
REFUSAL_GROUNDS = ("required_by_law", "protection_of_client", "pending_complaint")
SUBJECT_REQUEST_PREFIX = "sr-"
MAX_REASON = 2000
MAX_BREACH_TEXT = 4000
MAX_SUBJECTS_AFFECTED = 10_000_000


def check_subject_request_id(value: str, field_name: str = "subject_request_id") -> str:
    return validate.check_prefixed_id(
        value,
        field_name,
        SUBJECT_REQUEST_PREFIX,
        "must be an id as returned by SubmitSubjectRequest",
    )


@dataclass(frozen=True)
class SubjectRequest:
    subject_request_id: str
    kind: str
    subject_pseudonym: str
    case_id: str | None
    item_id: str | None
    document_ref: str
    submitted_by_party: str
    submitted_at: datetime
    outcome: str | None = None
    refusal_ground: str | None = None
    reason: str | None = None
    decided_by_party: str | None = None
    decided_by_person: str | None = None
    decided_at: datetime | None = None
    # The controller party the request is addressed to (Bijlage 3): its privacy officer decides.
    controller: str | None = None


@dataclass(frozen=True)
class Breach:
    breach_id: str
    detected_at: datetime
    recorded_at: datetime
    recorded_by_party: str
    recorded_by_person: str
    nature: str
    data_categories: tuple[str, ...]
    subjects_affected: int
    case_ids: tuple[str, ...]
    consequences: str
    measures: str
    reported_to_authority: bool
    reported_at: datetime | None
    subjects_informed: bool

    def to_json(self) -> dict[str, Any]:
        """The breach as the register's JSON export writes it."""

        def iso(t: datetime | None) -> str | None:
            return t.astimezone(timezone.utc).isoformat() if t else None

        return {
            "breach_id": self.breach_id,
            "detected_at": iso(self.detected_at),
            "recorded_at": iso(self.recorded_at),
            "recorded_by_party": self.recorded_by_party,
            "recorded_by_person": self.recorded_by_person,
            "nature": self.nature,
            "data_categories": list(self.data_categories),
            "subjects_affected": self.subjects_affected,
            "case_ids": list(self.case_ids),
            "consequences": self.consequences,
            "measures": self.measures,
            "reported_to_authority": self.reported_to_authority,
            "reported_at": iso(self.reported_at),
            "subjects_informed": self.subjects_informed,
        }


@dataclass(frozen=True)
class AccessReport:
    """What disclosure holds about a subject (Bijlage 3, right of access): the items of their
    cases, the consents, every access-log record about them and their requests."""

    items: tuple[Item, ...]
    consents: tuple[Consent, ...]
    accesses: tuple[dict, ...]
    requests: tuple[SubjectRequest, ...]
