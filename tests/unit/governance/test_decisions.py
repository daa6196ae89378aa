"""The covenant's counting rules (art. 5, 7.1-7.3, 23.2) as pure domain logic."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from services.governance.domain.bodies import Body
from services.governance.domain.decisions import (
    KIND_BODIES,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Tally,
    VoteChoice,
    count_votes,
    missing_input,
)
from services.governance.domain.formats import check_code
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)
A, B, C = "00000099000000000001", "00000099000000000002", "00000099000000000003"


def test_council_adopts_by_majority_of_votes_cast_7_1():
    out = count_votes(Body.PARTNER_COUNCIL, Tally(votes_for=3, votes_against=2, votes_abstain=4))
    assert out.status is ProposalStatus.ADOPTED
    assert out.binding is True
    assert out.consensus is False


def test_consensus_is_recorded_only_when_every_vote_is_in_favour_7_1():
    assert count_votes(Body.PARTNER_COUNCIL, Tally(5, 0, 0)).consensus is True
    assert count_votes(Body.PARTNER_COUNCIL, Tally(5, 0, 1)).consensus is False
    assert count_votes(Body.PARTNER_COUNCIL, Tally(5, 1, 0)).consensus is False


def test_majority_against_is_a_decision_to_reject():
    out = count_votes(Body.PARTNER_COUNCIL, Tally(1, 2, 0))
    assert out.status is ProposalStatus.REJECTED


@pytest.mark.parametrize("tally", [Tally(2, 2, 0), Tally(0, 0, 0), Tally(0, 0, 3)])
def test_council_without_majority_refers_the_matter_to_the_board_7_3(tally):
    out = count_votes(Body.PARTNER_COUNCIL, tally)
    assert out.status is ProposalStatus.REFERRED
    assert out.binding is False


def test_board_tie_is_no_majority_and_adopts_nothing_23_2():
    out = count_votes(Body.REGIONAL_BOARD, Tally(3, 3, 0))
    assert out.status is ProposalStatus.REJECTED
    assert out.binding is False


def test_board_decision_binds_all_parties_5_2():
    assert count_votes(Body.REGIONAL_BOARD, Tally(4, 1, 0)).binding is True


def test_absent_affected_party_without_input_blocks_5_3_7_2():
    assert missing_input(
        [A, B, C], present_parties={A}, input_parties={C}, active_parties={A, B, C}
    ) == [B]


def test_an_affected_party_no_longer_active_does_not_block_21_3_23_2():
    """A party that withdrew or was excluded is no party: there is no absent member to hear."""
    assert missing_input([A, B, C], set(), set(), active_parties={A, C}) == [A, C]
    assert missing_input([B], set(), set(), active_parties={A, C}) == []


def test_affected_party_that_voted_or_gave_input_does_not_block():
    assert (
        missing_input([A, B], present_parties={A}, input_parties={B}, active_parties={A, B}) == []
    )
    assert missing_input([], present_parties=set(), input_parties=set(), active_parties={A}) == []


def test_referral_puts_the_same_matter_to_the_board_7_3():
    p = Proposal(
        "p1",
        Body.PARTNER_COUNCIL,
        ProposalKind.WORK_PROCESS,
        "wp-2",
        significantly_affects=[A],
        proposed_by_party=B,
        proposed_at=NOW,
        work_process_version="2",
        policy_revision="sha256:x",
    )
    r = p.referral("p2", NOW)
    assert (r.body, r.kind, r.subject_code, r.referred_from) == (
        Body.REGIONAL_BOARD,
        ProposalKind.WORK_PROCESS,
        "wp-2",
        "p1",
    )
    assert r.significantly_affects == [A] and r.policy_revision == "sha256:x"
    assert r.status is ProposalStatus.OPEN


def test_a_work_process_is_the_councils_or_the_boards_on_referral_6_6c_7_3():
    assert KIND_BODIES[ProposalKind.WORK_PROCESS] == {Body.PARTNER_COUNCIL}
    council = Proposal("p1", Body.PARTNER_COUNCIL, ProposalKind.WORK_PROCESS, "wp", proposed_at=NOW)
    assert council.establishes_work_process()
    assert council.referral("p2", NOW).establishes_work_process()
    direct = Proposal("p3", Body.REGIONAL_BOARD, ProposalKind.WORK_PROCESS, "wp", proposed_at=NOW)
    assert not direct.establishes_work_process()  # put to the board before the rule said so
    general = Proposal("p4", Body.PARTNER_COUNCIL, ProposalKind.GENERAL, "x", proposed_at=NOW)
    assert not general.establishes_work_process()


def test_a_decided_proposal_cannot_be_decided_again():
    p = Proposal("p1", Body.REGIONAL_BOARD, ProposalKind.GENERAL, "x", proposed_at=NOW)
    p.record(count_votes(Body.REGIONAL_BOARD, Tally(1, 0, 0)), "d1", NOW)
    with pytest.raises(FailedPrecondition) as err:
        p.record(count_votes(Body.REGIONAL_BOARD, Tally(1, 0, 0)), "d2", NOW)
    assert err.value.state == "adopted"


def test_tally_counts_each_choice():
    t = Tally.of([VoteChoice.FOR, VoteChoice.AGAINST, VoteChoice.FOR, VoteChoice.ABSTAIN])
    assert (t.votes_for, t.votes_against, t.votes_abstain) == (2, 1, 1)


@pytest.mark.parametrize("bad", ["", "Free text about a person", "x" * 65, "a b"])
def test_subject_is_a_code_never_free_text(bad):
    with pytest.raises(InvalidArgument) as err:
        check_code(bad, "subject_code")
    assert err.value.violations[0][0] == "subject_code"
