"""The vote form offers the seats the signed-in person holds (``Bodies.my_seats``), read from
governance's ListBodies. A person id names its person without case everywhere else
(``validate.same_person``: governance decides a vote by it, so "Mgr-1" votes from mgr-1's
seat); the console compared it as typed and offered no seat to a holder whose id governance
keeps in other case. Without the suite: governance's answer given as the adapter reads it."""

from __future__ import annotations

from types import SimpleNamespace

from services.console.adapters.governance import Bodies
from zorgtafel.generated.governance.v1 import governance_pb2 as gv

HELMOND = "00000099000000000018"
ASTEN = "00000099000000000001"


def listed(*seats: gv.Seat) -> Bodies:
    """Bodies over a governance that lists one body with ``seats``, on one page."""
    bodies = Bodies(SimpleNamespace(ListBodies="ListBodies"))  # type: ignore[arg-type]
    reply = gv.ListBodiesResponse(bodies=[gv.BodyInfo(body=gv.BODY_MANAGERS, seats=list(seats))])
    bodies.call = lambda method, request: reply  # type: ignore[attr-defined]
    return bodies


def test_my_seats_names_the_holder_in_any_case_but_only_of_the_same_party():
    bodies = listed(
        gv.Seat(seat_id="s-1", role="manager", holder_person="Mgr-1", holder_party=HELMOND),
        gv.Seat(seat_id="s-2", role="manager", holder_person="mgr-1", holder_party=ASTEN),
        gv.Seat(seat_id="s-3", role="manager", holder_person="mgr-10", holder_party=HELMOND),
        gv.Seat(seat_id="s-4", role="manager", holder_person="", holder_party=HELMOND),
    )
    seats = bodies.my_seats(bodies.call, "mgr-1", HELMOND)  # type: ignore[attr-defined]
    assert seats == [("s-1", "managers", "manager")]
    assert bodies.my_seats(bodies.call, "", HELMOND) == []  # type: ignore[attr-defined]
