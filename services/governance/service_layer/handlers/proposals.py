"""Proposals to the covenant's bodies, votes from seats and parties' written input (art. 5,
6.6b, 7.1, 7.2, 20.4, 21.1, 23.2)."""

from __future__ import annotations

from dataclasses import dataclass

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain.decisions import (
    KIND_BODIES,
    Proposal,
    ProposalKind,
    Tally,
    Vote,
    WrittenInput,
)
from services.governance.domain.formats import (
    check_code,
    check_issued_id,
    check_reference,
    check_seat_id,
)
from services.governance.domain.membership import AccessionStatus, require_notice_of_default
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    PROPOSAL,
    active_party,
    authorise,
    authorise_in_body,
    decided_by,
    find_accession,
    get_proposal,
    known_party,
    meeting_parties,
    new_id,
    proposal_inputs,
    proposal_parties,
    refuse_outsider,
    seat_facts,
)
from services.governance.service_layer.handlers.meetings import MEETING, find_meeting, of_a_body
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.validate import check_oins, same_person

MAX_AFFECTED = 200


@dataclass(frozen=True)
class ProposalView:
    proposal: Proposal
    inputs: list[str]  # parties whose written input was recorded or that were heard


def view(uow: GovernanceUnitOfWork, proposal: Proposal) -> ProposalView:
    return ProposalView(proposal, proposal_inputs(uow, proposal.proposal_id))


def get(uow: GovernanceUnitOfWork, proposal_id: str) -> ProposalView:
    return view(uow, get_proposal(uow, proposal_id))


def read(deps: Deps, uow: GovernanceUnitOfWork, proposal_id: str, caller: Caller) -> ProposalView:
    """A proposal, to the holders of a seat in its body: the bodies' matters are not public
    (art. 5.5, 7.5)."""
    proposal = get_proposal(uow, proposal_id, stand_in=of_a_body(deps, caller, "read_proposal"))
    saw(resource=proposal.proposal_id)  # named in a refusal's record too
    decided_by(
        authorise_in_body(
            deps, uow, caller, "read_proposal", proposal.body, proposal_parties(proposal), PROPOSAL
        )
    )
    return view(uow, proposal)


def propose(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.Propose, caller: Caller) -> ProposalView:
    body, kind = cmd.body, cmd.kind
    check_code(cmd.subject_code, "subject_code")
    if body not in KIND_BODIES[kind]:
        raise InvalidArgument(
            "body",
            f"a {kind.value} proposal is decided by "
            + " or ".join(sorted(b.value for b in KIND_BODIES[kind]))
            + (
                " (art. 6.6c; the regional board decides it only on referral, art. 7.3)"
                if kind is ProposalKind.WORK_PROCESS
                else ""
            ),
        )
    affects = check_oins(
        cmd.significantly_affects, "significantly_affects", limit=MAX_AFFECTED, duplicates="merge"
    )
    for party_id in affects:
        known_party(uow, party_id, "significantly_affects")
    authorise(deps, uow, caller, "propose", body=body.value, kind=kind.value)
    proposal = Proposal(
        proposal_id=new_id("prop"),
        body=body,
        kind=kind,
        subject_code=cmd.subject_code,
        proposed_by_party=caller.party,
        proposed_at=deps.now(),
    )
    if kind is ProposalKind.EXCLUSION:
        target = active_party(uow, cmd.target_party, "target_party")
        require_notice_of_default(uow.membership.notices(target.party_id))  # art. 23.2
        proposal.target_party = target.party_id
        affects = tuple(sorted(set(affects) | {target.party_id}))  # it is affected (5.3)
    elif kind is ProposalKind.ACCESSION:
        # An id that names no application: the one answer of every use of the id (no oracle,
        # and not the id the caller typed).
        accession = find_accession(uow, cmd.accession_id)
        accession.require(AccessionStatus.APPLIED, "the accession is not awaiting a decision")
        proposal.accession_id = accession.accession_id
    elif kind is ProposalKind.AMENDMENT:
        if cmd.effective_at is None:
            raise InvalidArgument(
                "effective_at", "required: when the amended covenant takes effect (art. 21.3)"
            )
        proposal.effective_at = cmd.effective_at
    elif kind is ProposalKind.WORK_PROCESS:
        check_code(cmd.work_process_version, "work_process_version")
        check_reference(cmd.policy_revision, "policy_revision")
        proposal.work_process_version = cmd.work_process_version
        proposal.policy_revision = cmd.policy_revision
    if cmd.meeting_id:
        meeting = find_meeting(uow, cmd.meeting_id)
        # Of a body the caller's party has no part in (another body's, or the board's to a
        # council member proposing to it, 6.6b): not its to see (5.5, 7.5), so no oracle of
        # the meeting nor of its state; whichever body the matter is put to.
        refuse_outsider(uow, caller, meeting.body, meeting_parties(meeting), MEETING)
        if meeting.body is not body:
            raise InvalidArgument("meeting_id", "the meeting is of another body")
        # 5.3, 7.2: its attendees count as present on the matter, so only a meeting still to
        # come or sitting takes it on its agenda: one already held never saw it.
        meeting.require_takes_matters(proposal.proposed_at)
        proposal.meeting_id = meeting.meeting_id
    proposal.significantly_affects = list(affects)
    uow.proposals.add(proposal)
    uow.session.flush()
    return ProposalView(proposal, [])


