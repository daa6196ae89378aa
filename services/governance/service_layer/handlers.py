"""Governance use cases. Each takes a unit of work and a command, raises kernel errors and
emits events. Mutating handlers do NOT commit: the servicer runs them through
``execute_once``, which commits the effect and the stored response together (the seeding
helpers, which run outside a call, commit themselves).

"Who may do what" is asked of Rego (``zorgtafel.governance``) through ``ports.authorise``
with the facts gathered here; the covenant's counting rules are in ``domain``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.bodies import Body, Seat, delegate_seat, seats_from_covenant
from services.governance.domain.decisions import (KIND_BODIES, InputKind, Meeting, Proposal,
                                                  ProposalKind,
                                                  ProposalStatus, Tally, Vote, VoteChoice,
                                                  WrittenInput, check_code, check_id,
                                                  check_reference, check_seat_id, count_votes,
                                                  missing_input)
from services.governance.domain.disputes import Dispute, DisputeAbout, DisputeStatus
from services.governance.domain.membership import (Accession, AccessionStatus, NoticeOfDefault,
                                                   Withdrawal, missing_approvals,
                                                   require_all_approvals,
                                                   require_notice_of_default,
                                                   require_signed_form)
from services.governance.domain.parties import (EXCLUDE_FROM, JOIN_FROM, WITHDRAW_FROM, Party,
                                                PartyKind, PartyStatus, StatusChange, check_oin)
from services.governance.domain.policy import PolicyRevision
from services.governance.domain.report import AnnualReport, metric_of
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Ports:
    """What the handlers need from outside the domain."""
    # (action, facts) -> None, or raises PermissionDenied / Unavailable (Rego decides).
    authorise: Callable[[str, dict], None]
    # bundle bytes -> its revision; raises InvalidArgument when it is not a bundle.
    bundle_revision: Callable[[bytes], str] = lambda b: ""
    now: Callable[[], datetime] = utcnow


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def _iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat()


# -- parties -----------------------------------------------------------------------------------

def register_party(uow: GovernanceUnitOfWork, cmd: c.RegisterParty) -> bool:
    """Register a covenant party once; return False when it was already known."""
    check_oin(cmd.party_id)
    try:
        kind, status = PartyKind(cmd.kind), PartyStatus(cmd.status)
    except ValueError as exc:
        raise InvalidArgument("kind", "unknown party kind or status") from exc
    if uow.parties.get(cmd.party_id) is not None:
        return False
    now = utcnow()
    uow.parties.add(Party(cmd.party_id, cmd.name, kind, status, now))
    uow.parties.add_history(StatusChange(cmd.party_id, status, now, "covenant", ""))
    uow.emit(events.PartyRegistered(party_id=cmd.party_id, name=cmd.name, kind=kind.value,
                                    status=status.value, status_since=now.isoformat()))
    uow.commit()
    return True


def list_parties(uow: GovernanceUnitOfWork, kind: PartyKind | None,
                 status: PartyStatus | None) -> list[Party]:
    return uow.parties.list(kind, status)


def get_party(uow: GovernanceUnitOfWork, party_id: str) -> Party:
    check_oin(party_id)
    party = uow.parties.get(party_id)
    if party is None:
        raise NotFound("party", party_id)
    return party


def party_history(uow: GovernanceUnitOfWork, party_id: str) -> list[StatusChange]:
    get_party(uow, party_id)
    return uow.parties.history(party_id)


def party_status(uow: GovernanceUnitOfWork, party_id: str) -> str:
    party = uow.parties.get(party_id)
    return party.status.value if party else "unknown"


_STATUS_EVENTS = {PartyStatus.ACTIVE: events.PartyJoined, PartyStatus.WITHDRAWN:
                  events.PartyWithdrew, PartyStatus.EXCLUDED: events.PartyExcluded}


def _change_status(uow, party: Party, new: PartyStatus, allowed_from, at: datetime, cause: str,
                   reference: str) -> None:
    """A membership change: the party row, its history and the event every service projects
    (an excluded or withdrawn party loses access everywhere, art. 21.3, 23.2)."""
    party.change_status(new, at, allowed_from)
    uow.parties.add_history(StatusChange(party.party_id, new, at, cause, reference))
    if new in (PartyStatus.EXCLUDED, PartyStatus.WITHDRAWN):
        for seat in uow.seats.held_on_behalf_of(party.party_id):  # its people leave the bodies
            seat.vacate()
    uow.emit(_STATUS_EVENTS[new](party_id=party.party_id, name=party.name,
                                 kind=party.kind.value, status=new.value,
                                 status_since=_iso(at)))


# -- bodies and seats --------------------------------------------------------------------------

def seed_seats(uow: GovernanceUnitOfWork, bodies: dict) -> int:
    """Create the covenant's seats that do not exist yet (safe to repeat); commits."""
    existing = uow.seats.ids()
    parties = [p.party_id for p in uow.parties.list()]
    added = 0
    for seat in seats_from_covenant(bodies, parties):
        if seat.seat_id not in existing:
            uow.seats.add(seat)
            added += 1
    uow.commit()
    return added


