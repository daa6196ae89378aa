"""Art. 6.6c, 11.3a in production: governance is ready only while the policy revision it
enforces is the latest one in force; on a fresh install that is the release's baseline
(issue #18: production starts, and its adoption RPCs can be called), recorded as the baseline in
the history; the first adoption by a decision replaces it; re-adopting an earlier revision by a
new decision (a rollback) is allowed, re-adopting the revision in force is not."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request

import grpc
import pytest

from tests.integration.governance.harness import Board, Council
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.policy import signing
from zorgtafel.policy.bundle import build_bundle, manifest_revision
from zorgtafel.testing import precondition, running_service, wait_for

pytestmark = pytest.mark.integration

A, B = "00000099000000000011", "00000099000000000012"


def readiness(app) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{app.ops.port}/readyz", timeout=3) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def served_revision(app) -> str:
    url = f"http://127.0.0.1:{app.ops.port}/bundles/zorgtafel.tar.gz"
    with urllib.request.urlopen(url, timeout=5) as r:
        data = r.read()
    public_key = (app.settings.data_dir / "dev-keys" / "bundle-signing.pub").read_bytes()
    return manifest_revision(signing.verify(data, public_key))


def history(app) -> list[tuple[str, str, bool]]:
    from sqlalchemy import select

    t = app.definition.tables["policy_revisions"]
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.revision, t.c.work_process_version, t.c.baseline).order_by(t.c.seq)
        ).all()
    return [tuple(r) for r in rows]


def adopt(board: Board, council: Council, revision: str, bundle: bytes, version: str):
    p = (
        council.delegate(A)
        .Propose(
            body=pb.BODY_PARTNER_COUNCIL,
            kind=pb.PROPOSAL_KIND_WORK_PROCESS,
            subject_code="work-process",
            work_process_version=version,
            policy_revision=revision,
        )
        .proposal
    )
    council.vote(p.proposal_id, {A: pb.VOTE_CHOICE_FOR, B: pb.VOTE_CHOICE_FOR})
    board.council_secretary.Decide(proposal_id=p.proposal_id)
    return lambda: board.manager.AdoptPolicyRevision(proposal_id=p.proposal_id, bundle=bundle)


def test_production_starts_on_the_baseline_then_adopts_and_rolls_back(
    broker, data_dir, keys, tmp_path
):
    with running_service("governance", data_dir, broker.bootstrap, production=True) as gov:
        baseline = build_bundle(gov.settings.policy_dir, tmp_path / "baseline.tar.gz")
        status, body = wait_for(
            lambda: (lambda r: r if r[0] == 200 else None)(readiness(gov)), timeout=60
        )
        assert body["failing"] == []  # ready on the baseline, nothing adopted yet
        assert gov.policy.revision == baseline == served_revision(gov)
        assert history(gov) == [(baseline, "baseline", True)]
        board, council = Board(gov, keys), Council(gov, keys)
        in_force = council.delegate(B).GetAdoptedPolicyRevision().revision
        assert in_force.revision == baseline and in_force.baseline

        # Another revision (one comment more), adopted by a decision: it replaces the baseline.
        changed = tmp_path / "rego"
        shutil.copytree(gov.settings.policy_dir, changed)
        authz = changed / "authz" / "authz.rego"
        authz.write_text(authz.read_text() + "\n# work process 2026.2\n")
        second = build_bundle(changed, tmp_path / "second.tar.gz")
        adopt(board, council, second, (tmp_path / "second.tar.gz").read_bytes(), "2026.2")()
        assert served_revision(gov) == second
        assert not council.delegate(B).GetAdoptedPolicyRevision().revision.baseline
        # Its embedded engine enforces the baseline, not the adopted revision: not ready.
        wait_for(lambda: readiness(gov)[1]["failing"] == ["policy_revision"], timeout=30)

        # Rollback: the baseline's revision, adopted again by a new decision.
        again = adopt(board, council, baseline, (tmp_path / "baseline.tar.gz").read_bytes(), "3")
        again()
        assert served_revision(gov) == baseline
        wait_for(lambda: readiness(gov)[0] == 200, timeout=30)
        with pytest.raises(grpc.RpcError) as err:
            again()  # the revision in force
        assert "already_adopted" in precondition(err.value).description
        assert history(gov) == [
            (baseline, "baseline", True),
            (second, "2026.2", False),
            (baseline, "3", False),
        ]


def test_the_embedded_engine_in_production_follows_an_adoption_without_a_restart(
    broker, data_dir, keys, tmp_path
):
    """Governance in production with the embedded engine loading governance's own signed bundle
    (``ZORGTAFEL_POLICY_BUNDLE_URL``): ready on the baseline, unready for the moment its engine
    still enforces the previous revision, ready again on the adopted one, with no restart."""
    from zorgtafel.kernel.broker import free_port
    from zorgtafel.kernel.config import DEFAULT_POLICY_DIR
    from zorgtafel.policy.embedded import EmbeddedEngine

    http_port = free_port()
    engine = EmbeddedEngine(
        DEFAULT_POLICY_DIR,
        timeout_s=3.0,
        bundle_url=f"http://127.0.0.1:{http_port}/bundles/zorgtafel.tar.gz",
        verification_key_pem=(keys.dir / "bundle-signing.pub").read_bytes(),
        key_id=signing.DEFAULT_KEY_ID,
        poll_interval_s=0.2,
    )
    try:
        with running_service(
            "governance",
            data_dir,
            broker.bootstrap,
            policy=engine,
            production=True,
            http_port=http_port,
        ) as gov:
            baseline = build_bundle(DEFAULT_POLICY_DIR, tmp_path / "baseline.tar.gz")
            wait_for(lambda: readiness(gov)[0] == 200, timeout=60)
            assert engine.revision == baseline
            changed = tmp_path / "rego"
            shutil.copytree(DEFAULT_POLICY_DIR, changed)
            authz = changed / "authz" / "authz.rego"
            authz.write_text(authz.read_text() + "\n# work process 2026.3\n")
            second = build_bundle(changed, tmp_path / "second.tar.gz")
            board, council = Board(gov, keys), Council(gov, keys)
            adopt(board, council, second, (tmp_path / "second.tar.gz").read_bytes(), "2026.3")()
            wait_for(
                lambda: (lambda r: r[0] == 200 and r[1]["policy_revision"] == second)(
                    readiness(gov)
                ),
                timeout=60,
            )
            assert engine.revision == second and not engine.refused
    finally:
        engine.close()
