"""Governance's retention scheduler on its own, over real gRPC, the real broker and the real
databases: the marker of a purged case (the ids of the parties that had a part, kept at
CASE_PURGED) lives one second here (``ZORGTAFEL_RETENTION_OVERRIDE_S``, test/dev only; the
adopted period is 365 days, kind ``purged_case_marker``) and the scheduler ticks every 0.2 s.
Once it has gone, the purged id answers its own process director as an id never given out."""

from __future__ import annotations

import uuid

import grpc
import pytest
from sqlalchemy import func, select

from tests.integration.governance.conftest import GovernanceEnv
from tests.integration.governance.harness import ASTEN, POLICE, Person, case_known
from zorgtafel.contracts import events as ev
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.testing import service_env, wait_for


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, broker, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with service_env(
        "governance",
        GovernanceEnv,
        broker.bootstrap,
        tmp_path_factory.mktemp(f"gov-retention-{request.param}"),
        url,
        capture_logs=True,
        retention_override_s="purged_case_marker=1",
        retention_interval_s="0.2",
    ) as e:
        yield e


def rows(env, table: str, case_id: str) -> int:
    t = env.app.definition.tables[table]
    with env.app.engine.connect() as conn:
        query = select(func.count()).select_from(t).where(t.c.case_id == case_id)
        return int(conn.execute(query).scalar_one())


def answer(call) -> tuple[object, ...]:  # noqa: ANN001
    try:
        call()
    except grpc.RpcError as err:
        return (err.code(), err.details())
    return ("registered",)


def test_a_purged_cases_marker_goes_after_its_period_and_the_id_is_then_one_never_given(env):
    director = env.board.manager.designate(ASTEN)
    delegate = Person(env.app, env.keys, POLICE, "caseworker")
    case_id = f"case-{uuid.uuid4().hex}"
    case_known(env, case_id, director, delegates=[delegate])
    counted = env.app.metrics.retention_purged.labels(task="purged_case_marker")._value.get
    env.pub.publish("casework", ev.CASE_PURGED, case_id, {"case_id": case_id})
    # The tick counts its drops once its transaction committed: wait for both facts.
    wait_for(
        lambda: (
            rows(env, "case_facts", case_id) == 0
            and rows(env, "purged_case_parties", case_id) == 0
            and counted() >= 1
        ),
        timeout=60,
    )
    assert counted() == 1  # one marker, dropped once, though the scheduler kept ticking
    never = f"case-{uuid.uuid4().hex}"
    for who in (director, delegate):

        def register(about_case: str, who: Person = who) -> tuple[object, ...]:
            return answer(
                lambda: who.RegisterDispute(
                    about=pb.DISPUTE_ABOUT_CASE_DIRECTOR, case_id=about_case
                )
            )

        assert register(case_id) == register(never), who.person
        assert register(case_id)[0] == grpc.StatusCode.UNAVAILABLE, who.person
    assert "retention_tick" in env.logs.text()