def list_seats(uow: GovernanceUnitOfWork, body: Body | None) -> list[Seat]:
    return uow.seats.list(body)


def _seat_facts(seat: Seat) -> dict:
    return {"seat_id": seat.seat_id, "body": seat.body.value, "role": seat.role,
            "held_by_party": seat.held_by_party, "holder_party": seat.holder_party,
            "holder_person": seat.holder_person}


def _held(uow, actor: c.Actor) -> list[dict]:
    return [_seat_facts(s) for s in uow.seats.held_by(actor.person, actor.party)]


def _facts(uow, actor: c.Actor, **more) -> dict:
    return {"principal": {"party": actor.party, "person": actor.person, "role": actor.role,
                          "party_status": actor.party_status},
            "seats_held": _held(uow, actor), **more}


def assign_seat(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                cmd: c.AssignSeat) -> Seat:
    check_seat_id(cmd.seat_id)
    seat = uow.seats.get(cmd.seat_id)
    if seat is None:
        raise NotFound("seat", cmd.seat_id)
    ports.authorise("assign_seat", _facts(uow, actor, seat=_seat_facts(seat)))
    seat.assign(actor.person, actor.party, ports.now())
    return seat


# -- proposals, votes, decisions ---------------------------------------------------------------

def _enum(cls, value: str, field_name: str):
    try:
        return cls(value)
    except ValueError as exc:
        raise InvalidArgument(field_name, "required: one of "
                              + ", ".join(m.value for m in cls)) from exc


def _active_party(uow, party_id: str, field_name: str) -> Party:
    check_oin(party_id, field_name)
    party = uow.parties.get(party_id)
    if party is None:
        raise NotFound("party", party_id)
    if party.status is not PartyStatus.ACTIVE:
        raise FailedPrecondition(party.status.value, "the party is not active",
                                 subject=f"{field_name}.status")
    return party


