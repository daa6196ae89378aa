"""The one interface behind which both engines (embedded regopy, OPA over REST) sit.

Use ``decide`` when you want to answer an engine failure yourself (it raises
``PolicyUnavailable``; a gRPC service answers UNAVAILABLE). Use ``decide_fail_closed`` when an
engine failure should simply be a deny (reason ``FAIL_CLOSED_REASON``). The kernel's interceptor
uses ``decide`` so that callers can tell "not allowed" from "try again".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping, Protocol, runtime_checkable

from zorgtafel.policy.decision import Decision
from zorgtafel.policy.errors import PolicyError, PolicyUnavailable

__all__ = [
    "PolicyEngine",
    "PolicyError",
    "PolicyUnavailable",
    "BaseEngine",
    "FAIL_CLOSED_REASON",
    "policy_path",
]

FAIL_CLOSED_REASON = "policy engine unavailable: denied (fail closed)"


@runtime_checkable
class PolicyEngine(Protocol):
    @property
    def revision(self) -> str: ...

    def decide(self, policy: str, input: Mapping[str, Any]) -> Decision: ...

    def decide_fail_closed(self, policy: str, input: Mapping[str, Any]) -> Decision: ...

    def evaluate(self, policy: str, input: Mapping[str, Any]) -> Mapping[str, Any]: ...


def policy_path(policy: str) -> str:
    """``"zorgtafel.authz"`` -> ``"zorgtafel/authz"``; refuses anything that is not a package name."""
    parts = policy.split(".")
    if not policy or not all(p.isidentifier() for p in parts):
        raise PolicyError(f"not a policy package name: {policy!r}")
    return "/".join(parts)


class BaseEngine:
    """What both engines share: turning ``_query`` answers into Decisions and fail-closed denies.

    Subclasses implement ``_query(policy, rule, input) -> (defined, value, revision)`` (the
    revision that actually evaluated it) and raise ``PolicyUnavailable`` on any engine failure.
    """

    if TYPE_CHECKING:  # read-only to users: an engine keeps it in an attribute or works it out

        @property
        def revision(self) -> str: ...
    else:
        revision: str = "unknown"

    def _query(
        self, policy: str, rule: str, input: Mapping[str, Any]
    ) -> tuple[bool, Any, str]:  # pragma: no cover
        raise NotImplementedError

    def decide(self, policy: str, input: Mapping[str, Any]) -> Decision:
        policy_path(policy)
        defined, value, revision = self._query(policy, "decision", input)
        return Decision.from_result(policy, revision, input, value, defined)

    def decide_fail_closed(self, policy: str, input: Mapping[str, Any]) -> Decision:
        try:
            return self.decide(policy, input)
        except PolicyError:
            return Decision.deny(policy, self.revision, input, FAIL_CLOSED_REASON)

    def evaluate(self, policy: str, input: Mapping[str, Any]) -> Mapping[str, Any]:
        """The raw ``result`` of a non-decision policy (criteria, invite); {} when undefined."""
        policy_path(policy)
        defined, value, _ = self._query(policy, "result", input)
        if not defined:
            return {}
        if not isinstance(value, Mapping):
            raise PolicyUnavailable(f"policy {policy} returned a result that is not an object")
        return value
