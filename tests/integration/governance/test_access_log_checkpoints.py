"""Governance keeps every service's signed access-log checkpoints (issue #15): disclosure's real
checkpoints reach governance through the broker, are verified with disclosure's public key
(configured as ``ZORGTAFEL_ACCESS_LOG_PUBLIC_KEYS``), and the file ``zorgtafel checkpoints
export`` writes is what ``zorgtafel verify-log --checkpoint`` and ``VerifyLog(trusted=...)``
accept: it vouches for the intact log and catches a tail cut off together with its checkpoints
in disclosure's database."""

from __future__ import annotations

import json
from typing import NamedTuple

import grpc
import pytest
from sqlalchemy import delete, select

from services.governance.adapters import orm as gov_orm
from tests.integration.disclosure.conftest import (
    ALL_PARTIES,
    CELLO,
    DIRECTOR,
    GGZ,
    Env,
    provide,
    request,
)
from tests.integration.disclosure.test_access_log import (
    AUDITOR,
    rewrite,
    rows_of,
    tampering,
    verify_cli,
)
from zorgtafel.cli import main as cli_main
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as casework_pb
from zorgtafel.generated.casework.v1 import casework_pb2_grpc
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2 as governance_pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc
from zorgtafel.generated.intake.v1 import intake_pb2 as intake_pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc
from zorgtafel.kernel.accesslog.checkpoint import PublicKey
from zorgtafel.testing import ServiceEnv, service_env, wait_for
from zorgtafel.testing.cli import printed_json

pytestmark = pytest.mark.integration

LOG_ID = "zorgtafel.disclosure.accesslog"
SERVICES = ("disclosure", "intake", "casework", "governance")


class GovEnv(ServiceEnv):
    def __init__(self, app, keys, publisher, logs=None) -> None:
        super().__init__(
            app, keys, publisher, logs, stub_class=governance_pb2_grpc.GovernanceServiceStub
        )


class IntakeEnv(ServiceEnv):
    def __init__(self, app, keys, publisher, logs=None) -> None:
        super().__init__(app, keys, publisher, logs, stub_class=intake_pb2_grpc.IntakeServiceStub)


class CaseworkEnv(ServiceEnv):
    def __init__(self, app, keys, publisher, logs=None) -> None:
        super().__init__(
            app, keys, publisher, logs, stub_class=casework_pb2_grpc.CaseworkServiceStub
        )


class Suite(NamedTuple):
    disclosure: Env
    governance: GovEnv
    others: dict[str, ServiceEnv]  # intake and casework


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def suite(request, broker, tmp_path_factory):
    """Disclosure, intake and casework publishing every checkpoint, and governance holding only
    their public keys as configuration (their data directories, hence their dev keys, differ;
    governance's own key is next to its signing key). One broker, one governance."""
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    dirs = {s: tmp_path_factory.mktemp(f"cp-{s}-{request.param}") for s in SERVICES}
    every = {"log_checkpoint_publish_s": "0"}

    def pub(service: str) -> str:
        return (dirs[service] / "dev-keys" / f"{service}-log-signing.pub").read_text().strip()

    with (
        service_env(
            "disclosure", Env, broker.bootstrap, dirs["disclosure"], url, extra=every
        ) as disclosure,
        service_env(
            "intake", IntakeEnv, broker.bootstrap, dirs["intake"], url, extra=every
        ) as intake,
        service_env(
            "casework", CaseworkEnv, broker.bootstrap, dirs["casework"], url, extra=every
        ) as casework,
        service_env(
            "governance",
            GovEnv,
            broker.bootstrap,
            dirs["governance"],
            url,
            extra={
                **every,
                "access_log_public_keys": ",".join(
                    f"{s}:{pub(s)}" for s in ("disclosure", "intake", "casework")
                ),
            },
        ) as governance,
    ):
        for env in (disclosure, intake, casework, governance):
            wait_for(lambda env=env: env.app.consumer.assigned.is_set(), timeout=40)
        disclosure.register_parties(ALL_PARTIES)
        disclosure.appoint(GGZ, DIRECTOR)
        yield Suite(disclosure, governance, {"intake": intake, "casework": casework})


