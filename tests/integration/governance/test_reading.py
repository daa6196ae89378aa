"""The bodies' matters are read from a seat, not from a token role (ADR 0005; issue #13): a
person of an active party with a member role but no seat is refused, the seat holder is served.
Through real gRPC on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from tests.integration.governance.harness import (
    ASTEN,
    EINDHOVEN,
    GRAVE,
    HELMOND,
    Person,
    case_known,
)
from tests.integration.governance.test_governance import denied, refused, ts
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.config import DEFAULT_POLICY_DIR
from zorgtafel.policy.bundle import build_bytes

pytestmark = pytest.mark.integration

APPLICANT = "77000000000000000777"  # an organisation applying to accede (art. 20)


def unseated(gov_env, party: str, role: str) -> Person:
    """A person of an active party with the role the method admits, holding no seat."""
    return Person(gov_env.app, gov_env.keys, party, role)


def test_a_member_without_a_council_seat_reads_no_council_proposal_7_5(gov_env):
    delegate = gov_env.council.delegate(ASTEN)
    proposal_id = delegate.Propose(
        body=pb.BODY_PARTNER_COUNCIL, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="read-7-5"
    ).proposal.proposal_id
    colleague = unseated(gov_env, ASTEN, "council_delegate")
    err = denied(lambda: colleague.GetProposal(proposal_id=proposal_id))
    assert "art. 5.5, 7.5" in err.details()
    # a board seat is not a seat in the council either
    denied(lambda: gov_env.board.chair.GetProposal(proposal_id=proposal_id))
    assert delegate.GetProposal(proposal_id=proposal_id).proposal.proposal_id == proposal_id


def test_a_member_without_a_board_seat_reads_no_board_meeting_5_5(gov_env):
    board = gov_env.board
    meeting_id = board.chair.ScheduleMeeting(
        body=pb.BODY_REGIONAL_BOARD,
        scheduled_for=ts(datetime.now(timezone.utc) + timedelta(days=30)),
    ).meeting.meeting_id
    colleague = unseated(gov_env, GRAVE, "board_chair")
    err = denied(lambda: colleague.GetMeeting(meeting_id=meeting_id))
    assert "art. 5.5, 7.5" in err.details()
    denied(lambda: gov_env.council.delegate(EINDHOVEN).GetMeeting(meeting_id=meeting_id))
    assert board.secretary.GetMeeting(meeting_id=meeting_id).meeting.meeting_id == meeting_id


def test_a_member_without_a_seat_reads_no_accession_20(gov_env):
    board = gov_env.board
    accession_id = board.manager.ApplyAccession(
        party_id=APPLICANT, name="Applicant", kind=pb.PARTY_KIND_CARE_PROVIDER
    ).accession.accession_id
    colleague = unseated(gov_env, ASTEN, "council_delegate")
    err = denied(lambda: colleague.GetAccession(accession_id=accession_id))
    assert "art. 20.2, 20.4" in err.details()
    assert gov_env.council.delegate(ASTEN).GetAccession(accession_id=accession_id).accession
    assert board.chair.GetAccession(accession_id=accession_id).accession
    assert board.manager.GetAccession(accession_id=accession_id).accession
    # art. 20: the applicant still reads its own party record (its application's status).
    applicant = Person(gov_env.app, gov_env.keys, APPLICANT, "party_representative")
    assert applicant.GetParty(party_id=APPLICANT).party.status == pb.PARTY_STATUS_APPLICANT


def test_an_id_of_no_accession_is_answered_as_one_not_shared_20(gov_env):
    """An id of no application answers as an application one has no part in (one neutral
    PERMISSION_DENIED, no oracle), and approving one is decided before its id is looked up."""
    unknown = "acc-" + uuid.uuid4().hex
    reader = gov_env.board.manager
    err = denied(lambda: reader.GetAccession(accession_id=unknown))
    assert "No accession with this accession_id" in err.details()
    not_a_delegate = unseated(gov_env, ASTEN, "caseworker")
    err = denied(lambda: not_a_delegate.ApproveAccession(accession_id=unknown))
    assert "No accession" not in err.details()  # the policy's refusal, before any lookup


def test_adopting_a_policy_revision_is_decided_before_the_proposal_is_looked_up(gov_env):
    """To someone who may not adopt, a real proposal of another kind and an id of none are
    answered alike: the proposal's existence and kind are no oracle."""
    proposal_id = (
        gov_env.council.delegate(ASTEN)
        .Propose(body=pb.BODY_PARTNER_COUNCIL, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="agenda")
        .proposal.proposal_id
    )
    _, bundle = build_bytes(DEFAULT_POLICY_DIR)
    outsider = unseated(gov_env, EINDHOVEN, "manager")  # the role, not the managers' seat
    answers = set()
    for ident in (proposal_id, "prop-" + uuid.uuid4().hex):
        err = denied(lambda i=ident: outsider.AdoptPolicyRevision(proposal_id=i, bundle=bundle))
        answers.add(err.details().replace(proposal_id, "<id>"))
    assert len(answers) == 1


