"""What several governance use cases share: ids, the policy question and its facts, finding a
proposal or an active party, and a party's change of membership status."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import events
from services.governance.domain.bodies import Body, Seat
from services.governance.domain.decisions import Meeting, Proposal
from services.governance.domain.formats import check_issued_id
from services.governance.domain.membership import Accession
from services.governance.domain.parties import Party, PartyStatus, StatusChange
from services.governance.domain.roster import PROCESS_DIRECTOR
from services.governance.service_layer.deps import Deps
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import (
    FailedPrecondition,
    NotFound,
    NotShared,
    PermissionDenied,
    Unavailable,
)
from zorgtafel.kernel.events import next_decision_time
from zorgtafel.kernel.validate import check_oin, same_person
from zorgtafel.policy.decision import Decision

POLICY = "zorgtafel.governance"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def iso(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat()


# -- the policy question -------------------------------------------------------------------------


def seat_facts(seat: Seat) -> dict[str, Any]:
    return {
        "seat_id": seat.seat_id,
        "body": seat.body.value,
        "role": seat.role,
        "held_by_party": seat.held_by_party,
        "holder_party": seat.holder_party,
        "holder_person": seat.holder_person,
    }


def functions_of(uow: GovernanceUnitOfWork, party: str, person: str) -> list[str]:
    """The Zorgtafel functions this person holds by appointment, from governance's own tables
    (not the token's role): a managers seat (art. 11.2), a designation by the managers (12.1)."""
    held: set[str] = {f for s in uow.seats.held_by(person, party) if (f := s.function) is not None}
    if uow.roster.get(party, person) is not None:
        held.add(PROCESS_DIRECTOR)
    return sorted(held)


def roster_changed(
    function: str, holder: tuple[str, str], held: bool, at: datetime
) -> events.RosterChanged:
    party, person = holder
    return events.RosterChanged(
        function=function, party=party, person=person, held=held, changed_at=iso(at)
    )


def seat_holder_changed(
    uow: GovernanceUnitOfWork, seat: Seat, before: tuple[str, str] | None, at: datetime
) -> None:
    """A managers seat that got or lost a holder changes the roster every service keeps. The
    same holder in other case is no change ("Mgr-1" is mgr-1, validate.same_person): every
    roster applies an end to the person in any case, so an end and an appointment of one
    person at one time, applied in the other order, would take the manager off it."""
    after = seat.holder
    if seat.function is None or before == after:
        return
    if before and after and before[0] == after[0] and same_person(before[1], after[1]):
        return
    if before is not None:
        uow.emit(roster_changed(seat.function, before, False, at))
    if after is not None:
        uow.emit(roster_changed(seat.function, after, True, at))


def _policy_input(
    uow: GovernanceUnitOfWork, caller: Caller, action: str, **facts: Any
) -> dict[str, Any]:
    # The policy's input schema has exactly these principal fields (no authenticated_by).
    principal = {
        "party": caller.party,
        "person": caller.person,
        "role": caller.role,
        "party_status": caller.party_status,
        "functions": functions_of(uow, caller.party, caller.person),
    }
    held = [seat_facts(s) for s in uow.seats.held_by(caller.person, caller.party)]
    return {"action": action, "principal": principal, "seats_held": held, **facts}


def authorise(
    deps: Deps, uow: GovernanceUnitOfWork, caller: Caller, action: str, **facts: Any
) -> Decision:
    """Ask ``zorgtafel.governance`` whether this person, acting from the seats it holds, may do
    this: the allowing decision (a read's access-log record names it), PERMISSION_DENIED with
    the policy's reasons, UNAVAILABLE when it cannot answer."""
    return deps.policy.require(POLICY, _policy_input(uow, caller, action, **facts))


def as_for_an_outsider(
    deps: Deps, uow: GovernanceUnitOfWork, caller: Caller, action: str, **facts: Any
) -> None:
    """The decision a refusal of a real matter costs a caller with no part in it, asked of the
    engine on a stand-in (``facts``: one nobody has a part in) for an id that names none, so
    that the refusal takes the time it takes for a real one (no oracle by its time either). Its
    answer is not used (the caller is refused as for an unknown id whatever it says), nor
    counted, nor noted for the access log; an engine that gives none is UNAVAILABLE here as
    for a real one (``PolicyGate.decide``)."""
    try:
        deps.policy.engine.decide(POLICY, _policy_input(uow, caller, action, **facts))
    except Exception as exc:  # noqa: BLE001 - any engine failure, as the gate answers it
        raise Unavailable(f"policy {POLICY} unavailable: denied (fail closed)") from exc


@dataclass(frozen=True)
class StandIn:
    """What an id that names nothing costs its caller before the one answer: the decision
    ``action`` that refuses a real matter to a caller with no part in it, asked on a stand-in
    (``facts``: a matter nobody has a part in) by ``as_for_an_outsider``. Given to a lookup by
    id by a use case whose refusal of an outsider is that decision's, so that an outsider
    cannot tell a real id from one never given out by the time its refusal takes; a use case
    that refuses an outsider before any decision gives none."""

    deps: Deps
    caller: Caller
    action: str
    facts: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def refuse(self, uow: GovernanceUnitOfWork, named: tuple[str, str]) -> NotShared:
        as_for_an_outsider(self.deps, uow, self.caller, self.action, **self.facts)
        return not_shared(*named)


def unknown(
    uow: GovernanceUnitOfWork, named: tuple[str, str], stand_in: StandIn | None
) -> NotShared:
    """The one answer to an id that names nothing (``not_shared``), after what a real one's
    refusal costs (``stand_in``)."""
    return stand_in.refuse(uow, named) if stand_in is not None else not_shared(*named)


def has_part(
    uow: GovernanceUnitOfWork, caller: Caller, body: Body, parties: tuple[str | None, ...] = ()
) -> bool:
    """Whether the caller's party has a part in a matter of ``body``: it has a seat in the body
    (its own, or one its person holds), or is one of ``parties`` (the meeting's organiser; the
    proposal's proposer, its target or a party it significantly affects, 5.3, 7.2). Only such a
    party may learn that the matter exists (art. 5.5, 7.5: not public); its people are told the
    policy's reasons."""
    party = caller.party
    if not party:
        return False
    if party in parties:
        return True
    return any(party in (s.held_by_party, s.holder_party) for s in uow.seats.list([body]))


def meeting_parties(meeting: Meeting) -> tuple[str | None, ...]:
    return (meeting.scheduled_by_party,)


def proposal_parties(proposal: Proposal) -> tuple[str | None, ...]:
    return (proposal.proposed_by_party, proposal.target_party, *proposal.significantly_affects)


def not_shared(what: str, field: str, decided: PermissionDenied | None = None) -> NotShared:
    """The one answer to an id of a body's meeting or proposal that names none and to one of a
    matter the caller's party has no part in (``has_part``): alike, so that an id is no oracle
    (art. 5.5, 7.5, 8.4c; the policy's refusal, ``decided``, is kept for the access log)."""
    return NotShared(what, field, decided)


def refuse_outsider(
    uow: GovernanceUnitOfWork,
    caller: Caller,
    body: Body,
    parties: tuple[str | None, ...],
    named: tuple[str, str],
    decided: PermissionDenied | None = None,
) -> None:
    """``not_shared`` when the caller's party has no part in the matter; nothing otherwise."""
    if not has_part(uow, caller, body, parties):
        raise not_shared(*named, decided) from None


def authorise_in_body(
    deps: Deps,
    uow: GovernanceUnitOfWork,
    caller: Caller,
    action: str,
    body: Body,
    parties: tuple[str | None, ...],
    named: tuple[str, str],
    **facts: Any,
) -> Decision:
    """``authorise`` on a matter of ``body`` named by an id (``named``: what and which field):
    a party with a part in it is told the policy's reasons, anyone else what an id that names
    nothing is told (``refuse_outsider``)."""
    try:
        return authorise(deps, uow, caller, action, body=body.value, **facts)
    except PermissionDenied as denied:
        refuse_outsider(uow, caller, body, parties, named, denied)
        raise


def decided_by(decision: Decision) -> None:
    """The read being served was allowed by this decision of ``zorgtafel.governance``: its
    access-log record names it (id, revision, input digest) instead of the call's authz decision."""
    saw(decision=decision)


# -- lookups -----------------------------------------------------------------------------------


PROPOSAL = ("proposal", "proposal_id")


def get_proposal(
    uow: GovernanceUnitOfWork,
    proposal_id: str,
    *,
    for_update: bool = False,
    field: str = "proposal_id",
    stand_in: StandIn | None = None,
) -> Proposal:
    """The proposal ``proposal_id``; when there is none, what a party with no part in a real
    one is told (``unknown``)."""
    check_issued_id(proposal_id, field)
    proposal = uow.proposals.get(proposal_id, for_update=for_update)
    if proposal is None:
        raise unknown(uow, ("proposal", field), stand_in)
    return proposal


ACCESSION = ("accession", "accession_id")


def find_accession(
    uow: GovernanceUnitOfWork, accession_id: str, stand_in: StandIn | None = None
) -> Accession:
    """The application ``accession_id``; when there is none, what a party with no part in a
    real one is told (``unknown``): an id is no oracle of an organisation's application."""
    check_issued_id(accession_id, "accession_id")
    accession = uow.membership.accession(accession_id)
    if accession is None:
        raise unknown(uow, ACCESSION, stand_in)
    return accession


def proposal_inputs(uow: GovernanceUnitOfWork, proposal_id: str) -> list[str]:
    return [w.party_id for w in uow.proposals.inputs(proposal_id)]


def known_party(
    uow: GovernanceUnitOfWork, party_id: str, field: str = "party_id", *, lock: bool = False
) -> Party:
    """The party; ``lock``: its row locked until the transaction ends (its status changes and
    its roster's are decided one after the other)."""
    check_oin(party_id, field)
    party = uow.parties.get_for_update(party_id) if lock else uow.parties.get(party_id)
    if party is None:
        raise NotFound("party", party_id)
    return party


def active_party(
    uow: GovernanceUnitOfWork, party_id: str, field: str, *, lock: bool = False
) -> Party:
    party = known_party(uow, party_id, field, lock=lock)
    if party.status is not PartyStatus.ACTIVE:
        raise FailedPrecondition(
            party.status.value, "the party is not active", subject=f"{field}.status"
        )
    return party


# -- membership status -------------------------------------------------------------------------

_STATUS_EVENTS = {
    PartyStatus.ACTIVE: events.PartyJoined,
    PartyStatus.WITHDRAWN: events.PartyWithdrew,
    PartyStatus.EXCLUDED: events.PartyExcluded,
}


def change_status(
    uow: GovernanceUnitOfWork,
    party: Party,
    new: PartyStatus,
    allowed_from: set[PartyStatus],
    at: datetime,
    cause: str,
    reference: str,
) -> None:
    """A membership change: the party row, its history and the event every service projects
    (an excluded or withdrawn party loses access everywhere, art. 21.3, 23.2).

    The change is decided after the party's last one (``next_decision_time``; the callers hold
    the party row's lock): the services apply a party's status events in ``status_since``
    order, and a withdrawal effective from a date before the last change, or an exclusion on
    a replica whose clock is behind, would otherwise be ignored as late."""
    at = next_decision_time(at, party.status_since)
    party.change_status(new, at, allowed_from)
    uow.parties.add_history(StatusChange(party.party_id, new, at, cause, reference))
    if new in (PartyStatus.EXCLUDED, PartyStatus.WITHDRAWN):
        # Its people leave the bodies, each seat decided on under its row's lock.
        for seat in uow.seats.held_on_behalf_of(party.party_id, for_update=True):
            before, vacated = seat.holder, next_decision_time(at, seat.holder_changed_at)
            seat.vacate(vacated)
            seat_holder_changed(uow, seat, before, vacated)
        # And act for it no longer (12.3); roster changes of the party hold its row's lock.
        for director in uow.roster.list(party.party_id):
            ended = next_decision_time(at, director.last_change)
            director.revoke(ended)
            uow.emit(
                roster_changed(PROCESS_DIRECTOR, (director.party, director.person), False, ended)
            )
    uow.emit(
        _STATUS_EVENTS[new](
            party_id=party.party_id,
            name=party.name,
            kind=party.kind.value,
            status=new.value,
            status_since=iso(at),
        )
    )
