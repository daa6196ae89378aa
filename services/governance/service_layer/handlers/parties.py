"""Parties of the covenant, its bodies and their seats (art. 3-7, 11)."""

from __future__ import annotations

from dataclasses import dataclass

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain import events
from services.governance.domain.bodies import (
    BODY_ARTICLES,
    Body,
    Seat,
    SeatRow,
    seats_from_covenant,
)
from services.governance.domain.parties import Party, PartyKind, PartyRow, PartyStatus, StatusChange
from services.governance.service_layer.handlers.common import known_party
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import MAX_PAGE_SIZE
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import check_oin, check_text

# -- parties -----------------------------------------------------------------------------------


def register_party(uow: GovernanceUnitOfWork, cmd: c.RegisterParty) -> bool:
    """Register a covenant party once; False when it was already known. Commits (seeding)."""
    added = add_party(uow, cmd)
    if added:
        uow.commit()
    return added


def add_party(uow: GovernanceUnitOfWork, cmd: c.RegisterParty) -> bool:
    """``register_party`` without the commit: the caller commits (seeding, many at once)."""
    check_oin(cmd.party_id)
    check_text(cmd.name, "name", limit=200)
    try:
        kind, status = PartyKind(cmd.kind), PartyStatus(cmd.status)
    except ValueError as exc:
        raise InvalidArgument("kind", "unknown party kind or status") from exc
    if uow.parties.get(cmd.party_id) is not None:
        return False
    now = utcnow()
    uow.parties.add(Party(cmd.party_id, cmd.name, kind, status, now))
    uow.parties.add_history(StatusChange(cmd.party_id, status, now, "covenant", ""))
    uow.emit(
        events.PartyRegistered(
            party_id=cmd.party_id,
            name=cmd.name,
            kind=kind.value,
            status=status.value,
            status_since=now.isoformat(),
        )
    )
    return True


def list_parties(
    uow: GovernanceUnitOfWork,
    kind: PartyKind | None,
    status: PartyStatus | None,
    after: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[PartyRow]:
    """A page of the parties (after the party id ``after``, else from ``offset``; at most
    ``limit``), filtered in SQL."""
    return uow.parties.page(kind, status, after=after, offset=offset, limit=limit)


def get_party(uow: GovernanceUnitOfWork, party_id: str) -> Party:
    party = known_party(uow, party_id)
    saw(resource=party.party_id)  # the access log names the party read (an organisation)
    return party


def party_history(uow: GovernanceUnitOfWork, party_id: str) -> list[StatusChange]:
    known_party(uow, party_id)
    saw(resource=party_id)
    return uow.parties.history(party_id)


def party_status(uow: GovernanceUnitOfWork, party_id: str) -> str:
    """The party's status as governance knows it, for authorising calls to governance itself
    (an exclusion is effective here at once, art. 23.2)."""
    party = uow.parties.get(party_id)
    return party.status.value if party else "unknown"


# -- bodies and seats --------------------------------------------------------------------------


# ListBodies answers at most this many seats of a body (the covenant's bodies have fewer);
# ListSeats pages the rest (issue #16).
SEATS_IN_BODY = MAX_PAGE_SIZE


@dataclass(frozen=True)
class BodySeats:
    body: Body
    articles: tuple[str, ...]
    # The body's first seats by id: one more than SEATS_IN_BODY when the body has more.
    seats: list[Seat]


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


def list_bodies(
    uow: GovernanceUnitOfWork, body: Body | None, offset: int = 0, limit: int | None = None
) -> list[BodySeats]:
    """A page of the bodies (``offset``, ``limit``: the covenant's fixed bodies, or the one
    asked for), each with the articles that found it and its first seats (SEATS_IN_BODY, and
    one more when there are more): one query, for the seats of the bodies on this page only,
    as cheap for a body of 10,000 seats as for one of ten."""
    wanted = [b for b in Body if body is None or b is body]
    shown = wanted[offset : None if limit is None else offset + limit]
    seats = uow.seats.first_of_bodies(shown, SEATS_IN_BODY + 1)
    # The seats name their holders (pseudonymous persons): the log says which bodies' were seen.
    saw(resource=",".join(b.value for b in shown))
    return [BodySeats(b, BODY_ARTICLES[b], [s for s in seats if s.body is b]) for b in shown]


def list_seats(
    uow: GovernanceUnitOfWork,
    body: Body | None,
    held_by_party: str,
    holder_party: str,
    after: str | None,
    offset: int,
    limit: int,
) -> list[SeatRow]:
    """A page of the seats by id (``limit``: one more than shown), filtered by body and by the
    party a seat belongs to or sits for, after the seat id ``after`` or from ``offset``: one
    query, an index range whatever the filter (issue #16)."""
    if held_by_party:
        check_oin(held_by_party, "held_by_party")
    if holder_party:
        check_oin(holder_party, "holder_party")
    if after is not None and not 0 < len(after) <= 64:  # a seat id (the column's width)
        raise InvalidArgument("page_token", "not a token of this query: start again without one")
    found = uow.seats.page(
        body, held_by_party, holder_party, after=after, offset=offset, limit=limit
    )
    # The seats name their holders: the log says which bodies' seats were seen.
    saw(resource=listed(sorted({s.body.value for s in found[: limit - 1]})))
    return found