def test_a_dispute_is_read_by_its_registrant_and_its_forum_only_12_4(gov_env):
    board = gov_env.board
    registrant = gov_env.council.delegate(ASTEN)
    dispute_id = registrant.RegisterDispute(
        about=pb.DISPUTE_ABOUT_PROCESS_DIRECTOR
    ).dispute.dispute_id
    # a colleague of the registrant with the same role, and a manager without the seat
    for outsider in (
        unseated(gov_env, ASTEN, "council_delegate"),
        unseated(gov_env, HELMOND, "manager"),
    ):
        err = denied(lambda p=outsider: p.GetDispute(dispute_id=dispute_id))
        assert "art. 11.4, 12.4, 13.4" in err.details()
    # the board does not hold it (yet): the managers do (12.4)
    denied(lambda: board.chair.GetDispute(dispute_id=dispute_id))
    assert registrant.GetDispute(dispute_id=dispute_id).dispute.forum == pb.FORUM_MANAGERS
    assert board.manager.GetDispute(dispute_id=dispute_id).dispute.forum == pb.FORUM_MANAGERS


def test_a_dispute_about_a_case_is_for_those_with_a_part_in_it_8_4c_13_4(gov_env):
    """A process director of a party with no part in the case (designated by the managers, so
    before: the forum of every dispute about a case director) neither registers, reads nor
    takes further a dispute about it; the case's own process director and an involved party's
    delegate do. A case governance has not heard of yet is UNAVAILABLE, not a deny."""
    manager = gov_env.board.manager
    director = manager.designate(ASTEN)
    outsider = manager.designate(EINDHOVEN)
    delegate = Person(gov_env.app, gov_env.keys, GRAVE, "caseworker")
    case_id = f"case-{uuid.uuid4().hex}"
    err = refused(
        lambda: delegate.RegisterDispute(about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case_id),
        grpc.StatusCode.UNAVAILABLE,
    )
    assert case_id not in err.details()
    case_known(gov_env, case_id, director, delegates=[delegate])
    # A party with no part in it is answered as for a case governance does not know (8.4c:
    # it may not learn that the case exists).
    err = refused(
        lambda: outsider.RegisterDispute(about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case_id),
        grpc.StatusCode.UNAVAILABLE,
    )
    assert case_id not in err.details()
    dispute = delegate.RegisterDispute(
        about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=case_id
    ).dispute
    assert dispute.forum == pb.FORUM_PROCESS_DIRECTOR
    denied(lambda: outsider.GetDispute(dispute_id=dispute.dispute_id))
    err = denied(lambda: outsider.EscalateDispute(dispute_id=dispute.dispute_id))
    # No part in the dispute nor its case: answered as an id of no dispute (no oracle).
    assert "No dispute with this dispute_id" in err.details()
    assert director.GetDispute(dispute_id=dispute.dispute_id).dispute.case_id == case_id
    assert delegate.GetDispute(dispute_id=dispute.dispute_id).dispute.case_id == case_id
    up = director.EscalateDispute(dispute_id=dispute.dispute_id).dispute
    assert up.forum == pb.FORUM_PARTNER_COUNCIL


def test_a_report_role_without_a_seat_reads_no_annual_report_11_3d(gov_env):
    board, year = gov_env.board, datetime.now(timezone.utc).year
    for outsider in (
        unseated(gov_env, HELMOND, "manager"),
        unseated(gov_env, GRAVE, "board_member"),
    ):
        err = denied(lambda p=outsider: p.AnnualReport(year=year))
        assert "art. 11.3d" in err.details()
        err = denied(
            lambda p=outsider: p.ExportAnnualReport(year=year, format=pb.REPORT_FORMAT_JSON)
        )
        assert "art. 11.3d" in err.details()
    assert board.manager.AnnualReport(year=year).year == year
    assert board.best.AnnualReport(year=year).year == year
    exported = board.secretary.ExportAnnualReport(year=year, format=pb.REPORT_FORMAT_CSV)
    assert exported.content_type == "text/csv"
