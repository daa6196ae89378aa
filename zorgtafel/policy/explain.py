"""The decision explainer: a decision with its reasons and the facts that mattered, in words a
privacy officer can read (``zorgtafel policy explain --input FILE --policy disclosure``)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

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
        from zorgtafel.policy.replay import check_order, facts_of

        order = check_order(engine.policy_dir, policy) if isinstance(engine, EmbeddedEngine) else []
        denials = () if decision.allow else decision.reasons
        lines.append("Facts, in the order the policy checks them ([!] caused the deny):")
        for fact in facts_of(checks, order, denials):
            mark = "x" if fact.held else ("!" if fact.caused else " ")
            lines.append(f"  [{mark}] {fact.name}{'   <- caused the deny' if fact.caused else ''}")
    return "\n".join(lines)


# -- a past decision, from its access-log record (``--decision-id``) ----------------------------


def _facts_lines(replayed: Any) -> list[str]:
    if not replayed.facts:
        return []
    lines = ["  Facts, in the order the policy checks them ([!] caused the deny):"]
    for fact in replayed.facts:
        if fact.held:
            lines.append(f"    [x] {fact.name}")
        elif fact.caused:
            lines.append(f"    [!] {fact.name}   <- caused the deny")
        else:
            lines.append(f"    [ ] {fact.name}")
    return lines


def explain_recorded(revisions: Any, record: Any, others: Sequence[str] = ()) -> str:
    """A logged decision re-evaluated under the revision that decided it, then under each of
    ``others``: what was recorded, what the policy says now, and whether that differs."""
    from zorgtafel.policy.replay import replay

    lines = [
        f"Decision {record.decision_id}  ({record.service} access log, record {record.seq})",
        f"Recorded:  {record.result.upper()} at {record.recorded_at} by {record.policy} "
        f"(revision {record.revision}), call {record.rpc} / {record.action}",
        "Recorded reasons:",
    ]
    lines += [f"  - {reason}" for reason in record.reasons] or ["  (none)"]
    for revision in [record.revision, *[r for r in others if r != record.revision]]:
        replayed = replay(revisions, record, revision)
        same = "reproduces the record" if not replayed.changed else "DIFFERS from the record"
        label = "the deciding revision" if revision == record.revision else "another revision"
        lines += [
            "",
            f"Under {revision} ({label}): {'ALLOWED' if replayed.allow else 'DENIED'}, {same}",
            "  Why:",
        ]
        lines += [f"    - {reason}" for reason in replayed.reasons]
        lines += _facts_lines(replayed)
    return "\n".join(lines)
