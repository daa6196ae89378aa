"""Deciding a proposal: the covenant's counting rules applied to the votes cast, after the
absent-party rule (5.3, 7.2); referral to the board (7.3); accession (20.4) and exclusion
(23.2) taking effect; the other body informed (5.4, 7.4)."""

from __future__ import annotations

from dataclasses import dataclass

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.bodies import Body
from services.governance.domain.decisions import (
    Proposal,
    ProposalKind,
    ProposalStatus,
    Tally,
    count_votes,
    missing_input,
)
from services.governance.domain.membership import (
    AccessionStatus,
    require_all_approvals,
    require_notice_of_default,
)
from services.governance.domain.parties import EXCLUDE_FROM, PartyStatus
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    PROPOSAL,
    authorise_in_body,
    change_status,
    get_proposal,
    iso,
    new_id,
    proposal_inputs,
    proposal_parties,
)
from services.governance.service_layer.handlers.meetings import find_meeting, of_a_body
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition


@dataclass(frozen=True)
class DecideResult:
    proposal: Proposal
    inputs: list[str]
    referral: Proposal | None = None


_INFORMED = {
    Body.REGIONAL_BOARD: "partner_council",  # art. 5.4
    Body.PARTNER_COUNCIL: "regional_board",  # art. 7.4
    Body.MANAGERS: "partner_council",
}


def _require_input_of_absent_parties(
    uow: GovernanceUnitOfWork, proposal: Proposal, votes: list, active: set[str]
) -> None:
    """art. 5.3 / 7.2: no decision that may significantly affect an absent party without its
    written input or a hearing. Present: attended the proposal's meeting, or voted; and still a
    party (``active``) at the decision, as the votes counted. Absent: only a party still
    active; one that withdrew or was excluded since is no member to be heard."""
    present = {v.party_id for v in votes}
    if proposal.meeting_id:
        present |= set(uow.proposals.attendance(proposal.meeting_id))
    present &= active
    missing = missing_input(
        proposal.significantly_affects,
        present,
        proposal_inputs(uow, proposal.proposal_id),
        active,
    )
    if missing:
        article = "5.3" if proposal.body is Body.REGIONAL_BOARD else "7.2"
        raise FailedPrecondition(
            "written_input_missing",
            f"art. {article}: the proposal may significantly affect absent parties that have "
            f"neither given written input nor been heard: {', '.join(missing)}",
            subject="proposal.written_input",
        )


def decide(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.Decide, caller: Caller) -> DecideResult:
    stand_in = of_a_body(deps, caller, "decide")
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True, stand_in=stand_in)
    authorise_in_body(
        deps, uow, caller, "decide", proposal.body, proposal_parties(proposal), PROPOSAL
    )
    proposal.require_open()
    if proposal.meeting_id:
        # A matter on a meeting's agenda is decided at that meeting, once it has begun: before
        # it, no one has met, and the absent parties asked for written input on the agenda
        # (5.3, 7.2) are not yet absent.
        find_meeting(uow, proposal.meeting_id).require_begun(
            deps.now(), "a matter on its agenda is decided at the meeting"
        )
    # art. 21.3, 23.1, 23.2: a party that has withdrawn or was excluded is no party any more:
    # the votes its people cast while it was one are not counted in a decision taken after.
    active = set(uow.parties.active_ids())
    votes = [v for v in uow.proposals.votes(proposal.proposal_id) if v.party_id in active]
    _require_input_of_absent_parties(uow, proposal, votes, active)
    accession = None
    if proposal.kind is ProposalKind.ACCESSION:
        accession = uow.membership.accession(proposal.accession_id)
        accession.require(AccessionStatus.APPLIED, "the accession is not awaiting a decision")
        # art. 20.4: only after the approval of all parties.
        require_all_approvals(
            uow.parties.active_ids(), uow.membership.approvals(accession.accession_id)
        )
    target = None
    if proposal.kind is ProposalKind.EXCLUSION:
        target = uow.parties.get_for_update(proposal.target_party)
        # art. 23.2: a notice of default recorded before the decision.
        require_notice_of_default(uow.membership.notices(target.party_id))
    now = deps.now()
    outcome = count_votes(proposal.body, Tally.of(v.choice for v in votes))
    decision_id = new_id("dec")
    proposal.record(outcome, decision_id, now)
    referral = None
    if outcome.status is ProposalStatus.REFERRED:  # art. 7.3
        referral = proposal.referral(new_id("prop"), now)
        proposal.referred_to = referral.proposal_id
        uow.proposals.add(referral)
    elif outcome.status is ProposalStatus.ADOPTED:
        if accession is not None:
            accession.status = AccessionStatus.BOARD_APPROVED
            accession.decision_id = decision_id
        if target is not None:  # art. 23.2: immediate effect
            change_status(
                uow, target, PartyStatus.EXCLUDED, EXCLUDE_FROM, now, "exclusion", decision_id
            )
    elif accession is not None:
        accession.status = AccessionStatus.REFUSED
        accession.decision_id = decision_id
    uow.emit(
        events.DecisionTaken(
            decision_id=decision_id,
            body=proposal.body.value,
            proposal_id=proposal.proposal_id,
            kind=proposal.kind.value,
            outcome=outcome.status.value,
            consensus=outcome.consensus,
            binding=outcome.binding,
            decided_at=iso(now),
        ),
        events.PartiesInformed(
            body=proposal.body.value,
            subject_code=proposal.subject_code,
            decision_id=decision_id,
            informed=_INFORMED[proposal.body],
        ),
    )  # 5.4 / 7.4
    uow.session.flush()
    return DecideResult(proposal, proposal_inputs(uow, proposal.proposal_id), referral)