def propose(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor, cmd: c.Propose) -> Proposal:
    body = _enum(Body, cmd.body, "body")
    kind = _enum(ProposalKind, cmd.kind, "kind")
    check_code(cmd.subject_code, "subject_code")
    if body not in KIND_BODIES[kind]:
        raise InvalidArgument("body", f"a {kind.value} proposal is decided by "
                              + " or ".join(sorted(b.value for b in KIND_BODIES[kind])))
    affects = sorted(set(cmd.significantly_affects))
    for i, p in enumerate(affects):
        check_oin(p, f"significantly_affects[{i}]")
        if uow.parties.get(p) is None:
            raise NotFound("party", p)
    ports.authorise("propose", _facts(uow, actor, body=body.value, kind=kind.value))
    now = ports.now()
    proposal = Proposal(proposal_id=new_id("prop"), body=body, kind=kind,
                        subject_code=cmd.subject_code, proposed_by_party=actor.party,
                        proposed_at=now)
    if kind is ProposalKind.EXCLUSION:
        target = _active_party(uow, cmd.target_party, "target_party")
        require_notice_of_default(uow.membership.notices(target.party_id))  # art. 23.2
        proposal.target_party = target.party_id
        affects = sorted(set(affects) | {target.party_id})  # it is affected (5.3)
    elif kind is ProposalKind.ACCESSION:
        accession = uow.membership.accession(check_id(cmd.accession_id, "accession_id"))
        if accession is None:
            raise NotFound("accession", cmd.accession_id)
        accession.require(AccessionStatus.APPLIED, "the accession is not awaiting a decision")
        proposal.accession_id = accession.accession_id
    elif kind is ProposalKind.AMENDMENT:
        if cmd.effective_at is None:
            raise InvalidArgument("effective_at", "required: when the amended covenant takes "
                                  "effect (art. 21.3)")
        proposal.effective_at = cmd.effective_at
    elif kind is ProposalKind.WORK_PROCESS:
        check_code(cmd.work_process_version, "work_process_version")
        check_reference(cmd.policy_revision, "policy_revision")
        proposal.work_process_version = cmd.work_process_version
        proposal.policy_revision = cmd.policy_revision
    if cmd.meeting_id:
        meeting = get_meeting(uow, cmd.meeting_id)
        if meeting.body is not body:
            raise InvalidArgument("meeting_id", "the meeting is of another body")
        proposal.meeting_id = meeting.meeting_id
    proposal.significantly_affects = affects
    uow.proposals.add(proposal)
    return proposal


def get_meeting(uow: GovernanceUnitOfWork, meeting_id: str) -> Meeting:
    check_id(meeting_id, "meeting_id")
    meeting = uow.proposals.meeting(meeting_id)
    if meeting is None:
        raise NotFound("meeting", meeting_id)
    return meeting


def schedule_meeting(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                     cmd: c.ScheduleMeeting) -> Meeting:
    body = _enum(Body, cmd.body, "body")
    if body is Body.MANAGERS:
        raise InvalidArgument("body", "meetings are held by the regional board (4.2) and the "
                              "partner council (6.2)")
    if cmd.scheduled_for is None:
        raise InvalidArgument("scheduled_for", "required")
    ports.authorise("schedule_meeting", _facts(uow, actor, body=body.value))
    now = ports.now()
    meeting = Meeting(new_id("mtg"), body, cmd.scheduled_for, actor.party, now)
    uow.proposals.add(meeting)
    return meeting


def record_attendance(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                      cmd: c.RecordAttendance) -> Meeting:
    meeting = get_meeting(uow, cmd.meeting_id)
    if len(cmd.present) > 200:
        raise InvalidArgument("present", "at most 200 parties")
    for i, p in enumerate(cmd.present):
        check_oin(p, f"present[{i}]")
        if uow.parties.get(p) is None:
            raise NotFound("party", p)
    ports.authorise("record_attendance", _facts(uow, actor, body=meeting.body.value))
    uow.proposals.add_attendance(meeting.meeting_id, cmd.present)
    return meeting


def get_proposal(uow: GovernanceUnitOfWork, proposal_id: str, *, for_update: bool = False,
                 field_name: str = "proposal_id") -> Proposal:
    check_id(proposal_id, field_name)
    proposal = uow.proposals.get(proposal_id, for_update=for_update)
    if proposal is None:
        raise NotFound("proposal", proposal_id)
    return proposal


def proposal_inputs(uow: GovernanceUnitOfWork, proposal_id: str) -> list[str]:
    return [w.party_id for w in uow.proposals.inputs(proposal_id)]


def tally(uow: GovernanceUnitOfWork, proposal_id: str) -> Tally:
    return Tally.of(v.choice for v in uow.proposals.votes(proposal_id))


