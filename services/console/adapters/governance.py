"""Governance as the console uses it: party names for display; the bodies' meetings,
proposals, votes, written input and decisions; the policy revision in force."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.protobuf.timestamp_pb2 import Timestamp

from services.console.adapters.calls import Caller, ServiceError
from zorgtafel.generated.governance.v1 import governance_pb2 as gv
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc
from zorgtafel.kernel.validate import same_person


class Governance:
    def __init__(self, stub: gv_grpc.GovernanceServiceStub) -> None:
        self._stub = stub
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()

    def party_names(self, call: Caller) -> dict[str, str]:
        """OIN -> name of every party. The parties of a covenant are public (the covenant
        lists them), so the list is kept for the process; a failure leaves OINs shown."""
        with self._lock:
            if self._names:
                return self._names
        names: dict[str, str] = {}
        page: str | None = None
        try:
            while True:
                reply = call(
                    self._stub.ListParties,
                    gv.ListPartiesRequest(page_size=500, page_token=page or ""),
                )
                names.update({p.party_id: p.name for p in reply.parties})
                page = reply.next_page_token
                if not page:
                    break
        except ServiceError:
            return {}
        with self._lock:
            self._names = names
        return names

    def party_status(self, call: Caller, party: str) -> str:
        """The party's status as governance holds it ("active", "applicant", "withdrawn",
        "excluded"); governance refuses a party it no longer serves (PERMISSION_DENIED) and
        answers NOT_FOUND for one it does not know. Asked through ``PartyStatuses``, never
        per request."""
        reply = call(self._stub.GetParty, gv.GetPartyRequest(party_id=party))
        return _name(gv.PartyStatus, "PARTY_STATUS_", reply.party.status)


# -- the bodies' meetings, proposals, votes and decisions (art. 4-7), and the policy revision --

BODIES = ("regional_board", "partner_council", "managers")
KINDS = ("general", "accession", "exclusion", "amendment", "work_process")
CHOICES = ("for", "against", "abstain")
INPUTS = ("written", "heard")
# A WORK_PROCESS proposal names its impact report by digest in its subject code
# (``zorgtafel policy propose --impact-report``, zorgtafel/policy/loop.py).
IMPACT_PREFIX = "impact-"


def _dt(ts: Timestamp) -> datetime | None:
    return ts.ToDatetime().replace(tzinfo=None) if ts.seconds else None


def _ts(when: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(when)
    return ts


def _name(enum: Any, prefix: str, value: int) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower()


def _enum(enum: Any, prefix: str, code: str) -> int:
    """A form's code as the service's enum; an unknown code becomes UNSPECIFIED, which the
    service refuses naming the field (the console decides nothing)."""
    try:
        return int(enum.Value(prefix + code.upper()))
    except ValueError:
        return 0


@dataclass(frozen=True)
class MeetingView:
    meeting_id: str
    body: str
    scheduled_for: datetime | None
    present: tuple[str, ...]


@dataclass(frozen=True)
class ProposalView:
    proposal_id: str
    body: str
    kind: str
    subject_code: str
    status: str
    significantly_affects: tuple[str, ...]
    input_from: tuple[str, ...]
    votes_for: int
    votes_against: int
    votes_abstain: int
    consensus: bool
    binding: bool
    decision_id: str
    decided_at: datetime | None
    proposed_at: datetime | None
    meeting_id: str
    target_party: str
    work_process_version: str
    policy_revision: str
    referred_from: str
    referred_to: str

    @property
    def impact_digest(self) -> str:
        """The impact report's digest (its first 48 hex) when the subject code names one."""
        if self.subject_code.startswith(IMPACT_PREFIX):
            return "sha256:" + self.subject_code.removeprefix(IMPACT_PREFIX) + "…"
        return ""


@dataclass(frozen=True)
class RevisionView:
    revision: str
    work_process_version: str
    proposal_id: str
    decision_id: str
    adopted_at: datetime | None
    baseline: bool


@dataclass(frozen=True)
class HistoryEntryView:
    """One entry of the policy revision history (issue #19)."""

    revision: RevisionView
    bundle_digest: str
    adopted_by_party: str
    in_force: bool
    # (service, instance) of the instances whose last report names this revision.
    enforced: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class HistoryPage:
    entries: tuple[HistoryEntryView, ...]
    next_page_token: str


def _revision(r: gv.PolicyRevision) -> RevisionView:
    return RevisionView(
        r.revision,
        r.work_process_version,
        r.proposal_id,
        r.decision_id,
        _dt(r.adopted_at),
        r.baseline,
    )


def _meeting(m: gv.Meeting) -> MeetingView:
    return MeetingView(
        m.meeting_id, _name(gv.Body, "BODY_", m.body), _dt(m.scheduled_for), tuple(m.present)
    )


def _proposal(p: gv.Proposal) -> ProposalView:
    return ProposalView(
        proposal_id=p.proposal_id,
        body=_name(gv.Body, "BODY_", p.body),
        kind=_name(gv.ProposalKind, "PROPOSAL_KIND_", p.kind),
        subject_code=p.subject_code,
        status=_name(gv.ProposalStatus, "PROPOSAL_STATUS_", p.status),
        significantly_affects=tuple(p.significantly_affects),
        input_from=tuple(p.input_from),
        votes_for=p.tally.votes_for,
        votes_against=p.tally.votes_against,
        votes_abstain=p.tally.votes_abstain,
        consensus=p.consensus,
        binding=p.binding,
        decision_id=p.decision_id,
        decided_at=_dt(p.decided_at),
        proposed_at=_dt(p.proposed_at),
        meeting_id=p.meeting_id,
        target_party=p.target_party,
        work_process_version=p.work_process_version,
        policy_revision=p.policy_revision,
        referred_from=p.referred_from,
        referred_to=p.referred_to,
    )


