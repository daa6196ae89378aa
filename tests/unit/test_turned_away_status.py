"""A person turned away for too many refusals (zorgtafel/kernel/refusals.py) is told so in the
standard rich error model (RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo), over a real gRPC
socket; a suite service relaying that person's call passes the wait on instead of calling the
peer unavailable (casework's pre-read, a subject data report)."""

from __future__ import annotations

from collections.abc import Iterator

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from tests.unit.status_call import status_call
from zorgtafel.kernel.errors import PermissionDenied, ResourceExhausted, TooManyRefusals
from zorgtafel.kernel.grpc_errors import relayed_turn_away

ANSWERS = {b"flooded": TooManyRefusals(7.2), b"refused": PermissionDenied(["not yours"])}


@pytest.fixture(scope="module")
def call() -> Iterator[grpc.UnaryUnaryMultiCallable]:
    with status_call(ANSWERS) as served:
        yield served


def failure(call: grpc.UnaryUnaryMultiCallable, request: bytes) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call(request, timeout=10)
    return err.value


def test_a_turned_away_caller_gets_resource_exhausted_with_the_quota_and_the_wait(call):
    err = failure(call, b"flooded")
    assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert "retry in 8 s" in err.details()
    details = rpc_status.from_call(err).details
    retry, quota = error_details_pb2.RetryInfo(), error_details_pb2.QuotaFailure()
    assert any(d.Unpack(retry) for d in details) and retry.retry_delay.seconds == 8
    assert any(d.Unpack(quota) for d in details) and quota.violations[0].subject == "person"


def test_a_relaying_service_passes_the_wait_on_and_nothing_else_as_a_turn_away(call):
    passed = relayed_turn_away(failure(call, b"flooded"))
    assert isinstance(passed, ResourceExhausted) and passed.retry_after_s == 8
    assert relayed_turn_away(failure(call, b"refused")) is None
