"""The production topology as processes (issue #18 points 1-2, issue #17 "a fresh install has a
policy" and "supply chain"): the four services with ``ZORGTAFEL_POLICY_ENGINE=opa`` and
``ZORGTAFEL_PRODUCTION=true``, each against its own OPA-protocol sidecar (the project's OPA double)
that loads bundles ONLY by polling governance's bundle endpoint and activates only bundles whose
signature verifies with governance's public key.

The install runbook (deploy/k8s/README.md, "Install from empty" and "First adoption") step by step:
empty install (no sidecar has a policy) -> governance records and serves the release's baseline
-> every sidecar loads it -> every service ready -> the partner council's vote, the decision and
``AdoptPolicyRevision`` -> every sidecar on the new revision and every service ready on it, no
restart. Then a pre-read (casework -> disclosure, 12.2f) in that topology, and bundles signed by
anyone else or altered after signing: refused, the old revision stays."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import grpc
import pytest

from tests.integration.governance.harness import Board, Council
from tests.policy.opa_double import OpaDouble
from zorgtafel.demo import Story
from zorgtafel.demo.actors import LEGER_DES_HEILS, PROCESS_DIRECTOR, SHELTER
from zorgtafel.demo.plumbing import _ts
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import DEFAULT_POLICY_DIR, SERVICES
from zorgtafel.launcher import Suite
from zorgtafel.policy import bundle, signing
from zorgtafel.testing import Keys, rid, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

BUNDLE_PATH = "/bundles/zorgtafel.tar.gz"
A, B = "00000099000000000011", "00000099000000000012"  # two council delegates' parties


class Topology(Suite):
    """The suite with each service's own environment on top (its sidecar's URL)."""

    def __init__(self, *args, per_service: dict[str, dict[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.per_service = per_service

    def _env(self, service: str) -> dict[str, str]:
        env = super()._env(service)
        # Production refuses the development retention shortcut the launcher sets.
        env.pop("ZORGTAFEL_CASEWORK_RETENTION_DAYS", None)
        env.update(self.per_service.get(service, {}))
        return env


def readyz(suite: Suite, service: str) -> dict:
    port = suite.envs[service]["ZORGTAFEL_HTTP_PORT"]
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=3) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        return json.loads(e.read())
    except OSError:
        return {}


def all_on(suite: Suite, sidecars: dict[str, OpaDouble], revision: str) -> bool:
    """Every sidecar has ``revision`` active and every service is ready enforcing it."""
    return all(
        sidecars[s].revision == revision
        and (lambda r: r.get("ready") and r.get("policy_revision") == revision)(readyz(suite, s))
        for s in SERVICES
    )


def policy_cli(policy_dir, *args: str, json_out: bool = True) -> dict:
    """``zorgtafel policy --policy-dir DIR <args>`` as an operator runs it; its JSON answer."""
    done = subprocess.run(
        [sys.executable, "-m", "zorgtafel.cli", "policy", "--policy-dir", str(policy_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]) if json_out else {}


class Rogue:
    """A bundle server that is not governance (or a bundle altered on the way)."""

    def __init__(self) -> None:
        self.body = b""
        rogue = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                etag = f'"{hashlib.sha256(rogue.body).hexdigest()}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(rogue.body)))
                self.end_headers()
                self.wfile.write(rogue.body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{BUNDLE_PATH}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def topology(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("policy-bootstrap")
    keys = Keys(data_dir)  # dev keys, governance's bundle-signing key among them
    public_key = (data_dir / "dev-keys" / "bundle-signing.pub").read_bytes()
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    bundle_url = f"http://127.0.0.1:{ports['governance'][1]}{BUNDLE_PATH}"
    sidecars = {
        s: OpaDouble(bundle_url=bundle_url, public_key_pem=public_key).__enter__() for s in SERVICES
    }
    suite = Topology(
        data_dir,
        ports=ports,
        broker=broker,
        extra_env={
            "ZORGTAFEL_POLICY_ENGINE": "opa",
            "ZORGTAFEL_PRODUCTION": "true",
            # A loaded CI machine: the story is about the bootstrap, not the 500 ms budget.
            "ZORGTAFEL_POLICY_TIMEOUT_MS": "3000",
        },
        per_service={s: {"ZORGTAFEL_OPA_URL": sidecars[s].url} for s in SERVICES},
    )
    try:
        yield SimpleNamespace(
            suite=suite, keys=keys, sidecars=sidecars, public_key=public_key, data_dir=data_dir
        )
    finally:
        suite.stop()
        for sidecar in sidecars.values():
            sidecar.__exit__(None, None, None)
        broker.stop()


def test_empty_install_to_baseline_to_adoption_without_restart(topology, tmp_path):
    suite, sidecars, keys = topology.suite, topology.sidecars, topology.keys
    baseline = bundle.revision_of(DEFAULT_POLICY_DIR)

    # 1. Empty install: no sidecar has a policy, so none is healthy.
    assert all(s.revision is None for s in sidecars.values())
    for sidecar in sidecars.values():
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{sidecar.url}/health?bundles", timeout=3)

    # 2. Start: governance records and serves the baseline, every sidecar loads it (signed),
    #    every service becomes ready (Suite.start waits for each /readyz).
    suite.start(timeout=180)
    wait_for(lambda: all_on(suite, sidecars, baseline), timeout=60)
    pids = {s: p.pid for s, p in suite.procs.items()}
    gov = SimpleNamespace(grpc_port=int(suite.envs["governance"]["ZORGTAFEL_GRPC_PORT"]))
    board, council = Board(gov, keys), Council(gov, keys)
    in_force = council.delegate(B).GetAdoptedPolicyRevision().revision
    assert in_force.revision == baseline and in_force.baseline
    assert in_force.work_process_version == "baseline" and not in_force.decision_id

    # 3. First adoption, with the runbook's commands: `zorgtafel policy propose` (a council
    #    delegate), the council's vote and the decision, `zorgtafel policy adopt` (a manager).
    changed = tmp_path / "rego"
    shutil.copytree(DEFAULT_POLICY_DIR, changed)
    authz = changed / "authz" / "authz.rego"
    authz.write_text(authz.read_text(encoding="utf-8") + "\n# work process 2026.1\n")
    policy_cli(changed, "bundle", "--out", str(tmp_path / "zorgtafel.tar.gz"), json_out=False)
    second = bundle.manifest_revision(
        bundle.read_files((tmp_path / "zorgtafel.tar.gz").read_bytes())
    )
    assert second == bundle.revision_of(changed) != baseline
    address = f"127.0.0.1:{gov.grpc_port}"
    delegate, manager = council.delegate(A), board.manager
    proposal = policy_cli(
        changed, "propose", "--work-process-version", "2026.1", "--governance", address,
        "--token", keys.token(A, delegate.role, delegate.person),
    )  # fmt: skip
    assert proposal["policy_revision"] == second
    council.vote(proposal["proposal_id"], {A: pb.VOTE_CHOICE_FOR, B: pb.VOTE_CHOICE_FOR})
    board.council_secretary.Decide(proposal_id=proposal["proposal_id"])
    manager_token = keys.token(manager.party, manager.role, manager.person)
    adopted = policy_cli(
        changed, "adopt", "--proposal-id", proposal["proposal_id"],
        "--bundle-file", str(tmp_path / "zorgtafel.tar.gz"),
        "--governance", address, "--token", manager_token,
    )  # fmt: skip
    assert adopted["revision"] == second
    status = policy_cli(
        changed, "status", "--json", "--governance", address, "--token", manager_token
    )
    assert status["adopted"]["revision"] == second and status["local_is_adopted"]

    # 4. Every sidecar on the new revision, every service ready on it: no restart.
    wait_for(lambda: all_on(suite, sidecars, second), timeout=90)
    assert {s: p.pid for s, p in suite.procs.items()} == pids
    assert all(p.poll() is None for p in suite.procs.values())
    assert not any(s.refused for s in sidecars.values())

    # 5. A pre-read (12.2f) in this topology: casework asks disclosure for each item.
    endpoints = {s: f"127.0.0.1:{suite.envs[s]['ZORGTAFEL_GRPC_PORT']}" for s in SERVICES}
    lines: list[str] = []
    story = Story(endpoints, keys.private, out=lines.append)
    facts: dict = {}
    story._appoint(facts)
    story._nominate_and_assess(facts)
    story._triage(facts)
    story._meeting(facts)
    assert not story.failures, "\n".join(lines)
    follow_up = story.casework.ScheduleMeeting(
        cw.ScheduleMeetingRequest(
            request_id=rid(),
            case_id=facts["case_id"],
            scheduled_for=_ts(hours=48),
            goal_code="safe_housing",
            decision_types=["plan"],
            themes=["housing"],
            invitees=[cw.Invitee(party=LEGER_DES_HEILS, lawful_themes=["housing", "safety"])],
            pre_read_item_ids=[facts["care_item"], facts["police_item"]],
        ),
        metadata=story.md(PROCESS_DIRECTOR),
    ).meeting

    def pre_read():
        try:
            return story.casework.GetPreReadSet(
                cw.GetPreReadSetRequest(case_id=facts["case_id"], meeting_id=follow_up.meeting_id),
                metadata=story.md(SHELTER),
                timeout=10,
            )
        except grpc.RpcError:
            return None  # disclosure may not have heard of the roles yet: facts travel as events

    reply = wait_for(pre_read, timeout=60, interval=0.5)
    assert [i.item_id for i in reply.items] == [facts["care_item"]]
    assert [w.item_id for w in reply.withheld] == [facts["police_item"]]  # no pre-reading


def test_a_bundle_with_a_wrong_signature_is_refused_and_the_old_revision_stays(topology, tmp_path):
    suite, sidecars = topology.suite, topology.sidecars
    if not suite.procs:  # run on its own: the install first
        suite.start(timeout=180)
    sidecar = sidecars["intake"]
    before = wait_for(lambda: sidecar.revision, timeout=60)
    assert before is not None and readyz(suite, "intake").get("ready")
    changed = tmp_path / "rego"
    shutil.copytree(DEFAULT_POLICY_DIR, changed)
    authz = changed / "authz" / "authz.rego"
    authz.write_text(authz.read_text(encoding="utf-8") + "\n# not adopted\n")
    _, unsigned = bundle.build_bytes(changed)
    someone_else = signing.generate_private_key_pem()
    governance_key = (topology.data_dir / "dev-keys" / "bundle-signing.key").read_bytes()
    signed_by_governance = signing.sign(unsigned, governance_key)
    altered = bundle.pack(
        [
            (
                name,
                content + b"\n# altered after signing\n"
                if name.endswith("authz.rego")
                else content,
            )
            for name, content in bundle.read_files(signed_by_governance)
        ]
    )
    rogue = Rogue()
    try:
        sidecar.bundle_url = rogue.url
        for body in (signing.sign(unsigned, someone_else), altered, unsigned):
            refused = len(sidecar.refused)
            rogue.body = body
            wait_for(lambda n=refused: len(sidecar.refused) > n, timeout=30)
            assert sidecar.revision == before
        assert "does not verify" in sidecar.refused[-3]
        assert "digest mismatch" in sidecar.refused[-2]
        assert "not signed" in sidecar.refused[-1]
        # The service still enforces the revision in force, and is ready on it.
        assert wait_for(
            lambda: (lambda r: r.get("ready") and r.get("policy_revision") == before)(
                readyz(suite, "intake")
            ),
            timeout=30,
        )
    finally:
        rogue.close()