def cast_vote(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor, cmd: c.CastVote) -> Tally:
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True)
    choice = _enum(VoteChoice, cmd.choice, "choice")
    seat = uow.seats.get(check_seat_id(cmd.seat_id))
    if seat is None:
        raise NotFound("seat", cmd.seat_id)
    # Only a holder of a voting seat of this body votes, from that seat (Rego decides).
    ports.authorise("cast_vote", _facts(uow, actor, body=proposal.body.value,
                                        seat=_seat_facts(seat)))
    proposal.require_open()
    if uow.proposals.vote(proposal.proposal_id, seat.seat_id) is not None:
        raise FailedPrecondition("already_voted", "this seat has already voted on the proposal",
                                 subject="vote.seat")
    uow.proposals.add_vote(Vote(proposal.proposal_id, seat.seat_id, actor.party, actor.person,
                                choice, ports.now()))
    uow.session.flush()
    return tally(uow, proposal.proposal_id)


def record_written_input(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                         cmd: c.RecordWrittenInput) -> Proposal:
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True)
    kind = _enum(InputKind, cmd.kind, "kind")
    party_id = cmd.party_id or actor.party
    check_oin(party_id, "party_id")
    if uow.parties.get(party_id) is None:
        raise NotFound("party", party_id)
    ports.authorise("record_written_input", _facts(uow, actor, body=proposal.body.value,
                                                   party=party_id, kind=kind.value))
    proposal.require_open()
    uow.proposals.add_input(WrittenInput(proposal.proposal_id, party_id, kind, actor.person,
                                         ports.now()))
    uow.session.flush()
    return proposal


@dataclass
class DecideResult:
    proposal: Proposal
    referral: Proposal | None = None


_INFORMED = {Body.REGIONAL_BOARD: "partner_council",   # art. 5.4
             Body.PARTNER_COUNCIL: "regional_board",   # art. 7.4
             Body.MANAGERS: "partner_council"}


def decide(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor, cmd: c.Decide) -> DecideResult:
    proposal = get_proposal(uow, cmd.proposal_id, for_update=True)
    ports.authorise("decide", _facts(uow, actor, body=proposal.body.value))
    proposal.require_open()
    votes = uow.proposals.votes(proposal.proposal_id)
    # art. 5.3 / 7.2: no decision that may significantly affect an absent party without its
    # written input or a hearing. Present: attended the proposal's meeting, or voted.
    present = {v.party_id for v in votes}
    if proposal.meeting_id:
        present |= set(uow.proposals.attendance(proposal.meeting_id))
    missing = missing_input(proposal.significantly_affects, present,
                            proposal_inputs(uow, proposal.proposal_id))
    if missing:
        article = "5.3" if proposal.body is Body.REGIONAL_BOARD else "7.2"
        raise FailedPrecondition(
            "written_input_missing",
            f"art. {article}: the proposal may significantly affect absent parties that have "
            f"neither given written input nor been heard: {', '.join(missing)}",
            subject="proposal.written_input")
    accession = None
    if proposal.kind is ProposalKind.ACCESSION:
        accession = uow.membership.accession(proposal.accession_id)
        accession.require(AccessionStatus.APPLIED, "the accession is not awaiting a decision")
        # art. 20.4: only after the approval of all parties.
        require_all_approvals(uow.parties.active_ids(),
                              uow.membership.approvals(accession.accession_id))
    target = None
    if proposal.kind is ProposalKind.EXCLUSION:
        target = uow.parties.get_for_update(proposal.target_party)
        # art. 23.2: a notice of default recorded before the decision.
        require_notice_of_default(uow.membership.notices(target.party_id))
    now = ports.now()
    outcome = count_votes(proposal.body, Tally.of(v.choice for v in votes))
    decision_id = new_id("dec")
    proposal.record(outcome, decision_id, now)
    result = DecideResult(proposal)
    if outcome.status is ProposalStatus.REFERRED:  # art. 7.3
        referral = proposal.referral(new_id("prop"), now)
        proposal.referred_to = referral.proposal_id
        uow.proposals.add(referral)
        result.referral = referral
    elif outcome.status is ProposalStatus.ADOPTED:
        if accession is not None:
            accession.status = AccessionStatus.BOARD_APPROVED
            accession.decision_id = decision_id
        if target is not None:  # art. 23.2: immediate effect
            _change_status(uow, target, PartyStatus.EXCLUDED, EXCLUDE_FROM, now, "exclusion",
                           decision_id)
    elif accession is not None:
        accession.status = AccessionStatus.REFUSED
        accession.decision_id = decision_id
    uow.emit(events.DecisionTaken(decision_id=decision_id, body=proposal.body.value,
                                  proposal_id=proposal.proposal_id, kind=proposal.kind.value,
                                  outcome=outcome.status.value, consensus=outcome.consensus,
                                  binding=outcome.binding, decided_at=_iso(now)),
             events.PartiesInformed(body=proposal.body.value, subject_code=proposal.subject_code,
                                    decision_id=decision_id,
                                    informed=_INFORMED[proposal.body]))  # 5.4 / 7.4
    return result


