"""Choose the engine from the settings: ``embedded`` (default, local and tests) or ``opa``.

``bundle_url`` (``ZORGTAFEL_POLICY_BUNDLE_URL``) makes the embedded engine load what governance
serves instead of its policy directory, verified with ``verification_key_file``
(``ZORGTAFEL_BUNDLE_VERIFICATION_KEY_FILE``, governance's public bundle-signing key): the
embedded engine in production, enforcing adopted revisions only."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from zorgtafel.policy.engine import PolicyEngine
from zorgtafel.policy.errors import PolicyError


def engine_from_settings(
    kind: str,
    policy_dir: Path,
    opa_url: str,
    timeout_s: float,
    *,
    bundle_url: str = "",
    verification_key_file: str = "",
    key_id: str = "",
    packages: Iterable[str] | None = None,
    evaluator: str = "",
) -> PolicyEngine:
    """``packages``: the policy packages compiled at start by the embedded engine (None: all);
    ``evaluator`` (``ZORGTAFEL_POLICY_EVALUATOR``): regopy (default) or regorus (ADR 0011)."""
    if kind == "embedded":
        from zorgtafel.policy.embedded import DEFAULT_EVALUATOR, EmbeddedEngine

        evaluator = evaluator or DEFAULT_EVALUATOR
        if not bundle_url:
            return EmbeddedEngine(
                Path(policy_dir), timeout_s=timeout_s, packages=packages, evaluator=evaluator
            )
        if not verification_key_file:
            raise PolicyError(
                "ZORGTAFEL_POLICY_BUNDLE_URL needs ZORGTAFEL_BUNDLE_VERIFICATION_KEY_FILE: "
                "only bundles signed by governance are loaded"
            )
        return EmbeddedEngine(
            Path(policy_dir),
            timeout_s=timeout_s,
            bundle_url=bundle_url,
            verification_key_pem=Path(verification_key_file).read_bytes(),
            key_id=key_id,
            packages=packages,
            evaluator=evaluator,
        )
    if kind == "opa":
        from zorgtafel.policy.opa import OpaEngine

        return OpaEngine(opa_url, timeout_s=timeout_s)
    raise ValueError(f"unknown policy engine {kind!r}: use 'embedded' or 'opa'")
