"""A partner system's view of governance in tests: people of parties calling over real gRPC.

Seats are appointed, not taken (art. 4.3, 6.3, 6.4, 11.2): each party's representative
(role ``party_representative``) appoints the holders of the party's own seats; the board chair
appoints the board secretary; the board secretary appoints the council secretary and the
non-signatories' board seats. The managers designate process directors (art. 12.1)."""

from __future__ import annotations

import uuid

from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.testing import channel, rid

GRAVE = "00000099000000000016"  # board chair's party (art. 4.3)
BEST = "00000099000000000004"
POLICE = "00000099000000000061"
EINDHOVEN = "00000099000000000013"
VALKENSWAARD = "00000099000000000033"
HELMOND = "00000099000000000018"  # managers (art. 11.2)
LUMENS = "00000099000000000053"
ASTEN = "00000099000000000001"


class Person:
    """One person of one party with one role, calling governance."""

    def __init__(self, app, keys, party: str, role: str, person: str | None = None) -> None:
        self.party, self.role = party, role
        self._app, self._keys = app, keys
        self.person = person or f"{role}-{party[-4:]}-{uuid.uuid4().hex[:6]}"
        self.stub = pb_grpc.GovernanceServiceStub(channel(app))
        self.metadata = keys.metadata(party, role, self.person)

    def __getattr__(self, rpc):
        if rpc.startswith("_"):
            raise AttributeError(rpc)
        method = getattr(self.stub, rpc)
        request_type = getattr(pb, f"{rpc}Request")

        def call(**fields):
            if (
                "request_id" in request_type.DESCRIPTOR.fields_by_name
                and "request_id" not in fields
            ):
                fields["request_id"] = rid()
            return method(request_type(**fields), metadata=self.metadata)

        return call

    def appoint(self, seat_id: str, holder: "Person") -> "Person":
        """As the seat's appointing authority, appoint ``holder`` (for the party it acts for)."""
        self.AssignSeat(seat_id=seat_id, holder_person=holder.person, holder_party=holder.party)
        return holder

    def designate(self, party: str, role: str = "process_director") -> "Person":
        """As a manager (a managers seat holder), designate a process director of ``party``."""
        director = Person(self._app, self._keys, party, role)
        self.DesignateProcessDirector(party=party, person=director.person)
        return director


def representative(app, keys, party: str) -> Person:
    """A person of ``party`` who appoints the holders of its own seats."""
    return Person(app, keys, party, "party_representative")


class Board:
    """The regional board's seat holders (art. 4.3) and the council's secretary and a manager."""

    def __init__(self, app, keys) -> None:
        def seated(party: str, role: str, seat_id: str) -> Person:
            holder = Person(app, keys, party, role)
            return representative(app, keys, party).appoint(seat_id, holder)

        self.chair = seated(GRAVE, "board_chair", "regional_board.01")
        self.best = seated(BEST, "board_member", "regional_board.02")
        self.police = seated(POLICE, "board_member", "regional_board.03")
        # art. 4.3: the secretary seat belongs to no party; the chair appoints its holder.
        self.secretary = self.chair.appoint(
            "regional_board.05", Person(app, keys, HELMOND, "board_secretary")
        )
        self.eindhoven = seated(EINDHOVEN, "board_member", "regional_board.10")
        self.valkenswaard = seated(VALKENSWAARD, "board_member", "regional_board.11")
        self.voters = [
            (self.chair, "regional_board.01"),
            (self.best, "regional_board.02"),
            (self.police, "regional_board.03"),
            (self.eindhoven, "regional_board.10"),
            (self.valkenswaard, "regional_board.11"),
        ]
        # art. 6.4: the board (its secretary, on its behalf) appoints the council secretary.
        self.council_secretary = self.secretary.appoint(
            "partner_council.secretary", Person(app, keys, LUMENS, "council_secretary")
        )
        self.manager = seated(HELMOND, "manager", f"managers.{HELMOND}")

    def vote(self, proposal_id: str, choices: list[int]) -> None:
        """The first ``len(choices)`` seat holders vote, in order."""
        for (person, seat), choice in zip(self.voters[: len(choices)], choices, strict=True):
            person.CastVote(proposal_id=proposal_id, seat_id=seat, choice=choice)


class Council:
    """Partner council delegates, created on demand per party (art. 6.3a)."""

    def __init__(self, app, keys) -> None:
        self._app, self._keys = app, keys
        self._delegates: dict[str, Person] = {}

    def delegate(self, party: str) -> Person:
        if party not in self._delegates:  # art. 6.3a: the party appoints its own delegate
            delegate = Person(self._app, self._keys, party, "council_delegate")
            self._delegates[party] = representative(self._app, self._keys, party).appoint(
                f"partner_council.delegate.{party}", delegate
            )
        return self._delegates[party]

    def vote(self, proposal_id: str, votes: dict[str, int]) -> None:
        for party, choice in votes.items():
            self.delegate(party).CastVote(
                proposal_id=proposal_id, seat_id=f"partner_council.delegate.{party}", choice=choice
            )


def case_known(env, case_id: str, director: Person, **parts: "Person | list[Person]") -> None:
    """Casework's events of a case, published to the broker, until governance knows who has a
    part in it (a dispute about a case is decided on that, art. 8.4c, 12.3, 13.4): ``director``
    directs it; ``case_director`` (optional) is its case director (13.1); each of ``delegates``
    is a delegate of its party, which the case meeting gave a role (8.4c)."""
    from sqlalchemy import select

    from zorgtafel.contracts import events as ev
    from zorgtafel.testing import wait_for

    case_director = parts.get("case_director")
    delegates = parts.get("delegates") or []
    assert isinstance(delegates, list) and not isinstance(case_director, list)
    opened = {
        "case_id": case_id,
        "subject_pseudonym": "ps-1",
        "nominating_party": director.party,
        "age_band": "18_plus",
        "invitees": [director.party],
        "process_director_party": director.party,
        "process_director_person": director.person,
    }
    events = [(ev.CASE_OPENED, opened)]
    if delegates:
        roles = {d.party: {"role": "care", "information_need": []} for d in delegates}
        events.append((ev.ROLES_SET, {"case_id": case_id, "roles": roles}))
        for d in delegates:
            named = {"case_id": case_id, "party": d.party, "person": d.person}
            events.append((ev.DELEGATE_NAMED, named))
    if case_director is not None:
        appointed = {
            "case_id": case_id,
            "party": case_director.party,
            "person": case_director.person,
        }
        events.append((ev.DIRECTOR_APPOINTED, appointed))
    for event_type, data in events:  # one key: in order on one partition
        env.pub.publish("casework", event_type, case_id, data)
    t = env.tables["case_facts"]
    last = {d.person for d in delegates}

    def known() -> bool:
        with env.app.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.case_id == case_id)).first()
        if row is None or not row.opened:
            return False
        if case_director is not None and row.case_director_person != case_director.person:
            return False
        return all(p in (row.delegates or "") for p in last)

    wait_for(known, timeout=30)