def kept(governance, log_id: str = LOG_ID, key_id: str | None = None) -> list:
    """The checkpoints governance keeps of a log (of one signing key: the fork test below signs
    casework's log id with another key governance also knows)."""
    t = gov_orm.log_checkpoints
    q = select(t).where(t.c.log_id == log_id)
    if key_id is not None:
        q = q.where(t.c.key_id == key_id)
    with governance.app.engine.connect() as conn:
        return conn.execute(q.order_by(t.c.seq)).all()


def own_key(env: ServiceEnv, service: str) -> str:
    """The key id of the service's own signing key (its development key)."""
    pub = env.app.settings.data_dir / "dev-keys" / f"{service}-log-signing.pub"
    return PublicKey.from_file(pub).key_id


def export_cli(governance, capsys, path) -> int:
    settings = governance.app.settings
    args = ["checkpoints", "export", "--log-id", LOG_ID]
    args += ["--service-db", settings.effective_database_url]
    if settings.effective_schema:
        args += ["--schema", settings.effective_schema]
    capsys.readouterr()
    code = cli_main(args)
    exported = printed_json(capsys.readouterr().out, lambda v: isinstance(v, list))
    path.write_text(json.dumps(exported))
    return code


def test_disclosures_checkpoints_reach_governance_and_its_export_verifies_disclosures_log(
    suite, capsys, tmp_path
):
    disclosure, governance, _ = suite
    case_id, _ = disclosure.open_case()
    item = provide(disclosure, case_id)
    for _ in range(3):
        request(disclosure, CELLO, [item])
    size = len(disclosure.log_rows())
    assert size >= 3
    wait_for(lambda: any(r.size == size for r in kept(governance)), timeout=30)
    rows = kept(governance)
    assert {r.status for r in rows} == {"verified"} and not any(r.alert for r in rows)
    assert len({(r.size, r.root) for r in rows}) == len(rows)  # each checkpoint stored once

    exported = tmp_path / "checkpoints.json"
    assert export_cli(governance, capsys, exported) == 0
    held = json.loads(exported.read_text())
    assert held[-1]["size"] == size
    code, out = verify_cli(disclosure, capsys, "--checkpoint", str(exported))
    assert code == 0 and out["intact"] and out["records"] == size, out

    # A database administrator cuts off the last two records with their checkpoints and
    # recomputes the head: disclosure's own database now looks whole, governance's does not.
    log_rows = rows_of(disclosure)
    with tampering(disclosure):
        cps = disclosure.tables["access_log_checkpoints"]
        with disclosure.app.engine.begin() as conn:
            conn.execute(delete(cps).where(cps.c.size > size - 2))
        rewrite(disclosure, log_rows[:-2], checkpoints=False)
        code, alone = verify_cli(disclosure, capsys)
        assert code == 0 and alone["intact"]  # without governance's checkpoints: unnoticed
        code, out = verify_cli(disclosure, capsys, "--checkpoint", str(exported))
        assert code == 1 and out["first_bad_seq"] == size - 1, out
        trusted = [
            pb.SignedCheckpoint(
                log_id=c["log_id"],
                size=c["size"],
                root=bytes.fromhex(c["root"]),
                signed_at=c["signed_at"],
                key_id=c["key_id"],
                signature=bytes.fromhex(c["signature"]),
            )
            for c in held[-1:]
        ]
        report = disclosure.stub.VerifyLog(
            pb.VerifyLogRequest(trusted=trusted), metadata=disclosure.md(*AUDITOR)
        )
        assert not report.intact and report.first_bad_seq == size - 1


