"""Art. 6.6c, 11.3a in production: governance is ready only while the policy revision it
enforces is the latest one adopted by a decision (readiness fails otherwise, so no traffic
reaches a pod that enforces an unadopted policy)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from tests.integration.governance.harness import Board, Council
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.policy.bundle import build_bundle
from zorgtafel.testing import running_service, wait_for

pytestmark = pytest.mark.integration


def readiness(app) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{app.ops.port}/readyz", timeout=3) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_production_is_not_ready_until_its_revision_is_adopted(broker, data_dir, keys, tmp_path):
    with running_service("governance", data_dir, broker.bootstrap, production=True) as gov:
        status, body = wait_for(
            lambda: (
                lambda r: (
                    r
                    if r[1]["database"]
                    and r[1]["broker"]
                    and "consumer_assigned" not in r[1]["failing"]
                    else None
                )
            )(readiness(gov)),
            timeout=30,
        )
        assert status == 503 and body["failing"] == ["policy_revision"]
        revision = build_bundle(gov.settings.policy_dir, tmp_path / "b.tar.gz")
        assert revision == gov.policy.revision
        board, council = Board(gov, keys), Council(gov, keys)
        a, b = "00000099000000000011", "00000099000000000012"
        p = (
            council.delegate(a)
            .Propose(
                body=pb.BODY_PARTNER_COUNCIL,
                kind=pb.PROPOSAL_KIND_WORK_PROCESS,
                subject_code="work-process",
                work_process_version="1",
                policy_revision=revision,
            )
            .proposal
        )
        council.vote(p.proposal_id, {a: pb.VOTE_CHOICE_FOR, b: pb.VOTE_CHOICE_FOR})
        board.council_secretary.Decide(proposal_id=p.proposal_id)
        board.manager.AdoptPolicyRevision(
            proposal_id=p.proposal_id, bundle=(tmp_path / "b.tar.gz").read_bytes()
        )
        status, body = wait_for(
            lambda: (lambda r: r if r[0] == 200 else None)(readiness(gov)), timeout=30
        )
        assert body["failing"] == []