# -- accession (art. 20) -----------------------------------------------------------------------

@dataclass
class AccessionView:
    accession: Accession
    approved_by: list[str]
    missing: list[str]


def accession_view(uow: GovernanceUnitOfWork, accession: Accession) -> AccessionView:
    approved = uow.membership.approvals(accession.accession_id)
    missing = (missing_approvals(uow.parties.active_ids(), approved)
               if accession.status is AccessionStatus.APPLIED else [])
    return AccessionView(accession, approved, missing)


def get_accession(uow: GovernanceUnitOfWork, accession_id: str) -> AccessionView:
    check_id(accession_id, "accession_id")
    accession = uow.membership.accession(accession_id)
    if accession is None:
        raise NotFound("accession", accession_id)
    return accession_view(uow, accession)


def apply_accession(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                    cmd: c.ApplyAccession) -> AccessionView:
    check_oin(cmd.party_id)
    if not cmd.name or len(cmd.name) > 200:
        raise InvalidArgument("name", "required, at most 200 characters")
    kind = _enum(PartyKind, cmd.kind, "kind")
    ports.authorise("apply_accession", _facts(uow, actor))  # art. 20.2: via the managers
    if uow.parties.get(cmd.party_id) is not None:
        raise FailedPrecondition("party_known", "the organisation is already a party or an "
                                 "applicant", subject="party_id")
    now = ports.now()
    uow.parties.add(Party(cmd.party_id, cmd.name, kind, PartyStatus.APPLICANT, now))
    uow.parties.add_history(StatusChange(cmd.party_id, PartyStatus.APPLICANT, now, "accession",
                                         ""))
    accession = Accession(new_id("acc"), cmd.party_id, AccessionStatus.APPLIED, now)
    uow.membership.add(accession)
    uow.emit(events.PartyRegistered(party_id=cmd.party_id, name=cmd.name, kind=kind.value,
                                    status=PartyStatus.APPLICANT.value, status_since=_iso(now)),
             events.AccessionApplied(accession_id=accession.accession_id,
                                     party_id=cmd.party_id, applied_at=_iso(now)),
             # art. 20.3: the board's secretary informs all parties in advance.
             events.PartiesInformed(body=Body.REGIONAL_BOARD.value, subject_code="accession",
                                    decision_id=accession.accession_id, informed="all_parties"))
    uow.session.flush()
    return accession_view(uow, accession)


