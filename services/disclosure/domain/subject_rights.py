"""The data subject's rights and the registers of Bijlage 3: requests for correction, erasure
and restriction ("afschermen"), objections and complaints (refused only on the covenant's
grounds, always with a reason; answered within the GDPR's month) and the data-breach register
(GDPR art. 33(5))."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Any

from services.disclosure.domain.consents import Consent
from services.disclosure.domain.items import Item
from zorgtafel.kernel import validate

# Bijlage 3 (MO Den Bosch privacy policy): access, correction, erasure, restriction
# ("afschermen") and objection or complaint to the FG. ``lift_restriction`` is the later decision
# that ends a restriction (GDPR art. 18(3)).
SUBJECT_REQUEST_KINDS = (
    "correction",
    "erasure",
    "restriction",
    "lift_restriction",
    "objection",
    "complaint",
)
# Requests with an effect on what is held; a refusal of one names a covenant ground.
EFFECT_KINDS = ("correction", "erasure", "restriction", "lift_restriction")
# Objections and complaints are answered (upheld or not) with reasons; they change nothing by
# themselves.
ANSWERED_KINDS = ("objection", "complaint")
OUTCOMES = ("granted", "refused")
# Bijlage 3: erasure or correction may be refused because the law requires keeping, to protect
# the client or the quality of care, or for a legitimate interest such as a pending complaint;
# and professional opinions are not corrected.
REFUSAL_GROUNDS = (
    "required_by_law",
    "protection_of_client",
    "pending_complaint",
    "professional_opinion",
)
# Categories that hold a professional's opinion (Bijlage 3: not corrected). A project choice,
# named here: the category code a provider gives such an item.
PROFESSIONAL_OPINION_CATEGORIES = frozenset({"professional_opinion"})
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
    # GDPR art. 12(3): answered within one month of receipt.
    due_at: datetime | None = None
    # Its case was purged (art. 1.2; ``unlink_case``): it names no case nor item any more, yet
    # was about that case (or an item of it) only, never everything of the subject.
    case_purged: bool = False

    def due(self) -> datetime:
        return self.due_at or one_month_after(self.submitted_at)

    def overdue(self, now: datetime) -> bool:
        """Not yet answered and past its month (GDPR art. 12(3))."""
        return self.outcome is None and now > self.due()

    def scope(self) -> str:
        """What the request is about: one item, one case, everything about the subject, or
        what a purge took ("purged": nothing is left of it)."""
        if self.case_purged:
            return "purged"
        return "item" if self.item_id else ("case" if self.case_id else "subject")

    def with_due(self) -> "SubjectRequest":
        return self if self.due_at else replace(self, due_at=self.due())


def one_month_after(t: datetime) -> datetime:
    """The same day next month, or that month's last day (GDPR art. 12(3): "within one month";
    a request of 31 January is due on the last day of February)."""
    year, month = (t.year + 1, 1) if t.month == 12 else (t.year, t.month + 1)
    day = min(t.day, calendar.monthrange(year, month)[1])
    return t.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class CorrectionNotice:
    """The provider is told of a granted correction of its item (art. 16.2, Bijlage 3): the
    old content is no longer released; ``superseded_by`` is its corrected version once given."""

    subject_request_id: str
    item_id: str
    case_id: str
    provider: str
    decided_at: datetime | None
    superseded_by: str | None = None

    @property
    def done(self) -> bool:
        return bool(self.superseded_by)


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
