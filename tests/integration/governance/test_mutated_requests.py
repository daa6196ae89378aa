"""Valid governance requests, mutated: the requests of the governance flows (seats and their
appointment and release, the process directors' roster, meetings,
proposals and votes, accession, exclusion, amendment and withdrawal, disputes, policy revisions,
the annual report) are recorded as the board's and council's people send them, then each is sent
again with one field at or past its edge (tests/mutants.py). Never INTERNAL or UNKNOWN."""

from __future__ import annotations

import pytest

from tests.integration.governance import harness
from tests.integration.governance import test_appointments as appointments
from tests.integration.governance import test_governance as flows
from tests.mutants import SERVICES_TOUCH_RANDOM, recording, replay_mutated, unrecorded
from zorgtafel.generated.governance.v1 import governance_pb2 as pb

# The governance integration flows, in the order their module runs them (each builds on the
# facts the ones before it left, as there).
FLOWS = [
    flows.test_bodies_and_seats_come_from_the_covenant,
    flows.test_the_party_list_pages_through_every_party_once_and_tokens_fit_only_their_query,
    flows.test_only_board_seat_holders_vote_in_the_board,
    flows.test_council_decides_by_majority_and_records_consensus_7_1,
    flows.test_absent_affected_party_blocks_the_decision_until_its_input_5_3_7_2,
    flows.test_meeting_attendance_decides_who_is_absent_5_3_7_2,
    flows.test_accession_needs_every_partys_approval_a_board_decision_and_annex_1,
    flows.test_exclusion_needs_a_notice_of_default_and_a_board_majority_23_2,
    flows.test_amendment_requires_resigning_and_withdrawal_takes_effect_with_it_21,
    flows.test_disputes_escalate_along_their_chain_and_no_further,
    flows.test_annual_report_counts_casework_and_disclosure_events,
    appointments.test_appointing_authorities_reappoint_and_holders_release_and_the_roster_follows,
]

pytestmark = [pytest.mark.integration, SERVICES_TOUCH_RANDOM]


@pytest.fixture(scope="module", autouse=True)
def recorder():
    """Every governance person of this module (the env's board and council included) calls
    through a channel that records what it sends."""
    with recording(harness) as r:
        yield r


def test_mutated_valid_governance_requests_never_answer_internal(gov_env, recorder, tmp_path):
    for flow in FLOWS:
        flow(gov_env)
    flows.test_only_adopted_policy_revisions_are_served_as_opa_bundles(gov_env, tmp_path)
    chair = gov_env.board.chair  # and the one read no flow makes on its own
    proposal = chair.Propose(
        body=flows.BOARD, kind=pb.PROPOSAL_KIND_GENERAL, subject_code="mutation-probe"
    ).proposal
    chair.GetProposal(proposal_id=proposal.proposal_id)
    rpcs, outcomes, internal = replay_mutated({"governance": gov_env.app}, recorder.calls)
    unrecorded_rpcs = unrecorded("governance", recorder.calls)  # every RPC is mutated
    print(
        f"\nmutated governance requests of {rpcs} RPCs: {dict(outcomes)}; "
        f"{len(internal)} INTERNAL/UNKNOWN; not recorded: {unrecorded_rpcs}"
    )
    assert not unrecorded_rpcs, unrecorded_rpcs
    assert not internal, internal