def approve_accession(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                      cmd: c.ApproveAccession) -> AccessionView:
    view = get_accession(uow, cmd.accession_id)
    ports.authorise("approve_accession", _facts(uow, actor))  # the party's own delegate
    view.accession.require(AccessionStatus.APPLIED, "the accession is not awaiting approvals")
    uow.membership.add_approval(view.accession.accession_id, actor.party, actor.person,
                                ports.now())
    return accession_view(uow, view.accession)


def record_accession_signature(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                               cmd: c.RecordAccessionSignature) -> AccessionView:
    view = get_accession(uow, cmd.accession_id)
    check_reference(cmd.form_reference, "form_reference")
    ports.authorise("record_accession_signature", _facts(uow, actor))
    accession = view.accession
    accession.require(AccessionStatus.BOARD_APPROVED, "the board has not approved the accession")
    require_signed_form(cmd.signed_by_organisation, cmd.signed_by_board_chair)
    now = ports.now()
    party = uow.parties.get_for_update(accession.party_id)
    _change_status(uow, party, PartyStatus.ACTIVE, JOIN_FROM, now, "accession",
                   accession.accession_id)
    accession.status = AccessionStatus.JOINED
    accession.form_reference = cmd.form_reference
    accession.joined_at = now
    if uow.seats.get(delegate_seat(party.party_id).seat_id) is None:  # art. 6.3a
        uow.seats.add(delegate_seat(party.party_id))
    return accession_view(uow, accession)


# -- amendments and withdrawal (art. 21, 23.1) -------------------------------------------------

def _adopted_amendment(uow, amendment_id: str) -> Proposal:
    proposal = get_proposal(uow, amendment_id, field_name="amendment_id")
    if proposal.kind is not ProposalKind.AMENDMENT:
        raise InvalidArgument("amendment_id", "not an amendment proposal")
    if proposal.status is not ProposalStatus.ADOPTED:
        raise FailedPrecondition(proposal.status.value, "the board has not adopted the "
                                 "amendment (art. 21.1)", subject="amendment.status")
    return proposal


def sign_amendment(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                   cmd: c.SignAmendment) -> list[str]:
    amendment = _adopted_amendment(uow, cmd.amendment_id)
    ports.authorise("sign_amendment", _facts(uow, actor))
    uow.membership.add_signature(amendment.proposal_id, actor.party, actor.person, ports.now())
    return amendment_signatures_missing(uow, amendment.proposal_id)


def amendment_signatures_missing(uow: GovernanceUnitOfWork, amendment_id: str) -> list[str]:
    """art. 21.2: the amended covenant is signed again by the parties."""
    return sorted(set(uow.parties.active_ids()) - set(uow.membership.signatures(amendment_id)))


def withdraw(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
             cmd: c.Withdraw) -> Withdrawal:
    check_reference(cmd.letter_reference, "letter_reference")
    now = ports.now()
    if cmd.amendment_id:
        amendment = _adopted_amendment(uow, cmd.amendment_id)
        effective_at = amendment.effective_at  # art. 21.3
        if cmd.effective_at is not None and cmd.effective_at != effective_at:
            raise InvalidArgument("effective_at", "a withdrawal over an amendment takes effect "
                                  "when the amendment does (art. 21.3); leave it empty")
    else:
        if cmd.effective_at is None:
            raise InvalidArgument("effective_at", "required without amendment_id: the date the "
                                  "written termination takes effect (art. 23.1)")
        effective_at = cmd.effective_at
    ports.authorise("withdraw", _facts(uow, actor))
    party = _active_party(uow, actor.party, "party")
    if uow.membership.withdrawal_of(party.party_id) is not None:
        raise FailedPrecondition("withdrawal_pending", "the party has already withdrawn in "
                                 "writing", subject="party.withdrawal")
    withdrawal = Withdrawal(new_id("wd"), party.party_id, cmd.amendment_id or None,
                            cmd.letter_reference, effective_at, now)
    uow.membership.add(withdrawal)
    uow.emit(events.WithdrawalAnnounced(withdrawal_id=withdrawal.withdrawal_id,
                                        party_id=party.party_id,
                                        amendment_id=cmd.amendment_id,
                                        effective_at=_iso(effective_at)))
    if withdrawal.due(now):
        _apply_withdrawal(uow, withdrawal, now)
    uow.session.flush()
    return withdrawal


