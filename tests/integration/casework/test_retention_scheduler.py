"""Casework's retention scheduler on its own (issue #14), over real gRPC, the real broker and
the real databases: the closed-case period set to one second (``ZORGTAFEL_RETENTION_OVERRIDE_S``,
test/dev only) and a tick every 0.2 s. A case walked to closing through the API is purged without
anyone calling ``Purge``: the same domain rule and repository, one ``CASE_PURGED``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.integration.casework.conftest import (
    ACTIVE,
    DIRECTOR_PERSON,
    LUMENS,
    SOCIOM,
    Env,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.testing import rid, service_env, wait_for


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, broker, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with service_env(
        "casework",
        Env,
        broker.bootstrap,
        tmp_path_factory.mktemp("casework-retention"),
        url,
        capture_logs=True,
        retention_override_s="case_closed=1",
        retention_interval_s="0.2",
    ) as e:
        e.register_parties(ACTIVE, (SOCIOM,))
        e.appoint(LUMENS, DIRECTOR_PERSON)
        yield e


def purged(env, case_id: str) -> bool:
    t = env.app.definition.tables["purged_cases"]
    with env.app.engine.connect() as conn:
        return conn.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first() is not None


def test_a_closed_case_is_purged_by_the_scheduler_once(env):
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.stub.Deescalate(
        pb.DeescalateRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            criteria_met=["safe_housing", "care_in_regular_system"],
        ),
        metadata=env.director(),
    )
    env.stub.CloseCase(
        pb.CloseCaseRequest(request_id=rid(), case_id=case_id), metadata=env.director()
    )
    counted = env.app.metrics.retention_purged.labels(task="case_closed")._value.get
    # The tick counts its purges once its transaction committed: wait for both facts (on a
    # busy machine the rows are gone a moment before the count is).
    wait_for(lambda: purged(env, case_id) and counted() >= 1, timeout=60)

    assert env.count("cases", case_id=case_id) == 0
    assert env.count("case_keys", case_id=case_id) == 0
    assert env.count("purged_cases", case_id=case_id) == 1
    assert counted() == 1  # once, though the scheduler kept ticking
    assert "retention_tick" in env.logs.text()
