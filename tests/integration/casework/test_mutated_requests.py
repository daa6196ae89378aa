"""Valid casework requests, mutated: the requests of this package's integration flows are recorded
as partner systems send them, then each is sent again with one field at or past its edge
(tests/mutants.py). Never INTERNAL or UNKNOWN, never the input echoed back."""

from __future__ import annotations

import pytest

from tests.integration.casework import test_casework, test_need_to_know
from tests.mutants import (
    SERVICES_TOUCH_RANDOM,
    recording_stub,
    replay_mutated,
    run_flows,
    unrecorded,
)

pytestmark = [pytest.mark.integration, SERVICES_TOUCH_RANDOM]


def test_mutated_valid_casework_requests_never_answer_internal(env):
    ran = 0
    with recording_stub(env) as recorder:
        ran += run_flows(test_casework, env)
        ran += run_flows(test_need_to_know, env)
        # The stream, once (the flows that watch take more than the env).
        test_need_to_know.watched(env, env.open_case(), env.director())
    assert ran, "no flow ran"
    rpcs, outcomes, internal = replay_mutated({"casework": env.app}, recorder.calls)
    unrecorded_rpcs = unrecorded("casework", recorder.calls)  # every RPC is mutated
    print(
        f"\nmutated casework requests of {rpcs} RPCs after {ran} flows: {dict(outcomes)}; "
        f"{len(internal)} INTERNAL/UNKNOWN; not recorded: {unrecorded_rpcs}"
    )
    assert not unrecorded_rpcs, unrecorded_rpcs
    assert not internal, internal