def _apply_withdrawal(uow, withdrawal: Withdrawal, now: datetime) -> None:
    party = uow.parties.get_for_update(withdrawal.party_id)
    if party.status in WITHDRAW_FROM:
        _change_status(uow, party, PartyStatus.WITHDRAWN, WITHDRAW_FROM, withdrawal.effective_at,
                       "withdrawal", withdrawal.withdrawal_id)
    withdrawal.effective = True


def apply_due_withdrawals(uow: GovernanceUnitOfWork, now: datetime) -> int:
    """Withdrawals whose effective date has come take effect (art. 21.3); commits."""
    applied = 0
    for w in uow.membership.pending_withdrawals():
        if w.due(now):
            _apply_withdrawal(uow, w, now)
            applied += 1
    uow.commit()
    return applied


# -- notice of default and exclusion (art. 23.2) -----------------------------------------------

def record_notice_of_default(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                             cmd: c.RecordNoticeOfDefault) -> NoticeOfDefault:
    check_code(cmd.reason_code, "reason_code")
    party = _active_party(uow, cmd.party_id, "party_id")
    ports.authorise("record_notice_of_default", _facts(uow, actor))
    notice = NoticeOfDefault(new_id("nod"), party.party_id, cmd.reason_code, ports.now(),
                             actor.party)
    uow.membership.add(notice)
    uow.emit(events.NoticeOfDefaultRecorded(notice_id=notice.notice_id, party_id=party.party_id,
                                            reason_code=cmd.reason_code,
                                            recorded_at=_iso(notice.recorded_at)))
    return notice


def exclude(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor, party_id: str,
            subject_code: str) -> Proposal:
    """Put the exclusion of a party to the board (art. 23.2); it takes effect when decided."""
    return propose(uow, ports, actor, c.Propose(
        body=Body.REGIONAL_BOARD.value, kind=ProposalKind.EXCLUSION.value,
        subject_code=subject_code or "exclusion", target_party=party_id))


# -- disputes (art. 11.4, 12.4, 13.4) ----------------------------------------------------------

def _dispute_event(d: Dispute) -> events.DisputeChanged:
    return events.DisputeChanged(dispute_id=d.dispute_id, about=d.about.value,
                                 forum=d.forum.value, status=d.status.value)


def get_dispute(uow: GovernanceUnitOfWork, dispute_id: str) -> Dispute:
    check_id(dispute_id, "dispute_id")
    dispute = uow.disputes.get(dispute_id)
    if dispute is None:
        raise NotFound("dispute", dispute_id)
    return dispute


def register_dispute(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                     cmd: c.RegisterDispute) -> Dispute:
    about = _enum(DisputeAbout, cmd.about, "about")
    if cmd.case_id:
        check_reference(cmd.case_id, "case_id")
    now = ports.now()
    dispute = Dispute(new_id("dsp"), about, cmd.case_id or None, 0, DisputeStatus.OPEN,
                      actor.party, now, now)
    uow.disputes.add(dispute)
    uow.emit(_dispute_event(dispute))
    return dispute


def escalate_dispute(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                     cmd: c.EscalateDispute) -> Dispute:
    dispute = get_dispute(uow, cmd.dispute_id)
    # The forum holding the dispute takes it further (13.4: the process director; 12.4: the
    # managers).
    ports.authorise("escalate_dispute", _facts(uow, actor, forum=dispute.forum.value))
    dispute.escalate(ports.now())
    uow.emit(_dispute_event(dispute))
    return dispute