def test_a_fork_published_on_the_broker_is_kept_and_counted_on_the_ops_server(suite):
    """Two genuine roots for one size of a log (here casework's, signed with the development
    key governance knows): both kept, the second flagged, the counter on the ops server."""
    import urllib.request

    from zorgtafel.kernel.accesslog.checkpoint import Signer

    _, governance, _ = suite
    data_dir = governance.app.settings.data_dir
    signer = Signer.from_file(data_dir / "dev-keys" / "casework-log-signing.key")
    log_id = "zorgtafel.casework.accesslog"
    # A size and a time casework's real log (running in this suite) never contradicts: far
    # beyond its size, signed later than anything it signs here.
    size = 1_000_000
    for root, at in (
        (b"\x01" * 32, "2099-12-01T10:00:00+00:00"),
        (b"\x02" * 32, "2099-12-01T10:01:00+00:00"),
    ):
        cp = signer.sign(log_id, size, root, at)
        data = {
            "log_id": log_id,
            "size": size,
            "root": root.hex(),
            "signed_at": at,
            "key_id": cp.key_id,
            "signature": cp.signature.hex(),
        }
        governance.pub.publish("disclosure", ev.ACCESS_LOG_CHECKPOINTED, log_id, data)

    def flagged() -> list:
        t = gov_orm.log_checkpoints
        with governance.app.engine.connect() as conn:
            return conn.execute(select(t.c.alert).where(t.c.log_id == log_id)).all()

    wait_for(lambda: len(flagged()) == 2, timeout=30)
    assert sorted(str(r.alert) for r in flagged()) == ["None", "fork"]
    url = f"http://127.0.0.1:{governance.app.ops.port}/metrics/access-log"
    with urllib.request.urlopen(url, timeout=5) as r:
        body = r.read().decode()
    assert f'zorgtafel_access_log_fork_total{{kind="fork",log_id="{log_id}"}} 1.0' in body


# -- every other service's log (issue #15: one access log per service, kept alike) --------------


def _refused_read(service: str, env: ServiceEnv) -> None:
    """A call the authz policy refuses (a board chair's token asks for a case): the kernel logs
    it in the service's own access log, which signs and publishes a checkpoint over it."""
    call = {
        "intake": lambda: env.stub.GetNomination(
            intake_pb.GetNominationRequest(case_id="case-cp-1"), metadata=env.md(GGZ, "board_chair")
        ),
        "casework": lambda: env.stub.GetCase(
            casework_pb.GetCaseRequest(case_id="case-cp-1"), metadata=env.md(GGZ, "board_chair")
        ),
    }[service]
    # The party must be known to the service first, or the call is UNAVAILABLE, not refused.
    wait_for(lambda: env.party_status(GGZ) == "active", timeout=40)
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED, err.value.details()


def _log_size(env: ServiceEnv) -> int:
    t = env.tables["access_log"]
    with env.app.engine.connect() as conn:
        return len(conn.execute(select(t.c.seq)).all())


@pytest.mark.parametrize("service", ["intake", "casework"])
def test_a_services_checkpoint_reaches_governance_and_is_stored_verified(suite, service):
    _, governance, others = suite
    env = others[service]
    log_id = f"zorgtafel.{service}.accesslog"
    _refused_read(service, env)
    size = _log_size(env)
    assert size >= 1
    key = own_key(env, service)
    wait_for(lambda: any(r.size >= size for r in kept(governance, log_id, key)), timeout=30)
    rows = kept(governance, log_id, key)
    assert {r.status for r in rows} == {"verified"} and not any(r.alert for r in rows)


def test_governances_own_checkpoint_comes_back_to_it_verified(suite):
    """Governance publishes its own log's checkpoints on its own topic and keeps them by the
    same path as everyone's, checked with its own key."""
    _, governance, _ = suite
    log_id = "zorgtafel.governance.accesslog"
    governance.stub.ListParties(
        governance_pb.ListPartiesRequest(), metadata=governance.md(GGZ, "caseworker")
    )
    size = _log_size(governance)
    assert size >= 1
    key = own_key(governance, "governance")
    wait_for(lambda: any(r.size >= size for r in kept(governance, log_id, key)), timeout=30)
    rows = kept(governance, log_id, key)
    assert {r.status for r in rows} == {"verified"} and not any(r.alert for r in rows)
