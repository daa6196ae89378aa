"""The decision explainer: a decision with its reasons and the facts that mattered, in words a
privacy officer can read (``zorgtafel policy explain --input FILE --policy disclosure``)."""

from __future__ import annotations

from typing import Any, Mapping

from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.engine import PolicyEngine


def full_policy_name(policy: str) -> str:
    return policy if policy.startswith("zorgtafel.") else f"zorgtafel.{policy}"


def _checks(engine: PolicyEngine, policy: str, input: Mapping[str, Any]) -> Mapping[str, Any]:
    # `checks` is an optional rule: the named facts a policy wants shown beside its decision.
    if isinstance(engine, EmbeddedEngine):
        defined, value, _ = engine._query(policy, "checks", input)
        return value if defined and isinstance(value, Mapping) else {}
    return {}


def explain(engine: PolicyEngine, policy: str, input: Mapping[str, Any]) -> str:
    policy = full_policy_name(policy)
    decision = engine.decide(policy, input)
    lines = [
        f"Policy:    {policy} (revision {decision.revision})",
        f"Decision:  {'ALLOWED' if decision.allow else 'DENIED'}",
        f"Decision id: {decision.decision_id}   input digest: {decision.input_digest}",
        "Why:",
    ]
    lines += [f"  - {reason}" for reason in decision.reasons]
    if decision.obligations:
        lines.append("Conditions the service must meet before release:")
        for obligation in decision.obligations:
            extra = ", ".join(
                f"{k}={v}" for k, v in obligation.items() if k not in ("type", "reason")
            )
            reason = obligation.get("reason", "")
            lines.append(
                f"  - {obligation.get('type')}{f' ({extra})' if extra else ''}{f': {reason}' if reason else ''}"
            )
    checks = _checks(engine, policy, input)
    if checks:
        lines.append("Facts checked:")
        for name, held in checks.items():
            lines.append(f"  [{'x' if held is True else ' '}] {name}")
    return "\n".join(lines)
