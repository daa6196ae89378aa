"""What callers ask of disclosure, as plain data (the servicer builds these from protos; the
handlers validate and carry them out). Enum values are the domain's lower-case names, ""
when the caller left them unspecified."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping

from services.disclosure.domain.items import Terms
from services.disclosure.domain.notices import INFORMED, ClientInformed
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint


# -- items (art. 16.2) -------------------------------------------------------------------------
@dataclass(frozen=True)
class Provide:
    case_id: str
    category: str
    classification: str
    legal_basis: str
    content_type: str
    content: bytes
    terms: Terms
    field_summaries: Mapping[str, str] = field(default_factory=dict)
    # The provider's corrected version of one of its items (Bijlage 3, GDPR art. 16): the old
    # one is never released again.
    supersedes: str = ""


@dataclass(frozen=True)
class SetUsageTerms:
    item_id: str
    terms: Terms


@dataclass(frozen=True)
class Retract:
    item_id: str


# -- consents ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordSubjectConsent:
    case_id: str
    given_by: str
    scope: tuple[str, ...]
    document_ref: str
    given_at: datetime | None = None


@dataclass(frozen=True)
class RecordProviderConsent:
    """Art. 9.2: the provider's prior written consent to release an item to a third party."""

    item_id: str
    third_party: str
    document_ref: str
    given_at: datetime | None = None


@dataclass(frozen=True)
class WithdrawConsent:
    """Bijlage 3 (GDPR art. 7(3)): a consent is withdrawn; from then on no release rests on it."""

    consent_id: str
    document_ref: str
    withdrawn_at: datetime | None = None  # when it was withdrawn; default: now


# -- disclosure ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class BreakGlass:
    """The safety override's account (Bijlage 3): why, who was consulted, what the client
    was told. Free text: kept sealed for the review, never in logs or events."""

    justification: str
    consulted_colleague: str
    client_informed: str = ""
    # informed | not_yet ("" when the caller left it unspecified: refused); not yet needs the
    # date by which the client will be informed.
    client_informed_status: str = ""
    client_to_be_informed_by: date | None = None

    def informed_record(self, now: datetime) -> str:
        """What the review seals of the client's informing (``domain/notices.py``)."""
        informed = self.client_informed_status == INFORMED
        return (
            ClientInformed(
                status=self.client_informed_status,
                text=self.client_informed,
                to_be_informed_by=self.client_to_be_informed_by,
                informed_at=now if informed else None,
            )
            .to_sealed()
            .decode()
        )

    def as_facts(self) -> dict[str, str]:
        return {
            "justification": self.justification,
            "consulted_colleague": self.consulted_colleague,
            "client_informed": self.client_informed,
        }


@dataclass(frozen=True)
class RequestDisclosure:
    """Items by id, or every item of a case (optionally of one category)."""

    action: str
    purpose: str
    item_ids: tuple[str, ...] = ()
    case_id: str = ""
    category: str = ""
    third_party: str = ""
    break_glass: BreakGlass | None = None
    trace_id: str = ""
    span_id: str = ""
    # The caller's request id and the digest of (method, person, request): a repeat is decided
    # again (never answered from an earlier decision), a colleague's replay is refused.
    request_id: str = ""
    request_digest: str = ""


# -- reviews and the access log ------------------------------------------------------------------
@dataclass(frozen=True)
class ListReviews:
    case_id: str = ""
    # The page: at most ``limit`` reviews after the sort key ``after`` (created at, review id)
    # of the previous page's last (the servicer asks one more than it shows).
    after: tuple[datetime, str] | None = None
    limit: int = 501


@dataclass(frozen=True)
class QueryAccessLog:
    by: str  # subject_pseudonym | provider | party | decision_id
    value: str
    limit: int = 0  # 0: no cap; else at most this many records over all the pages
    include_proof: bool = False  # each record's inclusion proof
    # The page asked for (``kernel.paging.Window``'s fields; a size of 0: the largest page).
    page_offset: int = 0
    page_size: int = 0
    page_digest: str = ""
    page_after: tuple[str, ...] | None = None


@dataclass(frozen=True)
class VerifyLog:
    # Checkpoints held outside the database (published, kept by governance).
    trusted: tuple[Checkpoint, ...] = ()


@dataclass(frozen=True)
class ListOverrideNotices:
    """The safety overrides on the items ``provider`` provided (art. 16.2, Bijlage 3)."""

    provider: str = ""  # "": the caller's party


@dataclass(frozen=True)
class ListInformingTasks:
    """The overrides of ``party`` whose client is not yet informed (Bijlage 3)."""

    party: str = ""  # "": the caller's party


@dataclass(frozen=True)
class RecordClientInformed:
    decision_id: str
    how: str
    informed_at: datetime | None = None  # default: now


# -- subject rights ------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubjectAccessReport:
    subject_pseudonym: str


@dataclass(frozen=True)
class SubmitSubjectRequest:
    kind: str
    subject_pseudonym: str
    document_ref: str
    case_id: str = ""
    item_id: str = ""
    controller: str = ""  # the party addressed (Bijlage 3); default: item provider or submitter


@dataclass(frozen=True)
class DecideSubjectRequest:
    subject_request_id: str
    outcome: str
    refusal_ground: str = ""
    reason: str = ""


@dataclass(frozen=True)
class ListSubjectRequests:
    subject_pseudonym: str = ""
    kind: str = ""  # "": every kind
    overdue_only: bool = False  # only those past their month (GDPR art. 12(3))
    # The page: at most ``limit`` requests after the sort key ``after`` (submitted at, request
    # id) of the previous page's last (the servicer asks one more than it shows).
    after: tuple[datetime, str] | None = None
    limit: int = 501


@dataclass(frozen=True)
class ListCorrectionNotices:
    """The granted corrections of the items ``provider`` provided (art. 16.2, Bijlage 3)."""

    provider: str = ""  # "": the caller's party
    # The page: at most ``limit`` notices after the sort key ``after`` (decided at, request id)
    # of the previous page's last, newest first (the servicer asks one more than it shows).
    after: tuple[datetime, str] | None = None
    limit: int = 501


# -- registers -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RecordBreach:
    detected_at: datetime | None
    nature: str
    data_categories: tuple[str, ...] = ()
    subjects_affected: int = 0
    case_ids: tuple[str, ...] = ()
    consequences: str = ""
    measures: str = ""
    reported_to_authority: bool = False
    reported_at: datetime | None = None
    subjects_informed: bool = False


@dataclass(frozen=True)
class ListBreaches:
    """A page of the caller's party's own breaches, oldest first."""

    # The page: at most ``limit`` breaches after the sort key ``after`` (recorded at, breach
    # id) of the previous page's last (the servicer asks one more than it shows).
    after: tuple[datetime, str] | None = None
    limit: int = 501


@dataclass(frozen=True)
class ListProcessingActivities:
    # The page: ``limit`` entries from ``offset`` (the servicer asks one more than it shows).
    offset: int = 0
    limit: int = 501


@dataclass(frozen=True)
class ExportRegister:
    register: str  # processing | breaches ("" when unspecified)


# -- attempts the authz policy refused (NEN 7513: attempts count) --------------------------------
@dataclass(frozen=True)
class RecordRefusal:
    """A call refused before any handler ran, as the access log keeps it. The request's ids
    are the caller's, unchecked: the handler keeps only well-formed ones."""

    action: str  # read | break_glass
    purpose: str
    item_ids: tuple[str, ...]
    decision_id: str
    reasons: tuple[str, ...]
    policy_revision: str
    trace_id: str = ""
    span_id: str = ""
