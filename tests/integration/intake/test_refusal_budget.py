"""Refused calls cannot be used to fill the access log (``zorgtafel/kernel/refusals.py``): a
person refused ``ZORGTAFEL_REFUSAL_BURST`` times in a row is turned away with
RESOURCE_EXHAUSTED and the time to wait, before any policy runs or any record is written, until
``ZORGTAFEL_REFUSALS_PER_MINUTE`` gives one refusal back; keyed by the verified (party, person),
so another person, the same id at another party, and neither a role claimed anew nor an allowed
call gets past it. Intake over real gRPC on the real broker (SQLite; the budget is the process's,
the records are the access log's)."""

from __future__ import annotations

import json

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from tests.integration.intake.conftest import (
    ASTEN,
    FARENT,
    POLICE,
    assess_request,
    started_intake,
)
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.testing.services import channel, wait_for

pytestmark = pytest.mark.integration

BURST = 3
PER_MINUTE = 12  # one refusal given back every 5 s: a busy machine's three calls fit in less


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    with started_intake(
        "",
        tmp_path_factory.mktemp("refusal-budget"),
        refusal_burst=BURST,
        refusals_per_minute=PER_MINUTE,
    ) as e:
        yield e


def code_of(call) -> grpc.StatusCode:
    try:
        call()
    except grpc.RpcError as err:
        return err.code()
    return grpc.StatusCode.OK


def read(env, case_id: str, md: tuple):
    return lambda: env.stub.GetNomination(pb.GetNominationRequest(case_id=case_id), metadata=md)


def refused_records(env, party: str, person: str) -> list:
    logs = al_grpc.AccessLogServiceStub(channel(env.app))
    officer = env.md(party, "privacy_officer", person=f"fg-{person}")
    entries = logs.ListAccess(al.ListAccessRequest(party=party), metadata=officer).entries
    return [e for e in entries if e.person == person and e.result == "denied"]


def limited_lines(env, person: str) -> list[dict]:
    lines = [json.loads(x) for x in env.logs.text().splitlines() if x.startswith("{")]
    return [x for x in lines if x.get("event") == "refusals_limited" and x["person"] == person]


def test_a_person_refused_too_often_is_turned_away_without_a_decision_or_a_record(env):
    case_id = env.nominate().case_id
    outsider = env.md(FARENT, "caseworker", person="cw-flood")
    for _ in range(BURST):
        assert code_of(read(env, case_id, outsider)) == grpc.StatusCode.PERMISSION_DENIED

    with pytest.raises(grpc.RpcError) as turned:
        read(env, case_id, outsider)()
    assert turned.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED
    status = rpc_status.from_call(turned.value)
    retry = error_details_pb2.RetryInfo()
    assert any(d.Unpack(retry) for d in status.details), "no RetryInfo"
    assert 1 <= retry.retry_delay.seconds <= 60 / PER_MINUTE
    assert case_id not in (turned.value.details() or "")

    # Neither a role claimed anew, nor a call the person may make, gets past it.
    as_officer = env.md(FARENT, "privacy_officer", person="cw-flood")
    assert code_of(read(env, case_id, as_officer)) == grpc.StatusCode.RESOURCE_EXHAUSTED
    nominate = lambda: env.nominate(party=FARENT, person="cw-flood")  # noqa: E731
    assert code_of(nominate) == grpc.StatusCode.RESOURCE_EXHAUSTED

    # Another person of the party, and the same employee id at another party, keep theirs.
    colleague = env.md(FARENT, "caseworker", person="cw-colleague")
    assert code_of(read(env, case_id, colleague)) == grpc.StatusCode.PERMISSION_DENIED
    namesake = env.md(POLICE, "caseworker", person="cw-flood")
    assert code_of(read(env, case_id, namesake)) == grpc.StatusCode.PERMISSION_DENIED
    # The nominator is not held up by someone else's refusals.
    assert (
        env.stub.GetNomination(
            pb.GetNominationRequest(case_id=case_id), metadata=env.nominator(case_id)
        ).nomination.case_id
        == case_id
    )

    # The access log holds the refusals that were decided, and none of the turned-away calls.
    assert len(refused_records(env, FARENT, "cw-flood")) == BURST

    # Once the budget gives one refusal back, the person is decided (and logged) again, once.
    wait_for(
        lambda: code_of(read(env, case_id, outsider)) == grpc.StatusCode.PERMISSION_DENIED,
        timeout=3 * 60 / PER_MINUTE,
    )
    assert code_of(read(env, case_id, outsider)) == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert len(refused_records(env, FARENT, "cw-flood")) == BURST + 1

    # Said once per run of turned-away calls, without what was asked for.
    lines = limited_lines(env, "cw-flood")
    assert len(lines) == 2, lines
    assert {x["party"] for x in lines} == {FARENT}
    assert case_id not in json.dumps(lines)


def test_refusals_by_the_authorisation_policy_count_too(env):
    worker = env.md(ASTEN, "caseworker", person="cw-assess")
    case_id = env.nominate().case_id
    attempt = lambda: env.stub.Assess(assess_request(case_id), metadata=worker)  # noqa: E731
    for _ in range(BURST):
        assert code_of(attempt) == grpc.StatusCode.PERMISSION_DENIED
    assert code_of(attempt) == grpc.StatusCode.RESOURCE_EXHAUSTED
    assert len(refused_records(env, ASTEN, "cw-assess")) == BURST
    assert len(limited_lines(env, "cw-assess")) == 1
