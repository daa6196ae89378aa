"""Proposals, votes and the covenant's counting rules. Pure Python: no framework imports.

- art. 7.1: the partner council decides by a majority of the votes cast and strives for
  consensus; consensus is recorded when every vote cast is in favour.
- art. 5.3 / 7.2: an absent member is asked for written input; a decision that may
  significantly affect that party is not taken until its written input is recorded or it has
  been heard. A party counts as present when a seat holder voted on its behalf. Only parties
  still active count: one that withdrew or was excluded is no party (21.3, 23.1, 23.2).
- art. 7.3: when the partner council cannot reach a decision (no majority either way), the
  matter goes to the regional board.
- art. 5.2 / 7.1: decisions bind all parties (within their statutory tasks).
- art. 23.2: the board decides on exclusion by majority; a tie is no majority.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from services.governance.domain.bodies import Body
from zorgtafel.kernel.errors import FailedPrecondition


class ProposalKind(str, enum.Enum):
    GENERAL = "general"
    ACCESSION = "accession"  # art. 20.4
    EXCLUSION = "exclusion"  # art. 23.2
    AMENDMENT = "amendment"  # art. 21.1
    WORK_PROCESS = "work_process"  # art. 6.6c, 11.3a


class ProposalStatus(str, enum.Enum):
    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    REFERRED = "referred"  # art. 7.3


class VoteChoice(str, enum.Enum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class InputKind(str, enum.Enum):
    WRITTEN = "written"  # art. 5.3 / 7.2: written input
    HEARD = "heard"  # art. 5.3 / 7.2: "tot die Partij gehoord is"


# Which body decides which kind of matter.
KIND_BODIES = {
    ProposalKind.GENERAL: {Body.REGIONAL_BOARD, Body.PARTNER_COUNCIL, Body.MANAGERS},
    ProposalKind.ACCESSION: {Body.REGIONAL_BOARD},  # art. 20.4
    ProposalKind.EXCLUSION: {Body.REGIONAL_BOARD},  # art. 23.2
    ProposalKind.AMENDMENT: {Body.REGIONAL_BOARD},  # art. 21.1
    # art. 1.16, 6.6c: the Werkproces is the one the partner council establishes (drafted with
    # the managers, who sit in it (6.3b) and adopt the bundle, 11.3a); the board decides it only
    # when the council could not and referred it (7.3: ``Proposal.referral``, not ``Propose``).
    ProposalKind.WORK_PROCESS: {Body.PARTNER_COUNCIL},
}


@dataclass(frozen=True)
class Tally:
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0

    @classmethod
    def of(cls, choices) -> "Tally":
        choices = list(choices)
        return cls(
            sum(c == VoteChoice.FOR for c in choices),
            sum(c == VoteChoice.AGAINST for c in choices),
            sum(c == VoteChoice.ABSTAIN for c in choices),
        )


@dataclass(frozen=True)
class Outcome:
    status: ProposalStatus
    consensus: bool
    binding: bool
    tally: Tally


def count_votes(body: Body, tally: Tally) -> Outcome:
    """The covenant's counting rule for one proposal (art. 5, 7.1, 7.3, 23.2).

    A majority is more votes for than against among the votes cast (abstentions are not
    votes for or against). More against than for is a decision too: rejected. No majority
    either way (a tie, or no votes): the partner council cannot decide and refers the matter to
    the regional board (7.3); elsewhere the proposal is not adopted.
    """
    if tally.votes_for > tally.votes_against:
        consensus = tally.votes_against == 0 and tally.votes_abstain == 0
        return Outcome(ProposalStatus.ADOPTED, consensus, True, tally)  # 5.2, 7.1: binding
    if tally.votes_against > tally.votes_for:
        return Outcome(ProposalStatus.REJECTED, False, True, tally)
    if body is Body.PARTNER_COUNCIL:
        return Outcome(ProposalStatus.REFERRED, False, False, tally)  # 7.3
    return Outcome(ProposalStatus.REJECTED, False, False, tally)


def missing_input(
    significantly_affects, present_parties, input_parties, active_parties
) -> list[str]:
    """Parties a proposal may significantly affect that neither took part (voted) nor gave
    written input nor were heard (art. 5.3, 7.2). Only a party still active is an absent member
    to be heard: one that withdrew or was excluded is no party any more (21.3, 23.1, 23.2)."""
    affected = set(significantly_affects) & set(active_parties)
    return sorted(affected - set(present_parties) - set(input_parties))


@dataclass
class Proposal:
    proposal_id: str
    body: Body
    kind: ProposalKind
    subject_code: str
    significantly_affects: list = field(default_factory=list)
    proposed_by_party: str = ""
    proposed_at: datetime | None = None
    target_party: str | None = None
    accession_id: str | None = None
    effective_at: datetime | None = None
    work_process_version: str | None = None
    policy_revision: str | None = None
    referred_from: str | None = None
    referred_to: str | None = None
    meeting_id: str | None = None
    status: ProposalStatus = ProposalStatus.OPEN
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    consensus: bool = False
    binding: bool = False
    decision_id: str | None = None
    decided_at: datetime | None = None

    def establishes_work_process(self) -> bool:
        """Whether this proposal's decision may establish the work process: one of the partner
        council (6.6c), or the board's on the council's referral (7.3). A board proposal put
        there directly (before the propose rule said so) establishes nothing."""
        if self.kind is not ProposalKind.WORK_PROCESS:
            return False
        if self.body is Body.PARTNER_COUNCIL:
            return True
        return self.body is Body.REGIONAL_BOARD and self.referred_from is not None

    def require_open(self) -> None:
        if self.status is not ProposalStatus.OPEN:
            raise FailedPrecondition(
                self.status.value, "the proposal is no longer open", subject="proposal.status"
            )

    def record(self, outcome: Outcome, decision_id: str, at: datetime) -> None:
        self.require_open()
        self.status = outcome.status
        self.consensus = outcome.consensus
        self.binding = outcome.binding
        self.votes_for = outcome.tally.votes_for
        self.votes_against = outcome.tally.votes_against
        self.votes_abstain = outcome.tally.votes_abstain
        self.decision_id = decision_id
        self.decided_at = at

    def referral(self, proposal_id: str, at: datetime) -> "Proposal":
        """The same matter put to the regional board (art. 7.3)."""
        return Proposal(
            proposal_id=proposal_id,
            body=Body.REGIONAL_BOARD,
            kind=self.kind,
            subject_code=self.subject_code,
            significantly_affects=list(self.significantly_affects),
            proposed_by_party=self.proposed_by_party,
            proposed_at=at,
            target_party=self.target_party,
            accession_id=self.accession_id,
            effective_at=self.effective_at,
            work_process_version=self.work_process_version,
            policy_revision=self.policy_revision,
            referred_from=self.proposal_id,
        )


# How long a meeting sits after its start: a project choice (the covenant fixes no length). A
# body meets a few times a year for a day part (4.2, 6.2); matters raised while it sits are put
# on its agenda (the console's meeting page records who is there, then takes them).
SITTING = timedelta(hours=12)


@dataclass
class Meeting:
    """A meeting of a body (art. 4.2, 6.2), organised by its secretary (4.5, 6.7).

    Still to come until ``scheduled_for``; from then on it is held (begun). Its attendees count
    as present on its matters (5.3, 7.2), so who attended is recorded only once it has begun,
    and its matters are decided only then; a matter goes on its agenda until its sitting ends.
    """

    meeting_id: str
    body: Body
    scheduled_for: datetime
    scheduled_by_party: str
    created_at: datetime

    def has_begun(self, now: datetime) -> bool:
        return self.scheduled_for <= now

    def require_begun(self, now: datetime, what: str) -> None:
        """FAILED_PRECONDITION ``meeting_scheduled`` while the meeting is still to come."""
        if not self.has_begun(now):
            raise FailedPrecondition(
                "meeting_scheduled",
                f"the meeting has not begun: {what} (art. 4.5, 5.3, 6.7, 7.2)",
                subject="meeting.scheduled_for",
            )

    def require_takes_matters(self, now: datetime) -> None:
        """FAILED_PRECONDITION ``meeting_held`` once its sitting is over: its attendees would
        count as present on a matter they never saw (5.3, 7.2)."""
        if now >= self.scheduled_for + SITTING:
            raise FailedPrecondition(
                "meeting_held",
                "the meeting has already taken place: a matter is put on the agenda of a "
                "meeting still to come or sitting (art. 4.5, 5.3, 6.7, 7.2)",
                subject="meeting.scheduled_for",
            )


@dataclass
class Vote:
    proposal_id: str
    seat_id: str
    party_id: str
    person: str
    choice: VoteChoice
    cast_at: datetime


@dataclass
class WrittenInput:
    proposal_id: str
    party_id: str
    kind: InputKind
    recorded_by: str
    recorded_at: datetime
