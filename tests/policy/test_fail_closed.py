"""Down, timeout, garbage, undefined and malformed answers are denies (fail closed)."""

from __future__ import annotations

import concurrent.futures
import shutil
import socket
from pathlib import Path

import cases
import pytest

from zorgtafel.policy.decision import Decision
from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.engine import FAIL_CLOSED_REASON
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable
from zorgtafel.policy.opa import OpaEngine

ALLOWED = cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _assert_fail_closed(engine):
    with pytest.raises(PolicyUnavailable):
        engine.decide("zorgtafel.authz", ALLOWED)
    decision = engine.decide_fail_closed("zorgtafel.authz", ALLOWED)
    assert decision.allow is False
    assert decision.reasons == (FAIL_CLOSED_REASON,)


def test_opa_down():
    _assert_fail_closed(OpaEngine(f"http://127.0.0.1:{_free_port()}", timeout_s=0.5))


@pytest.mark.parametrize("mode", ["slow", "garbage", "error"])
def test_opa_misbehaving(opa_double, mode):
    engine = OpaEngine(opa_double.url, timeout_s=0.3)
    opa_double.mode = mode
    try:
        _assert_fail_closed(engine)
    finally:
        opa_double.mode = "ok"


def test_opa_undefined_is_deny(opa_double, opa):
    opa_double.mode = "undefined"
    decision = opa.decide("zorgtafel.authz", ALLOWED)
    assert decision.allow is False
    assert "undefined" in decision.reasons[0]


def test_opa_revision_from_provenance_and_bundles(opa_double, opa, embedded):
    assert opa.revision == embedded.revision
    assert opa.decide("zorgtafel.authz", ALLOWED).revision == embedded.revision
    assert any("provenance" in r for r in opa_double.requests)


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "p.rego").write_text(text)
    return tmp_path


def test_embedded_timeout(tmp_path):
    # A deliberately expensive rule: the caller must get an answer within the budget.
    policy = _write(
        tmp_path,
        "package zorgtafel.slow\nimport rego.v1\n"
        'decision := {"allow": true, "reasons": [sprintf("%d", [count([x | some x in numbers.range(1, 3000000); x % 7 == 0])])], "obligations": []}\n',
    )
    engine = EmbeddedEngine(policy, timeout_s=0.05, workers=1)
    try:
        with pytest.raises(PolicyUnavailable):
            engine.decide("zorgtafel.slow", {})
        assert engine.decide_fail_closed("zorgtafel.slow", {}).allow is False
    finally:
        engine.close()


@pytest.mark.parametrize(
    "body,reason",
    [
        ('decision := {"allow": "yes", "reasons": [], "obligations": []}', "undefined"),
        ('decision := {"allow": true, "reasons": "ok", "obligations": []}', "malformed"),
        ("decision := 42", "malformed"),
        ("other := true", "undefined"),
    ],
)
def test_embedded_malformed_or_undefined_is_deny(tmp_path, body, reason):
    engine = EmbeddedEngine(
        _write(tmp_path, f"package zorgtafel.odd\nimport rego.v1\n{body}\n"), timeout_s=2
    )
    try:
        decision = engine.decide("zorgtafel.odd", {})
        assert decision.allow is False
        assert reason in decision.reasons[0]
    finally:
        engine.close()


def test_embedded_evaluation_error_is_unavailable(tmp_path):
    engine = EmbeddedEngine(
        _write(
            tmp_path,
            "package zorgtafel.conflict\nimport rego.v1\n"
            'decision := {"allow": true} if input.a\ndecision := {"allow": false} if input.a\n',
        ),
        timeout_s=2,
    )
    try:
        with pytest.raises(PolicyUnavailable):
            engine.decide("zorgtafel.conflict", {"a": True})
    finally:
        engine.close()


def test_embedded_syntax_error_fails_at_start(tmp_path):
    with pytest.raises(PolicyError):
        EmbeddedEngine(_write(tmp_path, "package zorgtafel.bad\n decision := {"))


def test_non_json_input_is_an_error(embedded):
    with pytest.raises(PolicyError):
        embedded.decide("zorgtafel.authz", {"method": float("nan")})
    assert embedded.decide_fail_closed("zorgtafel.authz", {"x": object()}).allow is False


def test_concurrent_decisions_are_correct(embedded):
    inputs = [
        (cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", role), role == "process_director")
        for role in ["process_director", "caseworker", "manager", "auditor"] * 50
    ]

    def one(item):
        inp, expected = item
        return embedded.decide("zorgtafel.authz", inp).allow is expected

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        assert all(pool.map(one, inputs))


def test_decision_deny_helper():
    decision = Decision.deny("zorgtafel.authz", "rev", {"a": 1}, "no")
    assert decision.allow is False and decision.reasons == ("no",) and decision.obligations == ()


@pytest.mark.skipif(
    shutil.which("opa") is None,
    reason="no `opa` binary on PATH (it cannot be installed here); the REST test double covers the protocol",
)
def test_against_real_opa(tmp_path, policy_dir):
    import subprocess
    import time

    from zorgtafel.policy.bundle import build_bundle

    bundle = tmp_path / "bundle.tar.gz"
    revision = build_bundle(policy_dir, bundle)
    port = _free_port()
    proc = subprocess.Popen(
        ["opa", "run", "--server", f"--addr=127.0.0.1:{port}", "--bundle", str(bundle)]
    )
    try:
        engine = OpaEngine(f"http://127.0.0.1:{port}", timeout_s=2)
        for _ in range(50):
            try:
                engine.decide("zorgtafel.authz", ALLOWED)
                break
            except PolicyUnavailable:
                time.sleep(0.1)
        decision = engine.decide("zorgtafel.authz", ALLOWED)
        assert decision.allow is True
        assert decision.revision == revision
        assert engine.decide("zorgtafel.disclosure", cases.disclosure()).allow is True
    finally:
        proc.terminate()
        proc.wait(timeout=10)
