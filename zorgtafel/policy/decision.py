"""The answer to one "may this happen?": what was decided, why, and under which revision."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

UNDEFINED_REASON = "The policy gave no decision (undefined result): denied by default."
MALFORMED_REASON = "The policy returned a malformed decision: denied (fail closed)."


def canonical_json(value: Any) -> str:
    """The one spelling of an input as JSON (sorted keys, no spaces): what is digested and what
    the access log keeps for replay."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def input_digest(value: Any) -> str:
    """sha256 over canonical JSON, so the access log can prove which facts were decided on."""
    return digest_of(canonical_json(value))


def digest_of(canonical: str) -> str:
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _freeze(value: Any) -> Any:
    # Engines answer plain dicts and lists: those first (an ABC check on every node of a
    # disclosure answer was a tenth of the decision's time, issue #16).
    if type(value) is dict:
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if type(value) is list:
        return tuple(_freeze(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return value


@dataclass(frozen=True)
class Decision:
    decision_id: str
    policy: str
    revision: str
    allow: bool
    reasons: tuple[str, ...]
    obligations: tuple[Mapping[str, Any], ...]
    input_digest: str
    decided_at: datetime
    result: Mapping[str, Any] = field(default_factory=dict)
    # The input as canonical JSON (what ``input_digest`` digests): the access log keeps it,
    # with free text replaced by its digest, so a past decision can be replayed (#17).
    input_json: str = field(default="", repr=False, compare=False)

    @classmethod
    def deny(cls, policy: str, revision: str, input: Any, reason: str) -> "Decision":
        return cls._make(
            policy,
            revision,
            input,
            False,
            (reason,),
            (),
            {"allow": False, "reasons": [reason], "obligations": []},
        )

    @classmethod
    def from_result(
        cls, policy: str, revision: str, input: Any, result: Any, defined: bool = True
    ) -> "Decision":
        """Turn a raw policy result into a Decision; only an explicit ``allow: true`` allows.

        regopy reports a ``false`` rule as undefined, so absence and malformation are denies.
        """
        if not defined:
            return cls.deny(policy, revision, input, UNDEFINED_REASON)
        if not isinstance(result, Mapping):
            return cls.deny(policy, revision, input, MALFORMED_REASON)
        reasons = result.get("reasons", [])
        obligations = result.get("obligations", [])
        if not (isinstance(reasons, list) and all(isinstance(r, str) for r in reasons)):
            return cls.deny(policy, revision, input, MALFORMED_REASON)
        if not (isinstance(obligations, list) and all(isinstance(o, Mapping) for o in obligations)):
            return cls.deny(policy, revision, input, MALFORMED_REASON)
        allow = result.get("allow") is True
        if not allow and not reasons:
            reasons = [UNDEFINED_REASON]
        return cls._make(
            policy,
            revision,
            input,
            allow,
            tuple(reasons),
            tuple(obligations) if allow else (),
            result,
        )

    @classmethod
    def _make(
        cls,
        policy: str,
        revision: str,
        input: Any,
        allow: bool,
        reasons: Iterable[str],
        obligations: Iterable[Mapping[str, Any]],
        result: Mapping[str, Any],
    ) -> "Decision":
        canonical = canonical_json(input)
        return cls(
            decision_id=str(uuid.uuid4()),
            policy=policy,
            revision=revision,
            allow=allow,
            reasons=tuple(reasons),
            obligations=tuple(_freeze(o) for o in obligations),
            input_digest=digest_of(canonical),
            decided_at=datetime.now(timezone.utc),
            result=_freeze(result),
            input_json=canonical,
        )
