"""Valid intake requests, mutated: the requests of this package's integration flows are recorded
as partner systems send them, then each is sent again with one field at or past its edge
(tests/mutants.py). Never INTERNAL or UNKNOWN, never the input echoed back."""

from __future__ import annotations

import pytest

from tests.integration.intake import test_intake, test_need_to_know, test_worklist
from tests.mutants import (
    SERVICES_TOUCH_RANDOM,
    recording_stub,
    replay_mutated,
    run_flows,
    unrecorded,
)

pytestmark = [pytest.mark.integration, SERVICES_TOUCH_RANDOM]


def test_mutated_valid_intake_requests_never_answer_internal(env):
    ran = 0
    with recording_stub(env) as recorder:
        ran += run_flows(test_intake, env)
        ran += run_flows(test_need_to_know, env)
        ran += run_flows(test_worklist, env)
    assert ran, "no flow ran"
    rpcs, outcomes, internal = replay_mutated({"intake": env.app}, recorder.calls)
    unrecorded_rpcs = unrecorded("intake", recorder.calls)  # every RPC is mutated
    print(
        f"\nmutated intake requests of {rpcs} RPCs after {ran} flows: {dict(outcomes)}; "
        f"{len(internal)} INTERNAL/UNKNOWN; not recorded: {unrecorded_rpcs}"
    )
    assert not unrecorded_rpcs, unrecorded_rpcs
    assert not internal, internal
