"""The policy gate: the one place a service asks Rego "may this happen?" and obeys.

An engine failure of any kind (timeout, error, missing bundle) is a deny answered UNAVAILABLE
(retryable, fail closed); any decision but ``allow is True`` is PERMISSION_DENIED carrying the
policy's reasons. Nothing here decides: it asks and translates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zorgtafel.kernel.accesslog.service import noted
from zorgtafel.kernel.errors import PermissionDenied, Unavailable
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.policy.decision import Decision
from zorgtafel.policy.engine import PolicyEngine

log = get_logger(__name__)


class PolicyGate:
    def __init__(self, engine: PolicyEngine, metrics: Metrics | None = None) -> None:
        self.engine = engine
        self._metrics = metrics

    def _count(self, policy: str, result: str) -> None:
        if self._metrics is not None:
            self._metrics.policy_decisions.labels(policy=policy, result=result).inc()

    @property
    def revision(self) -> str:
        return str(getattr(self.engine, "revision", ""))

    def decide(self, policy: str, facts: Mapping[str, Any]) -> Decision:
        """The decision, whatever it is; UNAVAILABLE when the engine gives none."""
        try:
            decision = self.engine.decide(policy, facts)
        except Exception as exc:  # noqa: BLE001 - any engine failure is a deny (fail closed)
            log.warning("policy_unavailable", policy=policy, error_type=type(exc).__name__)
            self._count(policy, "unavailable")
            raise Unavailable(f"policy {policy} unavailable: denied (fail closed)") from exc
        self._count(policy, "allow" if decision.allow is True else "deny")
        # A logged read's record of a refusal keeps the refusing decision's input (#17).
        noted(decision)
        return decision

    def require(self, policy: str, facts: Mapping[str, Any]) -> Decision:
        """The allowing decision, or PERMISSION_DENIED with the policy's reasons."""
        decision = self.decide(policy, facts)
        if decision.allow is not True:
            raise PermissionDenied(
                decision.reasons, decision.decision_id, decision.revision, policy=policy
            )
        return decision

    def evaluate(self, policy: str, facts: Mapping[str, Any]) -> Mapping[str, Any]:
        """A non-decision policy's document (what may be seen, who is invited...)."""
        try:
            document = self.engine.evaluate(policy, facts)
        except Exception as exc:  # noqa: BLE001 - fail closed
            log.warning("policy_unavailable", policy=policy, error_type=type(exc).__name__)
            self._count(policy, "unavailable")
            raise Unavailable(
                f"policy {policy} unavailable: nothing is shown (fail closed)"
            ) from exc
        self._count(policy, "evaluated")
        return document
