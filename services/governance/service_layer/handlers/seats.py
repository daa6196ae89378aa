"""Seats are appointed, not taken (art. 4.3, 6.3, 6.4, 11.2; ADR 0005): the seat's appointing
authority names a holder, and a held seat changes only by that authority or the holder's
release. Who the authority is, is decided in Rego (``zorgtafel.governance``) from the facts
gathered here: the seat with its current holder, the appointer's seats and the appointee."""

from __future__ import annotations

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain.bodies import Seat
from services.governance.domain.formats import check_seat_id
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    authorise,
    seat_facts,
    seat_holder_changed,
)
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.events import next_decision_time
from zorgtafel.kernel.validate import check_oin, check_person


def _seat(uow: GovernanceUnitOfWork, seat_id: str) -> Seat:
    check_seat_id(seat_id)
    # Locked before its holder is read: two changes at once are decided one after the other,
    # the second on the holder the first left (it releases that one, not the one before).
    seat = uow.seats.get(seat_id, for_update=True)
    if seat is None:
        raise NotFound("seat", seat_id)
    return seat


def _holder_party(seat: Seat, cmd: c.AssignSeat) -> str:
    """The party the holder sits for: the seat's own party, or (a seat of no signatory) the
    one named, whose token the holder will carry."""
    if cmd.holder_party:
        return check_oin(cmd.holder_party, "holder_party")
    if seat.held_by_party is None:
        raise InvalidArgument(
            "holder_party",
            "required for a seat that belongs to no signatory: the active party on whose "
            "behalf the holder sits (art. 4.3, 6.4)",
        )
    return seat.held_by_party


def assign_seat(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.AssignSeat, caller: Caller) -> Seat:
    if not cmd.holder_person:
        raise InvalidArgument(
            "holder_person", "required: the person the appointing authority appoints"
        )
    check_person(cmd.holder_person, "holder_person")
    check_seat_id(cmd.seat_id)
    # Which party the holder sits for depends only on the seat's own party, which never
    # changes: read without a lock. The party's row is locked before its status is read, as
    # its withdrawal or exclusion holds it while vacating its seats (art. 21.3, 23.2), and
    # before the seat's, in that order: an appointment beside it waits, then finds the party
    # no longer active, instead of leaving a person of a withdrawn party in the seat.
    found = uow.seats.get(cmd.seat_id)
    if found is None:
        raise NotFound("seat", cmd.seat_id)
    party_id = _holder_party(found, cmd)
    holder_party = uow.parties.get_for_update(party_id)
    seat = _seat(uow, cmd.seat_id)
    holder = {
        "party": party_id,
        "person": cmd.holder_person,
        "party_status": holder_party.status.value if holder_party else "unknown",
        # One person, one voting seat of a body (art. 4.3, 6.3a, 7.1): the seats of this body
        # the appointee already holds, for whichever party.
        "seats": [seat_facts(s) for s in uow.seats.held_in(seat.body, cmd.holder_person)],
    }
    authorise(deps, uow, caller, "assign_seat", seat=seat_facts(seat), holder=holder)
    # After the seat's last change (an assignment, or a release: kept while vacant), whatever
    # this replica's clock says: the services ignore a roster change older than the one held.
    before, now = seat.holder, next_decision_time(deps.now(), seat.holder_changed_at)
    seat.assign(cmd.holder_person, party_id, now)
    seat_holder_changed(uow, seat, before, now)
    return seat


def release_seat(deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ReleaseSeat, caller: Caller) -> Seat:
    seat = _seat(uow, cmd.seat_id)
    authorise(deps, uow, caller, "release_seat", seat=seat_facts(seat))
    before = seat.holder
    if before is None:
        raise FailedPrecondition("vacant", "the seat has no holder", subject="seat.holder")
    now = next_decision_time(deps.now(), seat.holder_changed_at)  # after its assignment
    seat.vacate(now)
    seat_holder_changed(uow, seat, before, now)
    return seat
