"""The embedded engine's two evaluators (ADR 0011): regopy, the default, and regorus. Every
decision test runs on both (conftest's ``engine``) and the differential test holds the regorus
evaluator to regorus itself; here what is particular to regorus: its engines are bound to the
thread that made them, it keeps the GIL while it evaluates (so a late answer is refused after
the fact), and the setting that chooses it."""

from __future__ import annotations

import concurrent.futures
import threading

import cases
import pytest

from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable
from zorgtafel.policy.factory import engine_from_settings

ASSESS = "/zorgtafel.intake.v1.IntakeService/Assess"
ALLOW = cases.authz(ASSESS, "process_director")
DENY = cases.authz(ASSESS, "caseworker")


def test_an_unknown_evaluator_is_refused_at_start(policy_dir):
    with pytest.raises(PolicyError, match="unknown evaluator"):
        EmbeddedEngine(policy_dir, evaluator="opa-ish")


def test_the_setting_chooses_the_evaluator(policy_dir):
    engine = engine_from_settings("embedded", policy_dir, "", 1.0, evaluator="regorus")
    try:
        assert engine.evaluator == "regorus"  # type: ignore[attr-defined]
        assert engine.decide("zorgtafel.authz", ALLOW).allow
    finally:
        engine.close()  # type: ignore[attr-defined]
    default = engine_from_settings("embedded", policy_dir, "", 1.0)
    try:
        assert default.evaluator == "regopy"  # type: ignore[attr-defined]
    finally:
        default.close()  # type: ignore[attr-defined]


def test_decisions_from_many_threads_at_once_are_each_their_own(policy_dir):
    """Sixteen callers (gRPC's workers) against two evaluation threads, each with engines of
    its own: every answer is the one a single caller gets, and nothing is dropped on a thread
    that does not own it."""
    engine = EmbeddedEngine(policy_dir, timeout_s=10.0, evaluator="regorus", workers=2)
    try:
        allowed = engine.decide("zorgtafel.authz", ALLOW)
        denied = engine.decide("zorgtafel.authz", DENY)
        assert allowed.allow and not denied.allow
        start = threading.Barrier(16)

        def ask(i: int):
            start.wait()
            asked = ALLOW if i % 2 else DENY
            return [engine.decide("zorgtafel.authz", asked).reasons for _ in range(20)]

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(ask, range(16)))
        for i, reasons in enumerate(answers):
            assert set(reasons) == {(allowed if i % 2 else denied).reasons}
    finally:
        engine.close()


def test_an_answer_after_the_timeout_is_refused_though_the_evaluation_ended(tmp_path):
    """regorus keeps the GIL: its caller cannot stop waiting at the deadline, so it checks the
    time when the answer comes and refuses a late one (fail closed), as OPA's client does."""
    rego = tmp_path / "rego"
    rego.mkdir()
    (rego / "slow.rego").write_text(
        "package slow\nimport rego.v1\n\n"
        "decision := {'allow': true, 'reasons': [], 'obligations': []} if {\n"
        "    count([i | some i in numbers.range(1, input.n); i % 7 == 0]) > 0\n}\n".replace(
            "'", '"'
        )
    )
    # The quick answers are asked with a budget no busy machine exceeds (50 ms is one stall of
    # a loaded CI machine's scheduler); the slow one, seconds of evaluation, with 50 ms.
    engine = EmbeddedEngine(rego, timeout_s=30.0, evaluator="regorus")
    try:
        assert engine.decide("slow", {"n": 10}).allow  # quick: obeyed
        engine.timeout_s = 0.05
        with pytest.raises(PolicyUnavailable, match="took longer"):
            engine.decide("slow", {"n": 3_000_000})
        engine.timeout_s = 30.0
        assert engine.decide("slow", {"n": 10}).allow  # and the engine goes on
    finally:
        engine.close()
