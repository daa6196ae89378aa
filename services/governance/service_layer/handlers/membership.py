"""Becoming and ceasing to be a party: accession (art. 20), amendments and withdrawal (21,
23.1), notices of default and exclusion (23.2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.bodies import Body, delegate_seat
from services.governance.domain.decisions import Proposal, ProposalKind, ProposalStatus
from services.governance.domain.formats import check_code, check_reference
from services.governance.domain.membership import (
    Accession,
    AccessionStatus,
    NoticeOfDefault,
    Withdrawal,
    missing_approvals,
    require_signed_form,
)
from services.governance.domain.parties import (
    JOIN_FROM,
    WITHDRAW_FROM,
    Party,
    PartyStatus,
    StatusChange,
)
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    ACCESSION,
    StandIn,
    active_party,
    authorise,
    change_status,
    decided_by,
    find_accession,
    get_proposal,
    iso,
    new_id,
    proposal_parties,
    refuse_outsider,
)
from services.governance.service_layer.handlers.proposals import ProposalView, propose
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import (
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
)
from zorgtafel.kernel.validate import check_oin, check_text

# -- accession (art. 20) -----------------------------------------------------------------------


@dataclass(frozen=True)
class AccessionView:
    accession: Accession
    approved_by: list[str]
    missing: list[str]


def accession_view(uow: GovernanceUnitOfWork, accession: Accession) -> AccessionView:
    approved = uow.membership.approvals(accession.accession_id)
    missing = (
        missing_approvals(uow.parties.active_ids(), approved)
        if accession.status is AccessionStatus.APPLIED
        else []
    )
    return AccessionView(accession, approved, missing)


def get_accession(uow: GovernanceUnitOfWork, accession_id: str) -> AccessionView:
    """The application ``accession_id`` (``find_accession``: an id is no oracle)."""
    return accession_view(uow, find_accession(uow, accession_id))


def read_accession(
    deps: Deps, uow: GovernanceUnitOfWork, accession_id: str, caller: Caller
) -> AccessionView:
    """An application, to the seat holders of the board, the council and the managers, and
    to the applicant itself (art. 20.2, 20.4)."""
    # An unknown id costs the decision on an application of an organisation nobody knows.
    stand_in = StandIn(deps, caller, "read_accession", {"party": "0" * 20})
    found = accession_view(uow, find_accession(uow, accession_id, stand_in))
    # The application and the applicant organisation, named in a refusal's record too.
    saw(resource=f"{found.accession.accession_id},{found.accession.party_id}")
    # Every active party holds a seat in the partner council (art. 6) and is informed of the
    # application (20.3), so a refused reader's party has a part in it and is told the policy's
    # reasons. Any other (another applicant: no party, informed of none) is told what an id of
    # no application is told, or the answer would tell it that this one exists.
    try:
        decided = authorise(deps, uow, caller, "read_accession", party=found.accession.party_id)
    except PermissionDenied as denied:
        applicant = (found.accession.party_id,)
        refuse_outsider(uow, caller, Body.PARTNER_COUNCIL, applicant, ACCESSION, denied)
        raise
    decided_by(decided)
    return found


def apply_accession(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ApplyAccession, caller: Caller
) -> AccessionView:
    check_oin(cmd.party_id)
    check_text(cmd.name, "name", limit=200)
    authorise(deps, uow, caller, "apply_accession")  # art. 20.2: via the managers
    if uow.parties.get(cmd.party_id) is not None:
        raise FailedPrecondition(
            "party_known", "the organisation is already a party or an applicant", subject="party_id"
        )
    now = deps.now()
    uow.parties.add(Party(cmd.party_id, cmd.name, cmd.kind, PartyStatus.APPLICANT, now))
    uow.parties.add_history(StatusChange(cmd.party_id, PartyStatus.APPLICANT, now, "accession", ""))
    accession = Accession(new_id("acc"), cmd.party_id, AccessionStatus.APPLIED, now)
    uow.membership.add(accession)
    uow.emit(
        events.PartyRegistered(
            party_id=cmd.party_id,
            name=cmd.name,
            kind=cmd.kind.value,
            status=PartyStatus.APPLICANT.value,
            status_since=iso(now),
        ),
        events.AccessionApplied(
            accession_id=accession.accession_id, party_id=cmd.party_id, applied_at=iso(now)
        ),
        # art. 20.3: the board's secretary informs all parties in advance.
        events.PartiesInformed(
            body=Body.REGIONAL_BOARD.value,
            subject_code="accession",
            decision_id=accession.accession_id,
            informed="all_parties",
        ),
    )
    uow.session.flush()
    return accession_view(uow, accession)


def approve_accession(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ApproveAccession, caller: Caller
) -> AccessionView:
    # Decided before the application is looked up: its existence is no oracle (the action does
    # not depend on the application's facts).
    authorise(deps, uow, caller, "approve_accession")  # the party's own delegate
    view = get_accession(uow, cmd.accession_id)
    view.accession.require(AccessionStatus.APPLIED, "the accession is not awaiting approvals")
    uow.membership.add_approval(
        view.accession.accession_id, caller.party, caller.person, deps.now()
    )
    return accession_view(uow, view.accession)


def record_accession_signature(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RecordAccessionSignature, caller: Caller
) -> AccessionView:
    check_reference(cmd.form_reference, "form_reference")
    authorise(deps, uow, caller, "record_accession_signature")  # before the lookup, as above
    view = get_accession(uow, cmd.accession_id)
    accession = view.accession
    accession.require(AccessionStatus.BOARD_APPROVED, "the board has not approved the accession")
    require_signed_form(cmd.signed_by_organisation, cmd.signed_by_board_chair)
    now = deps.now()
    party = uow.parties.get_for_update(accession.party_id)
    change_status(
        uow, party, PartyStatus.ACTIVE, JOIN_FROM, now, "accession", accession.accession_id
    )
    accession.status = AccessionStatus.JOINED
    accession.form_reference = cmd.form_reference
    accession.joined_at = now
    if uow.seats.get(delegate_seat(party.party_id).seat_id) is None:  # art. 6.3a
        uow.seats.add(delegate_seat(party.party_id))
    uow.session.flush()
    return accession_view(uow, accession)


# -- amendments and withdrawal (art. 21, 23.1) -------------------------------------------------


def _adopted_amendment(uow: GovernanceUnitOfWork, amendment_id: str, caller: Caller) -> Proposal:
    """The adopted amendment ``amendment_id``. Only an adopted amendment is every party's (all
    sign it, art. 21.2); any other proposal is the board's matter (5.5, not public): to a party
    with no part in it, answered as an id that names none, not by its kind or state."""
    proposal = get_proposal(uow, amendment_id, field="amendment_id")
    if not (proposal.kind is ProposalKind.AMENDMENT and proposal.status is ProposalStatus.ADOPTED):
        named = ("proposal", "amendment_id")
        refuse_outsider(uow, caller, proposal.body, proposal_parties(proposal), named)
    if proposal.kind is not ProposalKind.AMENDMENT:
        raise InvalidArgument("amendment_id", "not an amendment proposal")
    if proposal.status is not ProposalStatus.ADOPTED:
        raise FailedPrecondition(
            proposal.status.value,
            "the board has not adopted the amendment (art. 21.1)",
            subject="amendment.status",
        )
    return proposal


def amendment_signatures_missing(uow: GovernanceUnitOfWork, amendment_id: str) -> list[str]:
    """art. 21.2: the amended covenant is signed again by the parties."""
    return sorted(set(uow.parties.active_ids()) - set(uow.membership.signatures(amendment_id)))


def sign_amendment(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.SignAmendment, caller: Caller
) -> list[str]:
    # Decided before the amendment is looked up: to someone who may not sign, its existence is
    # no oracle (the action does not depend on the proposal's facts).
    authorise(deps, uow, caller, "sign_amendment")
    amendment = _adopted_amendment(uow, cmd.amendment_id, caller)
    uow.membership.add_signature(amendment.proposal_id, caller.party, caller.person, deps.now())
    return amendment_signatures_missing(uow, amendment.proposal_id)


def withdraw(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.Withdraw, caller: Caller) -> Withdrawal:
    check_reference(cmd.letter_reference, "letter_reference")
    now = deps.now()
    if cmd.amendment_id:
        # Decided first, as a signature is (the action does not depend on the amendment).
        authorise(deps, uow, caller, "withdraw")
        amendment = _adopted_amendment(uow, cmd.amendment_id, caller)
        effective_at = amendment.effective_at  # art. 21.3
        if cmd.effective_at is not None and cmd.effective_at != effective_at:
            raise InvalidArgument(
                "effective_at",
                "a withdrawal over an amendment takes effect "
                "when the amendment does (art. 21.3); leave it empty",
            )
    else:
        if cmd.effective_at is None:
            raise InvalidArgument(
                "effective_at",
                "required without amendment_id: the date the "
                "written termination takes effect (art. 23.1)",
            )
        effective_at = cmd.effective_at
        authorise(deps, uow, caller, "withdraw")
    party = active_party(uow, caller.party, "party")
    if uow.membership.withdrawal_of(party.party_id) is not None:
        raise FailedPrecondition(
            "withdrawal_pending",
            "the party has already withdrawn in writing",
            subject="party.withdrawal",
        )
    withdrawal = Withdrawal(
        new_id("wd"),
        party.party_id,
        cmd.amendment_id or None,
        cmd.letter_reference,
        effective_at,
        now,
    )
    uow.membership.add(withdrawal)
    uow.emit(
        events.WithdrawalAnnounced(
            withdrawal_id=withdrawal.withdrawal_id,
            party_id=party.party_id,
            amendment_id=cmd.amendment_id,
            effective_at=iso(effective_at),
        )
    )
    if withdrawal.due(now):
        _apply_withdrawal(uow, withdrawal)
    uow.session.flush()
    return withdrawal


def _apply_withdrawal(uow: GovernanceUnitOfWork, withdrawal: Withdrawal) -> None:
    party = uow.parties.get_for_update(withdrawal.party_id)
    if party.status in WITHDRAW_FROM:
        change_status(
            uow,
            party,
            PartyStatus.WITHDRAWN,
            WITHDRAW_FROM,
            withdrawal.effective_at,
            "withdrawal",
            withdrawal.withdrawal_id,
        )
    withdrawal.effective = True


def apply_due_withdrawals(uow: GovernanceUnitOfWork, now: datetime) -> int:
    """Withdrawals whose effective date has come take effect (art. 21.3); commits."""
    applied = 0
    for w in uow.membership.pending_withdrawals():
        if w.due(now):
            _apply_withdrawal(uow, w)
            applied += 1
    uow.commit()
    return applied


# -- notice of default and exclusion (art. 23.2) -----------------------------------------------


def record_notice_of_default(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RecordNoticeOfDefault, caller: Caller
) -> NoticeOfDefault:
    check_code(cmd.reason_code, "reason_code")
    party = active_party(uow, cmd.party_id, "party_id")
    authorise(deps, uow, caller, "record_notice_of_default")
    notice = NoticeOfDefault(
        new_id("nod"), party.party_id, cmd.reason_code, deps.now(), caller.party
    )
    uow.membership.add(notice)
    uow.emit(
        events.NoticeOfDefaultRecorded(
            notice_id=notice.notice_id,
            party_id=party.party_id,
            reason_code=cmd.reason_code,
            recorded_at=iso(notice.recorded_at),
        )
    )
    return notice


def exclude(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.Exclude, caller: Caller) -> ProposalView:
    """Put the exclusion of a party to the board (art. 23.2); it takes effect when decided."""
    return propose(
        deps,
        uow,
        c.Propose(
            body=Body.REGIONAL_BOARD,
            kind=ProposalKind.EXCLUSION,
            subject_code=cmd.subject_code or "exclusion",
            target_party=cmd.party_id,
        ),
        caller,
    )
