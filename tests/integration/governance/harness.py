"""A partner system's view of governance in tests: people of parties calling over real gRPC."""

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
        self.person = person or f"{role}-{party[-4:]}-{uuid.uuid4().hex[:6]}"
        self.stub = pb_grpc.GovernanceServiceStub(channel(app))
        self.metadata = keys.metadata(party, role, self.person)

    def __getattr__(self, rpc):
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

    def sit(self, seat_id: str) -> "Person":
        self.AssignSeat(seat_id=seat_id)
        return self


class Board:
    """The regional board's seat holders (art. 4.3) and the council's secretary and a manager."""

    def __init__(self, app, keys) -> None:
        self.chair = Person(app, keys, GRAVE, "board_chair").sit("regional_board.01")
        self.best = Person(app, keys, BEST, "board_member").sit("regional_board.02")
        self.police = Person(app, keys, POLICE, "board_member").sit("regional_board.03")
        self.secretary = Person(app, keys, HELMOND, "board_secretary").sit("regional_board.05")
        self.eindhoven = Person(app, keys, EINDHOVEN, "board_member").sit("regional_board.10")
        self.valkenswaard = Person(app, keys, VALKENSWAARD, "board_member").sit("regional_board.11")
        self.voters = [
            (self.chair, "regional_board.01"),
            (self.best, "regional_board.02"),
            (self.police, "regional_board.03"),
            (self.eindhoven, "regional_board.10"),
            (self.valkenswaard, "regional_board.11"),
        ]
        self.council_secretary = Person(app, keys, LUMENS, "council_secretary").sit(
            "partner_council.secretary"
        )
        self.manager = Person(app, keys, HELMOND, "manager").sit(f"managers.{HELMOND}")

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
        if party not in self._delegates:
            self._delegates[party] = Person(self._app, self._keys, party, "council_delegate").sit(
                f"partner_council.delegate.{party}"
            )
        return self._delegates[party]

    def vote(self, proposal_id: str, votes: dict[str, int]) -> None:
        for party, choice in votes.items():
            self.delegate(party).CastVote(
                proposal_id=proposal_id, seat_id=f"partner_council.delegate.{party}", choice=choice
            )