def resolve_dispute(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                    cmd: c.ResolveDispute) -> Dispute:
    dispute = get_dispute(uow, cmd.dispute_id)
    check_code(cmd.resolution_code, "resolution_code")
    ports.authorise("resolve_dispute", _facts(uow, actor, forum=dispute.forum.value))
    dispute.resolve(cmd.resolution_code, ports.now())
    uow.emit(_dispute_event(dispute))
    return dispute


# -- work process and policy revisions (art. 6.6c, 11.3a) --------------------------------------

def adopt_policy_revision(uow: GovernanceUnitOfWork, ports: Ports, actor: c.Actor,
                          cmd: c.AdoptPolicyRevision) -> PolicyRevision:
    proposal = get_proposal(uow, cmd.proposal_id)
    if proposal.kind is not ProposalKind.WORK_PROCESS:
        raise InvalidArgument("proposal_id", "not a work-process proposal")
    if not cmd.bundle:
        raise InvalidArgument("bundle", "required: the OPA bundle (.tar.gz)")
    revision = ports.bundle_revision(cmd.bundle)
    ports.authorise("adopt_policy_revision", _facts(uow, actor))
    if proposal.status is not ProposalStatus.ADOPTED:
        raise FailedPrecondition(proposal.status.value, "the work process has not been adopted "
                                 "by a decision (art. 6.6c, 11.3a)", subject="proposal.status")
    if revision != proposal.policy_revision:
        raise FailedPrecondition("revision_mismatch", "the bundle's revision is not the one the "
                                 "decision names", subject="bundle.revision")
    if uow.policies.get(revision) is not None:
        raise FailedPrecondition("already_adopted", "this revision is already adopted",
                                 subject="bundle.revision")
    now = ports.now()
    adopted = PolicyRevision(revision, proposal.work_process_version, proposal.proposal_id,
                             proposal.decision_id, cmd.bundle, now, actor.party)
    uow.policies.add(adopted)
    uow.emit(events.PolicyRevisionAdopted(revision=revision,
                                          work_process_version=adopted.work_process_version,
                                          decision_id=adopted.decision_id, adopted_at=_iso(now)),
             # art. 6.6c: a copy of the adopted work process goes to all parties.
             events.PartiesInformed(body=proposal.body.value, subject_code=proposal.subject_code,
                                    decision_id=adopted.decision_id, informed="all_parties"))
    uow.session.flush()
    return adopted


def latest_policy_revision(uow: GovernanceUnitOfWork) -> PolicyRevision | None:
    return uow.policies.latest()


# -- annual report (art. 11.3d) ----------------------------------------------------------------

def _year_of(event) -> int:
    for key in ("decided_at", "closed_at", "opened_at"):
        value = event.data.get(key) if hasattr(event.data, "get") else None
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value).astimezone(timezone.utc).year
            except ValueError:
                pass
    if event.time is not None:
        return event.time.astimezone(timezone.utc).year
    return utcnow().year


def count_event(uow: GovernanceUnitOfWork, event) -> None:
    """Consumer: add the event to this year's counters; nothing identifying is kept."""
    metric = metric_of(event.type, event.data)
    if metric is not None:
        uow.counters.increment(_year_of(event), metric)


def annual_report(uow: GovernanceUnitOfWork, year: int) -> AnnualReport:
    if not 2000 <= year <= 2200:
        raise InvalidArgument("year", "required: a year between 2000 and 2200")
    return AnnualReport.from_counters(year, uow.counters.for_year(year))


def forget_case(uow: GovernanceUnitOfWork, case_id: str) -> None:
    """A purged case (casework CASE_PURGED): governance drops every reference to its id (the
    inbox rows and disputes' case reference); the annual counters never held it."""
    if not case_id:
        return
    from sqlalchemy import delete, update
    inbox = uow.tables["processed_events"]
    uow.session.execute(delete(inbox).where(inbox.c.case_id == case_id))
    t = uow.tables["disputes"]
    uow.session.execute(update(t).where(t.c.case_id == case_id).values(case_id=None))
