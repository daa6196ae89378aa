"""Art. 23.2 in disclosure: a party the board excludes through the REAL governance service
(Exclude after a notice of default, decided by a board majority) is refused every disclosure
from then on. The exclusion reaches disclosure only as governance's PARTY_EXCLUDED event on the
real broker, applied to disclosure's party-status projection."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.disclosure.conftest import (
    CELLO,
    GGZ,
    denial,
    provide,
    reasons_of,
    request,
    wait_for,
)
from tests.integration.governance.harness import Board
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2 as gpb
from zorgtafel.testing import running_service

pytestmark = pytest.mark.integration

TARGET = "00000099000000000051"  # Leger des Heils (shelter)


def test_party_excluded_by_the_board_is_refused_every_disclosure(env, broker, module_db):
    data_dir = env.keys.dir.parent  # the same identity provider keys as disclosure's callers
    with running_service("governance", data_dir, broker.bootstrap, module_db) as gov:
        wait_for(lambda: env.party_status(TARGET) == "active", timeout=60)
        case_id, _ = env.open_case(
            roles={
                TARGET: {"role": "shelter", "information_need": ["health", "housing"]},
                CELLO: {"role": "care_provider", "information_need": ["health"]},
            },
            delegates=(TARGET, CELLO, GGZ),
        )
        item = provide(env, case_id)
        assert request(env, TARGET, [item]).items[0].item_id == item  # served while active

        board = Board(gov, env.keys)
        board.secretary.RecordNoticeOfDefault(party_id=TARGET, reason_code="art-17-breach")
        proposal = board.chair.Exclude(party_id=TARGET, subject_code="breach").proposal
        board.secretary.RecordWrittenInput(
            proposal_id=proposal.proposal_id, party_id=TARGET, kind=gpb.INPUT_KIND_HEARD
        )
        board.vote(proposal.proposal_id, [gpb.VOTE_CHOICE_FOR] * 3 + [gpb.VOTE_CHOICE_AGAINST])
        assert (
            board.chair.Decide(proposal_id=proposal.proposal_id).proposal.status
            == gpb.PROPOSAL_STATUS_ADOPTED
        )

        wait_for(lambda: env.party_status(TARGET) == "excluded", timeout=60)
        for action in (pb.DISCLOSURE_ACTION_READ, pb.DISCLOSURE_ACTION_PRE_READ):
            code, info = denial(lambda action=action: request(env, TARGET, [item], action=action))
            assert code == grpc.StatusCode.PERMISSION_DENIED
            assert "excluded" in reasons_of(info) and "art. 23.2" in reasons_of(info)
        code, _ = denial(
            lambda: env.stub.BreakGlass(
                pb.BreakGlassRequest(
                    item_ids=[item],
                    purpose="care_coordination",
                    justification="acute danger",
                    consulted_colleague="person-9",
                    client_informed="told in person",
                    client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
                ),
                metadata=env.md(TARGET),
            )
        )
        assert code == grpc.StatusCode.PERMISSION_DENIED
        # The other parties are still served.
        assert request(env, CELLO, [item]).items
        assert request(env, GGZ, [item]).items