class Bodies:
    """The secretaries' and members' calls: each is one RPC with the person's token, so the
    service's role table and its seat rules (zorgtafel.governance) decide who may."""

    def __init__(self, stub: gv_grpc.GovernanceServiceStub) -> None:
        self._stub = stub

    def schedule(self, call: Caller, body: str, when: datetime) -> MeetingView:
        reply = call(
            self._stub.ScheduleMeeting,
            gv.ScheduleMeetingRequest(
                request_id=str(uuid.uuid4()),
                body=_enum(gv.Body, "BODY_", body),
                scheduled_for=_ts(when),
            ),
        )
        return _meeting(reply.meeting)

    def meeting(self, call: Caller, meeting_id: str) -> MeetingView:
        reply = call(self._stub.GetMeeting, gv.GetMeetingRequest(meeting_id=meeting_id))
        return _meeting(reply.meeting)

    def attend(self, call: Caller, meeting_id: str, present: list[str]) -> MeetingView:
        reply = call(
            self._stub.RecordAttendance,
            gv.RecordAttendanceRequest(
                request_id=str(uuid.uuid4()), meeting_id=meeting_id, present=present
            ),
        )
        return _meeting(reply.meeting)

    def propose(
        self,
        call: Caller,
        body: str,
        kind: str,
        subject_code: str,
        significantly_affects: list[str],
        meeting_id: str = "",
    ) -> ProposalView:
        reply = call(
            self._stub.Propose,
            gv.ProposeRequest(
                request_id=str(uuid.uuid4()),
                body=_enum(gv.Body, "BODY_", body),
                kind=_enum(gv.ProposalKind, "PROPOSAL_KIND_", kind),
                subject_code=subject_code,
                significantly_affects=significantly_affects,
                meeting_id=meeting_id,
            ),
        )
        return _proposal(reply.proposal)

    def proposal(self, call: Caller, proposal_id: str) -> ProposalView:
        reply = call(self._stub.GetProposal, gv.GetProposalRequest(proposal_id=proposal_id))
        return _proposal(reply.proposal)

    def vote(
        self, call: Caller, proposal_id: str, seat_id: str, choice: str
    ) -> tuple[int, int, int]:
        """The vote, and the votes cast so far (for, against, abstain): governance counts an
        open proposal's votes only when it decides, so this answer is where they show."""
        reply = call(
            self._stub.CastVote,
            gv.CastVoteRequest(
                request_id=str(uuid.uuid4()),
                proposal_id=proposal_id,
                seat_id=seat_id,
                choice=_enum(gv.VoteChoice, "VOTE_CHOICE_", choice),
            ),
        )
        t = reply.tally
        return (t.votes_for, t.votes_against, t.votes_abstain)

    def written_input(self, call: Caller, proposal_id: str, party: str, kind: str) -> None:
        call(
            self._stub.RecordWrittenInput,
            gv.RecordWrittenInputRequest(
                request_id=str(uuid.uuid4()),
                proposal_id=proposal_id,
                party_id=party,
                kind=_enum(gv.InputKind, "INPUT_KIND_", kind),
            ),
        )

    def decide(self, call: Caller, proposal_id: str) -> tuple[ProposalView, ProposalView | None]:
        reply = call(
            self._stub.Decide,
            gv.DecideRequest(request_id=str(uuid.uuid4()), proposal_id=proposal_id),
        )
        referral = _proposal(reply.referral) if reply.HasField("referral") else None
        return _proposal(reply.proposal), referral

    def my_seats(self, call: Caller, person: str, party: str) -> list[tuple[str, str, str]]:
        """(seat id, body, role) of the seats this person holds, for the vote form. The bodies
        and their seat holders are public within the covenant (ListBodies). A person id names
        its person without case (``validate.same_person``, as governance decides the vote);
        no person holds a vacant seat."""
        seats: list[tuple[str, str, str]] = []
        page = ""
        while True:
            reply = call(
                self._stub.ListBodies, gv.ListBodiesRequest(page_size=100, page_token=page)
            )
            for b in reply.bodies:
                seats += [
                    (s.seat_id, _name(gv.Body, "BODY_", b.body), s.role)
                    for s in b.seats
                    if person
                    and s.holder_person
                    and same_person(s.holder_person, person)
                    and s.holder_party == party
                ]
            page = reply.next_page_token
            if not page:
                return seats

    def adopted_revision(self, call: Caller) -> RevisionView:
        r = call(self._stub.GetAdoptedPolicyRevision, gv.GetAdoptedPolicyRevisionRequest()).revision
        return _revision(r)

    def revision_history(self, call: Caller, page: str, size: int = 20) -> HistoryPage:
        """One page of the policy revisions in force over time, newest first (``page``: the
        previous page's token, "" for the first)."""
        reply = call(
            self._stub.ListPolicyRevisions,
            gv.ListPolicyRevisionsRequest(page_size=size, page_token=page),
        )
        return HistoryPage(
            tuple(
                HistoryEntryView(
                    _revision(e.revision),
                    e.revision.bundle_digest,
                    e.revision.adopted_by_party,
                    e.in_force,
                    tuple((x.service, x.instance) for x in e.enforced),
                )
                for e in reply.revisions
            ),
            reply.next_page_token,
        )