def tally(uow: GovernanceUnitOfWork, proposal_id: str) -> Tally:
    return Tally.of(v.choice for v in uow.proposals.votes(proposal_id))


def cast_vote(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.CastVote, caller: Caller) -> Tally:
    check_issued_id(cmd.proposal_id, "proposal_id")
    seat = uow.seats.get(check_seat_id(cmd.seat_id))
    # An unknown proposal costs what a real one's refusal does: the decision from a seat there
    # is, none for a seat there is not (refused below before any).
    stand_in = of_a_body(deps, caller, "cast_vote", seat=seat_facts(seat)) if seat else None
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True, stand_in=stand_in)
    if seat is None:
        # Not an oracle of the proposal either.
        refuse_outsider(uow, caller, proposal.body, proposal_parties(proposal), PROPOSAL)
        raise NotFound("seat", cmd.seat_id)
    # Only a holder of a voting seat of this body votes, from that seat (Rego decides).
    authorise_in_body(
        deps,
        uow,
        caller,
        "cast_vote",
        proposal.body,
        proposal_parties(proposal),
        PROPOSAL,
        seat=seat_facts(seat),
    )
    proposal.require_open()
    if uow.proposals.vote(proposal.proposal_id, seat.seat_id) is not None:
        raise FailedPrecondition(
            "already_voted", "this seat has already voted on the proposal", subject="vote.seat"
        )
    # One person, one vote (art. 5, 7.1): a person holding a second seat (appointed before the
    # appointment rule refused it, or moved between seats) does not vote twice on one matter,
    # nor by its id in other case (one person: validate.same_person).
    votes = uow.proposals.votes(proposal.proposal_id)
    if any(same_person(v.person, caller.person) for v in votes):
        raise FailedPrecondition(
            "already_voted",
            "this person has already voted on the proposal from another seat (art. 5, 7.1)",
            subject="vote.person",
        )
    uow.proposals.add_vote(
        Vote(
            proposal.proposal_id, seat.seat_id, caller.party, caller.person, cmd.choice, deps.now()
        )
    )
    uow.session.flush()
    return tally(uow, proposal.proposal_id)


def record_written_input(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RecordWrittenInput, caller: Caller
) -> ProposalView:
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True)
    # Before the party is looked up: its answer would tell an outsider that the proposal exists.
    refuse_outsider(uow, caller, proposal.body, proposal_parties(proposal), PROPOSAL)
    party_id = known_party(uow, cmd.party_id or caller.party, "party_id").party_id
    authorise_in_body(
        deps,
        uow,
        caller,
        "record_written_input",
        proposal.body,
        proposal_parties(proposal),
        PROPOSAL,
        party=party_id,
        kind=cmd.kind.value,
    )
    proposal.require_open()
    uow.proposals.add_input(
        WrittenInput(proposal.proposal_id, party_id, cmd.kind, caller.person, deps.now())
    )
    uow.session.flush()
    return view(uow, proposal)
