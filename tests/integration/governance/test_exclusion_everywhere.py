"""Art. 23.2 across the suite: a party excluded by the board loses access to the other
services at once, through governance's PARTY_EXCLUDED event on the real broker and each
service's party-status projection."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import select

from tests.integration.governance.harness import Board
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.testing import channel, precondition, running_service, wait_for

pytestmark = pytest.mark.integration

TARGET = "00000099000000000058"  # Ons Welzijn
GET_NOMINATION = "/zorgtafel.intake.v1.IntakeService/GetNomination"


def directory_status(app, party: str) -> str | None:
    t = app.definition.tables["party_directory"]
    with app.engine.connect() as conn:
        row = conn.execute(select(t.c.status).where(t.c.party_id == party)).first()
    return row.status if row else None


def intake_call(app, keys) -> grpc.StatusCode:
    call = channel(app).unary_unary(
        GET_NOMINATION, request_serializer=lambda b: b, response_deserializer=lambda b: b
    )
    try:
        call(b"", metadata=keys.metadata(TARGET, "caseworker", "worker-1"), timeout=10)
        return grpc.StatusCode.OK
    except grpc.RpcError as err:
        return err.code()


def test_excluded_party_is_refused_by_another_service_through_the_broker(
    broker, data_dir, database_url, keys
):
    with (
        running_service("intake", data_dir, broker.bootstrap, database_url) as intake,
        running_service("governance", data_dir, broker.bootstrap, database_url) as gov,
    ):
        wait_for(lambda: directory_status(intake, TARGET) == "active", timeout=60)
        before = intake_call(intake, keys)
        assert before != grpc.StatusCode.PERMISSION_DENIED  # served (the nomination may not exist)

        board = Board(gov, keys)
        with pytest.raises(grpc.RpcError) as err:
            board.chair.Exclude(party_id=TARGET, subject_code="breach")
        assert "notice of default" in precondition(err.value).description
        board.secretary.RecordNoticeOfDefault(party_id=TARGET, reason_code="art-17-breach")
        proposal = board.chair.Exclude(party_id=TARGET, subject_code="breach").proposal
        board.secretary.RecordWrittenInput(
            proposal_id=proposal.proposal_id, party_id=TARGET, kind=pb.INPUT_KIND_HEARD
        )
        board.vote(proposal.proposal_id, [pb.VOTE_CHOICE_FOR] * 3 + [pb.VOTE_CHOICE_AGAINST])
        assert (
            board.chair.Decide(proposal_id=proposal.proposal_id).proposal.status
            == pb.PROPOSAL_STATUS_ADOPTED
        )

        wait_for(lambda: directory_status(intake, TARGET) == "excluded", timeout=60)
        assert intake_call(intake, keys) == grpc.StatusCode.PERMISSION_DENIED
