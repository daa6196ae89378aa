"""Commands governance handles, as frozen dataclasses (servicers translate proto to these)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterParty:
    party_id: str
    name: str
    kind: str
    status: str = "active"


@dataclass(frozen=True)
class Actor:
    """Who acts: the authenticated party, the pseudonymous person and the token role."""
    party: str
    person: str
    role: str
    party_status: str = "active"


@dataclass(frozen=True)
class AssignSeat:
    seat_id: str


@dataclass(frozen=True)
class Propose:
    body: str
    kind: str
    subject_code: str
    significantly_affects: tuple = ()
    target_party: str = ""
    accession_id: str = ""
    effective_at: object = None  # datetime | None
    work_process_version: str = ""
    policy_revision: str = ""
    meeting_id: str = ""


@dataclass(frozen=True)
class CastVote:
    proposal_id: str
    seat_id: str
    choice: str


@dataclass(frozen=True)
class RecordWrittenInput:
    proposal_id: str
    party_id: str
    kind: str


@dataclass(frozen=True)
class Decide:
    proposal_id: str


@dataclass(frozen=True)
class ApplyAccession:
    party_id: str
    name: str
    kind: str


@dataclass(frozen=True)
class ApproveAccession:
    accession_id: str


@dataclass(frozen=True)
class RecordAccessionSignature:
    accession_id: str
    signed_by_organisation: bool
    signed_by_board_chair: bool
    form_reference: str


@dataclass(frozen=True)
class SignAmendment:
    amendment_id: str


@dataclass(frozen=True)
class Withdraw:
    amendment_id: str
    effective_at: object  # datetime | None
    letter_reference: str


@dataclass(frozen=True)
class RecordNoticeOfDefault:
    party_id: str
    reason_code: str


@dataclass(frozen=True)
class RegisterDispute:
    about: str
    case_id: str = ""


@dataclass(frozen=True)
class EscalateDispute:
    dispute_id: str


@dataclass(frozen=True)
class ResolveDispute:
    dispute_id: str
    resolution_code: str


@dataclass(frozen=True)
class AdoptPolicyRevision:
    proposal_id: str
    bundle: bytes


@dataclass(frozen=True)
class ScheduleMeeting:
    body: str
    scheduled_for: object  # datetime | None


@dataclass(frozen=True)
class RecordAttendance:
    meeting_id: str
    present: tuple = ()
