"""The access log on its retention clock (issue #14, kind ``access_log``), in intake as the
kernel runs every service, over real gRPC and the real databases (SQLite file, PostgreSQL
schema): with the period set to one second (``ZORGTAFEL_RETENTION_OVERRIDE_S``, test/dev only)
and a tick every 0.2 s, the kernel's own task prunes the oldest records without anyone calling
anything; VerifyLog still says intact and counts them as pruned, their rows no longer name the
subject or the case, a listing no longer finds them, and the retention log line holds counts."""

from __future__ import annotations

import grpc
import pytest
from sqlalchemy import select

from tests.integration.intake.conftest import ASTEN, POLICE, started_intake
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey
from zorgtafel.testing.services import channel, wait_for

pytestmark = pytest.mark.integration

RETENTION = {"retention_override_s": "access_log=1", "retention_interval_s": "0.2"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, tmp_path_factory):
    """One intake per database whose access log is pruned after one second."""
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with started_intake(url, tmp_path_factory.mktemp("intake-pruned"), **RETENTION) as e:
        yield e


def officer(env) -> tuple:
    return env.md(ASTEN, "privacy_officer", person="fg-1")


def test_verify_log_is_intact_after_the_kernel_pruned_the_oldest_records(env):
    logs = al_grpc.AccessLogServiceStub(channel(env.app))
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)  # the process director's read: a record naming both
    md = officer(env)
    # Every record so far, that read among them (its period may already be over: no listing).
    upto = logs.VerifyLog(al.VerifyLogRequest(), metadata=md).report.records
    assert upto >= 1

    # Nobody calls anything: the kernel's task prunes them one period later.
    def pruned() -> al.VerifyLogResponse | None:
        reply = logs.VerifyLog(al.VerifyLogRequest(), metadata=md)
        return reply if reply.report.pruned_records >= upto else None

    reply = wait_for(pruned, timeout=60)
    report = reply.report
    assert report.intact, list(report.problems)
    assert report.pruned[0].first == 1 and report.pruned[0].last >= upto
    assert report.records >= upto and report.signed_size >= upto

    # The newest checkpoint still verifies with the public key alone, over the same tree.
    cp = logs.GetCheckpoint(al.GetCheckpointRequest(), metadata=md).checkpoint
    key = PublicKey.from_file(env.app.settings.data_dir / "dev-keys" / "intake-log-signing.pub")
    assert key.verifies(
        Checkpoint(cp.log_id, cp.size, cp.root, cp.signed_at, cp.key_id, cp.signature)
    )

    # The pruned rows hold neither the pseudonym nor the case; a listing no longer finds them.
    t = env.app.definition.tables["access_log"]
    with env.app.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.seq <= upto)).mappings().all()
    assert len(rows) == upto and all(r["pruned_leaf"] is not None for r in rows)
    stored = " ".join(str(v) for r in rows for k, v in r.items() if k != "pruned_leaf")
    assert pseudonym not in stored and case_id not in stored
    try:
        later = logs.ListAccess(al.ListAccessRequest(subject_pseudonym=pseudonym), metadata=md)
    except grpc.RpcError as err:
        # Nothing left concerns the officer's party: a pruned record names no party either.
        assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    else:
        assert all(e.seq > upto for e in later.entries)

    # Reported as the other retention tasks: counts in the metrics and the log, no ids of people.
    done = env.app.metrics.retention_purged.labels(task="access_log_prune")._value.get()
    assert done >= upto
    ticks = [line for line in env.logs.text().splitlines() if "retention_tick" in line]
    assert any("access_log_prune" in line for line in ticks)
    assert not any(pseudonym in line or case_id in line for line in ticks)
