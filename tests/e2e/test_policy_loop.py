"""The policy owners' loop in commands, against the embedded suite (issue #17, the README of
``policies/rego``): edit -> ``policy test`` -> ``policy impact`` -> ``policy propose`` -> the
council votes and decides (over gRPC, as its members' systems do) -> ``policy adopt`` ->
``policy status`` shows the new revision in force; then a rollback: the earlier revision adopted
again by a new decision, and every service enforcing it. The CLI calls governance with the
user's own token."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.integration.governance.harness import Board, Council
from zorgtafel.cli import build_parser
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import SERVICES
from zorgtafel.launcher import Suite
from zorgtafel.policy.bundle import revision_of
from zorgtafel.policy.replay import LogSource
from zorgtafel.testing import Keys, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

A, B = "00000099000000000011", "00000099000000000012"
POLICIES = Path(__file__).resolve().parents[2] / "policies" / "rego"


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("policy-loop")
    keys = Keys(data_dir)
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    # Every service's embedded engine enforces what governance serves (its signed bundle of
    # the revision in force), as in production: an adoption reaches all four without a restart.
    bundle_url = f"http://127.0.0.1:{ports['governance'][1]}/bundles/zorgtafel.tar.gz"
    s = Suite(
        data_dir,
        ports=ports,
        broker=broker,
        extra_env={
            "ZORGTAFEL_POLICY_TIMEOUT_MS": "3000",
            "ZORGTAFEL_POLICY_BUNDLE_URL": bundle_url,
            "ZORGTAFEL_BUNDLE_VERIFICATION_KEY_FILE": str(keys.dir / "bundle-signing.pub"),
        },
    )
    try:
        s.start(timeout=180)
        yield s, keys, data_dir
    finally:
        s.stop()
        broker.stop()


def enforced(suite, service: str) -> str:
    port = suite.envs[service]["ZORGTAFEL_HTTP_PORT"]

    def answer() -> str | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                return str(json.loads(r.read())["policy_revision"]) or None
        except urllib.error.HTTPError as e:  # not ready: the body still names the revision
            return str(json.loads(e.read())["policy_revision"]) or None

    return str(wait_for(answer, timeout=60))


def cli(capsys, *argv: str) -> tuple[int, str]:
    args = build_parser().parse_args(list(argv))
    code = args.func(args)
    return code, capsys.readouterr().out


def test_edit_test_propose_vote_adopt_and_roll_back_from_the_cli(suite, capsys, tmp_path):
    s, keys, data_dir = suite
    governance = f"127.0.0.1:{s.envs['governance']['ZORGTAFEL_GRPC_PORT']}"
    app = SimpleNamespace(grpc_port=int(s.envs["governance"]["ZORGTAFEL_GRPC_PORT"]))
    board, council = Board(app, keys), Council(app, keys)
    proposer, manager = council.delegate(A), board.manager
    # Reads that the access log records, for the impact step to replay.
    for party in (A, B):
        council.delegate(party).GetAdoptedPolicyRevision()

    def as_(person) -> list[str]:
        token = keys.token(person.party, person.role, person.person)
        return ["--governance", governance, "--token", token]

    # 1. edit: a copy of the policies with one change (a documented work-process version).
    edited = tmp_path / "rego"
    shutil.copytree(POLICIES, edited)
    authz = edited / "authz" / "authz.rego"
    authz.write_text(authz.read_text(encoding="utf-8") + "\n# work process 2026.12\n")
    revision = revision_of(edited)
    assert revision != revision_of(POLICIES)

    # 2. policy test (the package changed; regorus, as the README's quick loop).
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "test", "--no-regopy", "--package",
        "zorgtafel.authz",
    )  # fmt: skip
    assert code == 0, out

    # 3. policy impact: the recorded decisions replayed under the edit; a comment changes none.
    report_file = tmp_path / "impact.json"
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "impact", "--data-dir", str(data_dir),
        "--since", "1d", "--out", str(report_file),
    )  # fmt: skip
    assert code == 0, out
    report = json.loads(report_file.read_text())
    assert report["candidate"] == revision and report["replayed"] >= 2
    assert report["changed"] == []

    # 4. policy propose, with the impact report's digest attached.
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "propose", "--work-process-version",
        "2026.12", "--impact-report", str(report_file), *as_(proposer),
    )  # fmt: skip
    assert code == 0, out
    proposal = json.loads(out)
    assert proposal["policy_revision"] == revision
    assert proposal["subject_code"] == "impact-" + report["digest"][7:55]

    # Adopting before the vote is refused (art. 6.6c, 11.3a).
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "adopt", "--proposal-id",
        proposal["proposal_id"], *as_(manager),
    )  # fmt: skip
    assert code == 1 and "FAILED_PRECONDITION" in out

    # 5. the council votes and its secretary records the decision.
    council.vote(proposal["proposal_id"], {A: pb.VOTE_CHOICE_FOR, B: pb.VOTE_CHOICE_FOR})
    board.council_secretary.Decide(proposal_id=proposal["proposal_id"])

    # 6. policy adopt, as a manager (11.3a).
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "adopt", "--proposal-id",
        proposal["proposal_id"], *as_(manager),
    )  # fmt: skip
    assert code == 0, out
    assert json.loads(out)["revision"] == revision

    # 7. policy status: the edit is the revision in force.
    code, out = cli(
        capsys, "policy", "--policy-dir", str(edited), "status", "--json", "--proposal-id",
        proposal["proposal_id"], *as_(council.delegate(B)),
    )  # fmt: skip
    assert code == 0, out
    status = json.loads(out)
    assert status["adopted"]["revision"] == revision and status["local_is_adopted"]
    assert status["proposal"]["status"] == "PROPOSAL_STATUS_ADOPTED"
    # ... and every service enforces it, no restart (each /readyz names its revision), which
    # each reports to governance: `policy status` lists it per service instance.
    wait_for(
        lambda: {svc: enforced(s, svc) for svc in SERVICES} == dict.fromkeys(SERVICES, revision),
        timeout=90,
    )

    def everywhere() -> dict | None:
        code, out = cli(capsys, "policy", "status", "--json", *as_(council.delegate(B)))
        status = json.loads(out) if code == 0 else {}
        return status if status.get("everywhere") else None

    status = wait_for(everywhere, timeout=90, interval=1)
    assert {e["service"] for e in status["enforced"]} == set(SERVICES)
    assert {e["revision"] for e in status["enforced"]} == {revision}

    # A logged decision explained under the revision that decided it and under the adopted one,
    # whose bundle comes from governance's history (not from the policy directory given).
    [logged, *_] = LogSource("governance", f"sqlite:///{data_dir / 'governance.db'}").since(None)
    code, out = cli(
        capsys, "policy", "--policy-dir", str(POLICIES), "explain", "--decision-id",
        logged.decision_id, "--data-dir", str(data_dir), "--revision", revision,
    )  # fmt: skip
    assert code == 0, out
    assert "(the deciding revision)" in out and "reproduces the record" in out
    assert f"Under {revision} (another revision)" in out

    # Rollback: the earlier revision, proposed, decided and adopted again.
    code, out = cli(
        capsys, "policy", "--policy-dir", str(POLICIES), "propose", "--work-process-version",
        "2026.12-rollback", *as_(proposer),
    )  # fmt: skip
    assert code == 0, out
    back = json.loads(out)["proposal_id"]
    council.vote(back, {A: pb.VOTE_CHOICE_FOR, B: pb.VOTE_CHOICE_FOR})
    board.council_secretary.Decide(proposal_id=back)
    code, out = cli(
        capsys, "policy", "--policy-dir", str(POLICIES), "adopt", "--proposal-id", back,
        *as_(manager),
    )  # fmt: skip
    assert code == 0, out
    code, out = cli(
        capsys, "policy", "--policy-dir", str(POLICIES), "status", "--json", *as_(manager)
    )
    in_force = json.loads(out)["adopted"]["revision"]
    assert in_force == revision_of(POLICIES)
    # Every service enforces the revision in force again (its /readyz says which).
    wait_for(
        lambda: {svc: enforced(s, svc) for svc in SERVICES} == dict.fromkeys(SERVICES, in_force),
        timeout=90,
    )
