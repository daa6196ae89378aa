"""Valid disclosure requests, mutated: the requests of this package's integration flows are recorded
as partner systems send them, then each is sent again with one field at or past its edge
(tests/mutants.py). Never INTERNAL or UNKNOWN, never the input echoed back."""

from __future__ import annotations

import pytest

from tests.integration.disclosure import (
    test_access_log,
    test_closure_and_subject_effects,
    test_decisions,
    test_override_notices,
    test_processing_register,
    test_subject_data_report,
    test_subject_rights_and_registers,
)
from tests.mutants import (
    SERVICES_TOUCH_RANDOM,
    recording_stub,
    replay_mutated,
    run_flows,
    unrecorded,
)

pytestmark = [pytest.mark.integration, SERVICES_TOUCH_RANDOM]


def test_mutated_valid_disclosure_requests_never_answer_internal(env):
    ran = 0
    with recording_stub(env) as recorder:
        ran += run_flows(test_decisions, env)
        ran += run_flows(test_subject_rights_and_registers, env)
        ran += run_flows(test_access_log, env)
        ran += run_flows(test_override_notices, env)
        ran += run_flows(test_closure_and_subject_effects, env)
        ran += run_flows(test_processing_register, env)  # issue #14
        ran += run_flows(test_subject_data_report, env)  # issue #14
    assert ran, "no flow ran"
    rpcs, outcomes, internal = replay_mutated({"disclosure": env.app}, recorder.calls)
    unrecorded_rpcs = unrecorded("disclosure", recorder.calls)  # every RPC is mutated
    print(
        f"\nmutated disclosure requests of {rpcs} RPCs after {ran} flows: {dict(outcomes)}; "
        f"{len(internal)} INTERNAL/UNKNOWN; not recorded: {unrecorded_rpcs}"
    )
    assert not unrecorded_rpcs, unrecorded_rpcs
    assert not internal, internal
