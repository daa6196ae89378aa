"""The gate counts what the policy answered (zorgtafel_policy_decisions), including the refusals
it makes itself when the engine gives no answer (fail closed)."""

from __future__ import annotations

import pytest

from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.policy.decision import Decision


class _Engine:
    revision = "r1"

    def __init__(self, answer: bool | None) -> None:
        self.answer = answer

    def decide(self, policy, facts) -> Decision:
        if self.answer is None:
            raise TimeoutError("no answer")
        return Decision.from_result(
            policy, "r1", dict(facts), {"allow": self.answer, "reasons": ["r"]}
        )

    def evaluate(self, policy, facts):
        if self.answer is None:
            raise TimeoutError("no answer")
        return {"visible": []}


def _count(metrics: Metrics, policy: str, result: str) -> float:
    value = metrics.registry.get_sample_value(
        "zorgtafel_policy_decisions_total", {"policy": policy, "result": result}
    )
    return value or 0.0


def test_allows_denials_and_evaluations_are_counted_by_policy():
    metrics = Metrics("intake")
    PolicyGate(_Engine(True), metrics).decide("zorgtafel.authz", {})
    PolicyGate(_Engine(True), metrics).decide("zorgtafel.authz", {})
    PolicyGate(_Engine(False), metrics).decide("zorgtafel.disclosure", {})
    PolicyGate(_Engine(True), metrics).evaluate("zorgtafel.casework.view", {})
    assert _count(metrics, "zorgtafel.authz", "allow") == 2
    assert _count(metrics, "zorgtafel.disclosure", "deny") == 1
    assert _count(metrics, "zorgtafel.casework.view", "evaluated") == 1


@pytest.mark.parametrize("ask", ["decide", "evaluate"])
def test_an_engine_without_an_answer_is_counted_as_unavailable(ask):
    metrics = Metrics("intake")
    with pytest.raises(Unavailable):
        getattr(PolicyGate(_Engine(None), metrics), ask)("zorgtafel.authz", {})
    assert _count(metrics, "zorgtafel.authz", "unavailable") == 1
    assert _count(metrics, "zorgtafel.authz", "allow") == 0
