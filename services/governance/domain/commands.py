"""Commands governance handles, as frozen dataclasses: the servicer translates each request to
one (enums to the domain's, timestamps to aware datetimes); the handler checks the rest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.governance.domain.bodies import Body
from services.governance.domain.decisions import InputKind, ProposalKind, VoteChoice
from services.governance.domain.disputes import DisputeAbout
from services.governance.domain.parties import PartyKind


@dataclass(frozen=True)
class RegisterParty:
    """A party of the covenant as shipped (seeding); kind and status as the seed names them."""

    party_id: str
    name: str
    kind: str
    status: str = "active"


@dataclass(frozen=True)
class AssignSeat:
    """The seat's appointing authority names its holder (art. 4.3, 6.3, 6.4, 11.2)."""

    seat_id: str
    holder_person: str = ""
    holder_party: str = ""  # empty: the party the seat belongs to


@dataclass(frozen=True)
class ReleaseSeat:
    seat_id: str


@dataclass(frozen=True)
class DesignateProcessDirector:
    """The managers designate a process director acting for ``party`` (art. 11.2, 12.1)."""

    party: str
    person: str


@dataclass(frozen=True)
class RevokeProcessDirector:
    party: str
    person: str


@dataclass(frozen=True)
class ScheduleMeeting:
    body: Body
    scheduled_for: datetime | None


@dataclass(frozen=True)
class RecordAttendance:
    meeting_id: str
    present: tuple[str, ...] = ()


@dataclass(frozen=True)
class Propose:
    body: Body
    kind: ProposalKind
    subject_code: str
    significantly_affects: tuple[str, ...] = ()
    target_party: str = ""
    accession_id: str = ""
    effective_at: datetime | None = None
    work_process_version: str = ""
    policy_revision: str = ""
    meeting_id: str = ""


@dataclass(frozen=True)
class CastVote:
    proposal_id: str
    seat_id: str
    choice: VoteChoice


@dataclass(frozen=True)
class RecordWrittenInput:
    proposal_id: str
    party_id: str
    kind: InputKind


@dataclass(frozen=True)
class Decide:
    proposal_id: str


@dataclass(frozen=True)
class ApplyAccession:
    party_id: str
    name: str
    kind: PartyKind


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
    effective_at: datetime | None
    letter_reference: str


@dataclass(frozen=True)
class RecordNoticeOfDefault:
    party_id: str
    reason_code: str


@dataclass(frozen=True)
class Exclude:
    party_id: str
    subject_code: str = ""


@dataclass(frozen=True)
class RegisterDispute:
    about: DisputeAbout
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
