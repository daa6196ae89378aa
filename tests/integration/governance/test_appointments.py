"""Seats are appointed, not taken (art. 4.3, 6.3, 6.4, 11.2; issue #13 point 6), and the
process directors are designated by the managers (art. 11.2, 12.1), through real gRPC on SQLite
and PostgreSQL. Each refusal shows that taking a seat is no longer a way into a vote."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.governance.harness import (
    ASTEN,
    BEST,
    EINDHOVEN,
    HELMOND,
    LUMENS,
    Person,
    representative,
)
from tests.integration.governance.test_governance import denied, outbox, refused
from zorgtafel.contracts import events as ev
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.testing import bad_fields

pytestmark = pytest.mark.integration

FOR = pb.VOTE_CHOICE_FOR
RIEC_SEAT = "regional_board.07"  # a non-signatory's board seat (art. 4.3)
OM_SEAT = "regional_board.04"  # the public prosecutor's: not a signatory either


def exclusion_of(gov_env, target: str) -> str:
    """An exclusion put to the board after a notice of default (art. 23.2): the vote a taken
    seat was once enough for."""
    board = gov_env.board
    board.secretary.RecordNoticeOfDefault(party_id=target, reason_code="art-17-breach")
    return board.chair.Exclude(party_id=target, subject_code="breach").proposal.proposal_id


def holder_of(gov_env, seat_id: str) -> tuple[str, str]:
    seats = [s for b in gov_env.board.chair.ListBodies().bodies for s in b.seats]
    seat = next(s for s in seats if s.seat_id == seat_id)
    return seat.holder_party, seat.holder_person


def test_a_partys_person_cannot_take_a_non_signatorys_board_seat_4_3(gov_env):
    app, keys = gov_env.app, gov_env.keys
    intruder = Person(app, keys, ASTEN, "board_member")
    err = denied(
        lambda: intruder.AssignSeat(
            seat_id=OM_SEAT, holder_person=intruder.person, holder_party=ASTEN
        )
    )
    assert "art. 4.3" in err.details() and "non-signatory" in err.details()
    # Nor through its own party's representative: the seat is not the party's to fill.
    denied(lambda: representative(app, keys, ASTEN).appoint(OM_SEAT, intruder))
    assert holder_of(gov_env, OM_SEAT) == ("", "")
    # Not enough to vote in an exclusion: without the seat there is no vote.
    proposal_id = exclusion_of(gov_env, "00000099000000000045")
    denied(lambda: intruder.CastVote(proposal_id=proposal_id, seat_id=OM_SEAT, choice=FOR))


def test_only_the_chair_appoints_the_board_secretary_4_3(gov_env):
    app, keys, board = gov_env.app, gov_env.keys, gov_env.board
    secretary = holder_of(gov_env, "regional_board.05")
    intruder = Person(app, keys, HELMOND, "board_secretary")
    err = denied(
        lambda: intruder.AssignSeat(
            seat_id="regional_board.05", holder_person=intruder.person, holder_party=HELMOND
        )
    )
    assert "board chair seat" in err.details() and "art. 4.3" in err.details()
    denied(lambda: representative(app, keys, HELMOND).appoint("regional_board.05", intruder))
    assert holder_of(gov_env, "regional_board.05") == secretary
    # Without the secretary seat it cannot fill the non-signatories' seats with its own votes,
    # nor record the notice of default an exclusion needs (art. 23.2).
    accomplice = Person(app, keys, HELMOND, "board_member")
    denied(lambda: intruder.appoint(RIEC_SEAT, accomplice))
    proposal_id = exclusion_of(gov_env, "00000099000000000046")
    denied(lambda: accomplice.CastVote(proposal_id=proposal_id, seat_id=RIEC_SEAT, choice=FOR))
    denied(
        lambda: intruder.RecordNoticeOfDefault(
            party_id="00000099000000000046", reason_code="art-17-breach"
        )
    )
    assert holder_of(gov_env, "regional_board.05") == (
        board.secretary.party,
        board.secretary.person,
    )


def test_only_the_board_appoints_the_council_secretary_6_4(gov_env):
    app, keys, board, council = gov_env.app, gov_env.keys, gov_env.board, gov_env.council
    intruder = Person(app, keys, ASTEN, "council_secretary")
    err = denied(
        lambda: intruder.AssignSeat(
            seat_id="partner_council.secretary", holder_person=intruder.person, holder_party=ASTEN
        )
    )
    assert "art. 6.4" in err.details()
    denied(lambda: representative(app, keys, ASTEN).appoint("partner_council.secretary", intruder))
    denied(lambda: board.chair.appoint("partner_council.secretary", intruder))  # its secretary
    assert holder_of(gov_env, "partner_council.secretary") == (
        board.council_secretary.party,
        board.council_secretary.person,
    )
    # Without the seat it neither decides the council's matters nor records hearings.
    proposal = (
        council.delegate(ASTEN)
        .Propose(body=pb.BODY_PARTNER_COUNCIL, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="x-6-4")
        .proposal
    )
    denied(lambda: intruder.Decide(proposal_id=proposal.proposal_id))
    # And the vote of an exclusion stays with the board's seat holders.
    proposal_id = exclusion_of(gov_env, "00000099000000000047")
    denied(
        lambda: intruder.CastVote(
            proposal_id=proposal_id, seat_id="partner_council.secretary", choice=FOR
        )
    )


def test_a_held_seat_is_not_overwritten_by_someone_elses_call(gov_env):
    app, keys, board = gov_env.app, gov_env.keys, gov_env.board
    held = holder_of(gov_env, "regional_board.02")
    assert held == (BEST, board.best.person)
    intruder = Person(app, keys, ASTEN, "board_member")
    err = denied(
        lambda: intruder.AssignSeat(
            seat_id="regional_board.02", holder_person=intruder.person, holder_party=BEST
        )
    )
    assert "is held" in err.details() and "art. 4.3" in err.details()
    # A colleague of the holder, at the same party, does not take it over either.
    colleague = Person(app, keys, BEST, "board_member")
    err = denied(
        lambda: colleague.AssignSeat(
            seat_id="regional_board.02", holder_person=colleague.person, holder_party=BEST
        )
    )
    assert "is held" in err.details()
    denied(lambda: representative(app, keys, ASTEN).appoint("regional_board.02", intruder))
    assert holder_of(gov_env, "regional_board.02") == held
    proposal_id = exclusion_of(gov_env, "00000099000000000048")
    for who in (intruder, colleague):
        denied(
            lambda who=who: who.CastVote(
                proposal_id=proposal_id, seat_id="regional_board.02", choice=FOR
            )
        )
    tally = board.best.CastVote(proposal_id=proposal_id, seat_id="regional_board.02", choice=FOR)
    assert tally.tally.votes_for == 1  # the appointed holder still votes, alone from its seat


def test_one_person_holds_one_voting_seat_of_a_body_and_casts_one_vote(gov_env):
    """art. 4.3, 5, 7.1: the board secretary does not appoint the police's board member to the
    public prosecutor's seat as well; and a person who holds two seats anyway (appointed before
    the rule) votes once on a matter, not once per seat."""
    from datetime import datetime, timezone

    app, board = gov_env.app, gov_env.board
    police = board.police
    err = denied(
        lambda: board.secretary.AssignSeat(
            seat_id=OM_SEAT, holder_person=police.person, holder_party=police.party
        )
    )
    assert "one vote" in err.details() and "art. 7.1" in err.details()
    assert holder_of(gov_env, OM_SEAT) == ("", "")
    with app.uow_factory() as uow:  # a second seat from before the appointment rule
        uow.seats.get(OM_SEAT).assign(police.person, police.party, datetime.now(timezone.utc))
        uow.commit()
    try:
        proposal_id = police.Propose(
            body=pb.BODY_REGIONAL_BOARD, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="x"
        ).proposal.proposal_id
        police.CastVote(proposal_id=proposal_id, seat_id="regional_board.03", choice=FOR)
        err = refused(lambda: police.CastVote(proposal_id=proposal_id, seat_id=OM_SEAT, choice=FOR))
        assert "another seat" in err.details()
    finally:
        police.ReleaseSeat(seat_id=OM_SEAT)


def test_appointing_authorities_reappoint_and_holders_release_and_the_roster_follows(gov_env):
    app, keys, board = gov_env.app, gov_env.keys, gov_env.board
    # The board's secretary fills a non-signatory's seat (art. 4.3) and may re-appoint it.
    first = board.secretary.appoint(RIEC_SEAT, Person(app, keys, EINDHOVEN, "board_member"))
    second = board.secretary.appoint(RIEC_SEAT, Person(app, keys, EINDHOVEN, "board_member"))
    assert holder_of(gov_env, RIEC_SEAT) == (EINDHOVEN, second.person)
    err = refused(
        lambda: board.secretary.AssignSeat(seat_id=RIEC_SEAT, holder_person=first.person),
        grpc.StatusCode.INVALID_ARGUMENT,
    )  # a seat of no signatory: the holder's party is named
    assert bad_fields(err) == ["holder_party"]
    proposal = board.chair.Propose(
        body=pb.BODY_REGIONAL_BOARD, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="riec-seat"
    ).proposal
    denied(lambda: first.CastVote(proposal_id=proposal.proposal_id, seat_id=RIEC_SEAT, choice=FOR))
    second.CastVote(proposal_id=proposal.proposal_id, seat_id=RIEC_SEAT, choice=FOR)
    denied(lambda: first.ReleaseSeat(seat_id=RIEC_SEAT))  # not the holder any more
    assert second.ReleaseSeat(seat_id=RIEC_SEAT).seat.holder_person == ""
    refused(lambda: board.secretary.ReleaseSeat(seat_id=RIEC_SEAT))  # vacant

    # A managers seat makes its holder a manager on every service's roster (art. 11.2).
    manager = representative(app, keys, LUMENS).appoint(
        f"managers.{LUMENS}", Person(app, keys, LUMENS, "manager")
    )
    manager.ReleaseSeat(seat_id=f"managers.{LUMENS}")
    changes = [
        (e["function"], e["party"], e["held"])
        for e in outbox(app, ev.ROSTER_CHANGED)
        if e["person"] == manager.person
    ]
    assert changes == [("manager", LUMENS, True), ("manager", LUMENS, False)]

    # The managers designate and revoke process directors (art. 11.2, 12.1, 12.3).
    denied(lambda: manager.DesignateProcessDirector(party=ASTEN, person="pd-x"))  # no seat now
    director = board.manager.designate(ASTEN)
    listed = board.chair.ListProcessDirectors(party=ASTEN).process_directors
    assert director.person in [d.person for d in listed]
    assert Person(app, keys, ASTEN, "caseworker").ListProcessDirectors().process_directors
    revoked = board.manager.RevokeProcessDirector(party=ASTEN, person=director.person)
    assert not revoked.process_director.designated
    listed = board.chair.ListProcessDirectors(party=ASTEN).process_directors
    assert director.person not in [d.person for d in listed]
    changes = [
        (e["function"], e["party"], e["held"])
        for e in outbox(app, ev.ROSTER_CHANGED)
        if e["person"] == director.person
    ]
    assert changes == [("process_director", ASTEN, True), ("process_director", ASTEN, False)]
    refused(lambda: board.manager.RevokeProcessDirector(party=ASTEN, person=director.person))
