"""Governance's domain objects and views as proto messages (and nothing else)."""

from __future__ import annotations

from collections.abc import Sequence

from services.governance.domain.bodies import Seat, SeatRow
from services.governance.domain.decisions import Proposal, Tally
from services.governance.domain.disputes import Dispute
from services.governance.domain.membership import Withdrawal
from services.governance.domain.parties import Party, PartyRow, StatusChange
from services.governance.domain.policy import EnforcedRevision, HistoryEntry, PolicyRevision
from services.governance.domain.roster import ProcessDirector, ProcessDirectorRow
from services.governance.service_layer.handlers.decisions import DecideResult
from services.governance.service_layer.handlers.meetings import MeetingView
from services.governance.service_layer.handlers.membership import AccessionView
from services.governance.service_layer.handlers.parties import BodySeats
from services.governance.service_layer.handlers.proposals import ProposalView
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.convert import enum_out, to_timestamp


def party_out(p: Party | PartyRow) -> pb.Party:
    return pb.Party(
        party_id=p.party_id,
        name=p.name,
        kind=enum_out(pb.PartyKind, "PARTY_KIND_", p.kind),
        status=enum_out(pb.PartyStatus, "PARTY_STATUS_", p.status),
        status_since=to_timestamp(p.status_since),
    )


def status_change_out(ch: StatusChange) -> pb.StatusChange:
    return pb.StatusChange(
        status=enum_out(pb.PartyStatus, "PARTY_STATUS_", ch.status),
        at=to_timestamp(ch.at),
        cause=ch.cause,
        reference=ch.reference,
    )


def seat_out(s: Seat | SeatRow) -> pb.Seat:
    return pb.Seat(
        seat_id=s.seat_id,
        body=enum_out(pb.Body, "BODY_", s.body),
        role=s.role,
        held_by_party=s.held_by_party or "",
        holder_person=s.holder_person or "",
        holder_party=s.holder_party or "",
        assigned_at=to_timestamp(s.assigned_at),
    )


def process_director_out(
    d: ProcessDirector | ProcessDirectorRow, designated: bool = True
) -> pb.ProcessDirector:
    return pb.ProcessDirector(
        party=d.party,
        person=d.person,
        designated_at=to_timestamp(d.designated_at),
        designated=designated,
    )


def body_out(b: BodySeats, seats: Sequence[Seat]) -> pb.BodyInfo:
    """The body with ``seats`` (those shown of ``b.seats``)."""
    return pb.BodyInfo(
        body=enum_out(pb.Body, "BODY_", b.body),
        articles=list(b.articles),
        seats=[seat_out(s) for s in seats],
    )


def tally_out(t: Tally) -> pb.Tally:
    return pb.Tally(
        votes_for=t.votes_for, votes_against=t.votes_against, votes_abstain=t.votes_abstain
    )


def proposal_out(p: Proposal, inputs: list[str] = ()) -> pb.Proposal:
    return pb.Proposal(
        proposal_id=p.proposal_id,
        body=enum_out(pb.Body, "BODY_", p.body),
        kind=enum_out(pb.ProposalKind, "PROPOSAL_KIND_", p.kind),
        subject_code=p.subject_code,
        significantly_affects=list(p.significantly_affects),
        target_party=p.target_party or "",
        accession_id=p.accession_id or "",
        effective_at=to_timestamp(p.effective_at),
        work_process_version=p.work_process_version or "",
        policy_revision=p.policy_revision or "",
        referred_from=p.referred_from or "",
        referred_to=p.referred_to or "",
        status=enum_out(pb.ProposalStatus, "PROPOSAL_STATUS_", p.status),
        tally=pb.Tally(
            votes_for=p.votes_for, votes_against=p.votes_against, votes_abstain=p.votes_abstain
        ),
        consensus=p.consensus,
        binding=p.binding,
        decision_id=p.decision_id or "",
        decided_at=to_timestamp(p.decided_at),
        input_from=list(inputs),
        proposed_at=to_timestamp(p.proposed_at),
        meeting_id=p.meeting_id or "",
    )


def proposal_view_out(v: ProposalView) -> pb.Proposal:
    return proposal_out(v.proposal, v.inputs)


def decided_out(r: DecideResult) -> pb.DecideResponse:
    return pb.DecideResponse(
        proposal=proposal_out(r.proposal, r.inputs),
        referral=proposal_out(r.referral) if r.referral else None,
    )


def meeting_out(v: MeetingView) -> pb.Meeting:
    m = v.meeting
    return pb.Meeting(
        meeting_id=m.meeting_id,
        body=enum_out(pb.Body, "BODY_", m.body),
        scheduled_for=to_timestamp(m.scheduled_for),
        present=v.present,
    )


def accession_out(v: AccessionView) -> pb.Accession:
    a = v.accession
    return pb.Accession(
        accession_id=a.accession_id,
        party_id=a.party_id,
        status=enum_out(pb.AccessionStatus, "ACCESSION_STATUS_", a.status),
        approved_by=v.approved_by,
        approvals_missing=v.missing,
        decision_id=a.decision_id or "",
        form_reference=a.form_reference or "",
        applied_at=to_timestamp(a.applied_at),
        joined_at=to_timestamp(a.joined_at),
    )


def withdrawal_out(w: Withdrawal) -> pb.Withdrawal:
    return pb.Withdrawal(
        withdrawal_id=w.withdrawal_id,
        party_id=w.party_id,
        amendment_id=w.amendment_id or "",
        effective_at=to_timestamp(w.effective_at),
        effective=w.effective,
    )


def dispute_out(d: Dispute) -> pb.Dispute:
    return pb.Dispute(
        dispute_id=d.dispute_id,
        about=enum_out(pb.DisputeAbout, "DISPUTE_ABOUT_", d.about),
        case_id=d.case_id or "",
        forum=enum_out(pb.Forum, "FORUM_", d.forum),
        remaining=[enum_out(pb.Forum, "FORUM_", f) for f in d.remaining],
        status=enum_out(pb.DisputeStatus, "DISPUTE_STATUS_", d.status),
        resolution_code=d.resolution_code or "",
    )


def enforced_out(e: EnforcedRevision) -> pb.EnforcedRevision:
    return pb.EnforcedRevision(
        service=e.service,
        instance=e.instance,
        revision=e.revision,
        enforced_at=to_timestamp(e.enforced_at),
    )


def revision_out(r: PolicyRevision) -> pb.PolicyRevision:
    return pb.PolicyRevision(
        revision=r.revision,
        work_process_version=r.work_process_version,
        proposal_id=r.proposal_id,
        decision_id=r.decision_id,
        adopted_at=to_timestamp(r.adopted_at),
        baseline=r.baseline,
        bundle_digest=r.bundle_digest,
        adopted_by_party=r.adopted_by_party,
    )


def history_entry_out(e: HistoryEntry) -> pb.PolicyRevisionEntry:
    return pb.PolicyRevisionEntry(
        revision=revision_out(e.revision),
        in_force=e.in_force,
        enforced=[enforced_out(x) for x in e.enforced],
    )
