"""Choose the engine from the settings: ``embedded`` (default, local and tests) or ``opa``."""

from __future__ import annotations

from pathlib import Path

from zorgtafel.policy.engine import PolicyEngine


def engine_from_settings(
    kind: str, policy_dir: Path, opa_url: str, timeout_s: float
) -> PolicyEngine:
    if kind == "embedded":
        from zorgtafel.policy.embedded import EmbeddedEngine

        return EmbeddedEngine(Path(policy_dir), timeout_s=timeout_s)
    if kind == "opa":
        from zorgtafel.policy.opa import OpaEngine

        return OpaEngine(opa_url, timeout_s=timeout_s)
    raise ValueError(f"unknown policy engine {kind!r}: use 'embedded' or 'opa'")
