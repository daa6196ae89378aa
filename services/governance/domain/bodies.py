"""Bodies of the covenant and their seats (art. 3-7, 11). Pure Python: no framework imports.

Seats come from ``seed/bodies.json`` (extracted from the covenant): the regional board's seats
of art. 4.3 (chair: the mayor of Grave; secretary: the chain director; several seats belong to
non-signatories), the partner council of art. 6.3 (one delegate per party, the managers, a
secretary) and the managers of art. 11.2 (under Helmond, Lumens and MO Den Bosch). A person
holds a seat on behalf of a party, appointed by the seat's appointing authority (the party for
its own seats, the board chair for the board secretary, the board secretary on the board's
behalf for the council secretary and the non-signatories' seats: art. 4.3, 6.3, 6.4, 11.2);
``policies/rego/governance`` decides who that is.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple


class Body(str, enum.Enum):
    REGIONAL_BOARD = "regional_board"
    PARTNER_COUNCIL = "partner_council"
    MANAGERS = "managers"


BODY_ARTICLES = {
    Body.REGIONAL_BOARD: ("4", "5"),
    Body.PARTNER_COUNCIL: ("6", "7"),
    Body.MANAGERS: ("11",),
}


@dataclass
class Seat:
    seat_id: str
    body: Body
    role: str
    # The party the seat belongs to; None for a non-signatory's seat (art. 4.3) or a function.
    held_by_party: str | None
    holder_person: str | None = None
    holder_party: str | None = None
    assigned_at: datetime | None = None
    # When the holder last changed (assigned or released), kept while the seat is vacant: the
    # next change is decided after it (``next_decision_time``), as the roster every service
    # keeps applies a holder's changes in that order and ignores an older one.
    holder_changed_at: datetime | None = None

    @property
    def holder(self) -> tuple[str, str] | None:
        """(party, person) of the current holder; None when the seat is vacant."""
        if self.holder_person is None or self.holder_party is None:
            return None
        return (self.holder_party, self.holder_person)

    @property
    def function(self) -> str | None:
        """The Zorgtafel function a holder of this seat has: a managers seat makes its holder a
        manager (art. 11.2), published on every service's roster."""
        return "manager" if self.body is Body.MANAGERS else None

    def assign(self, person: str, party: str, at: datetime) -> None:
        """The appointing authority named ``person`` of ``party`` as the holder (the policy
        decided who may); a previous holder is replaced."""
        self.holder_person = person
        self.holder_party = party
        self.assigned_at = self.holder_changed_at = at

    def vacate(self, at: datetime) -> None:
        """The holder released or removed at ``at``; the time is kept for the next holder."""
        self.holder_person = self.holder_party = self.assigned_at = None
        self.holder_changed_at = at


def delegate_seat_id(party_id: str) -> str:
    return f"partner_council.delegate.{party_id}"


def delegate_seat(party_id: str) -> Seat:
    """One delegate of every party in the partner council (art. 6.3a)."""
    return Seat(delegate_seat_id(party_id), Body.PARTNER_COUNCIL, "delegate", party_id)


def seats_from_covenant(bodies: dict, party_ids: list[str]) -> list[Seat]:
    """Every seat of the covenant's bodies, with stable ids, from the extracted bodies data."""
    seats: list[Seat] = []
    by_name = {b["body"]: b for b in bodies["bodies"]}
    for i, s in enumerate(by_name["regional_board"]["seats"], start=1):  # art. 4.3
        seats.append(
            Seat(f"regional_board.{i:02d}", Body.REGIONAL_BOARD, s["role"], s.get("held_by_party"))
        )
    council = by_name["partner_council"]
    seats.extend(delegate_seat(p) for p in sorted(party_ids))  # art. 6.3a
    for extra in council["extra_seats"]:
        if extra["role"] == "managers":  # art. 6.3b
            seats.extend(
                Seat(f"partner_council.manager.{p}", Body.PARTNER_COUNCIL, "manager", p)
                for p in extra["held_by_parties"]
            )
        else:  # art. 6.3c: the secretary, appointed by the board (6.4)
            seats.append(
                Seat(
                    "partner_council.secretary",
                    Body.PARTNER_COUNCIL,
                    extra["role"],
                    extra.get("held_by_party"),
                )
            )
    for p in by_name["managers"]["under_responsibility_of"]["parties"]:  # art. 11.2
        seats.append(Seat(f"managers.{p['party_id']}", Body.MANAGERS, "manager", p["party_id"]))
    return seats


class SeatRow(NamedTuple):
    """A seat as a page of ListSeats shows it: read as a plain row, not loaded as a ``Seat``
    (a page of 100 seats took about twice the CPU as objects of the session, issue #16).
    Read only; a change goes through ``Seat``."""

    seat_id: str
    body: Body
    role: str
    held_by_party: str | None
    holder_person: str | None
    holder_party: str | None
    assigned_at: datetime | None
    holder_changed_at: datetime | None
