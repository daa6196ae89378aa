"""Errors a caller can act on, in plain Python so that domain code may raise them.

The gRPC error interceptor maps each to its status code with ``google.rpc`` rich details.
Messages never carry personal data or item content: they name fields and states only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping


class ZorgtafelError(Exception):
    """Base of every error that is the caller's to fix (never INTERNAL)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgument(ZorgtafelError):
    """A field of the request is malformed; ``violations`` maps field path to what is wrong."""

    def __init__(self, field: str, description: str, *more: tuple[str, str]) -> None:
        self.violations: tuple[tuple[str, str], ...] = ((field, description), *more)
        super().__init__("; ".join(f"{f}: {d}" for f, d in self.violations))


class FailedPrecondition(ZorgtafelError):
    """The request is well-formed but the resource is in a state that forbids it."""

    def __init__(self, state: str, description: str, subject: str = "") -> None:
        self.state = state
        self.subject = subject
        super().__init__(f"{description} (state: {state})")


class NotFound(ZorgtafelError):
    def __init__(self, resource_type: str, resource_name: str) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        super().__init__(f"{resource_type} {resource_name} not found")


class AlreadyExists(ZorgtafelError):
    def __init__(self, resource_type: str, resource_name: str) -> None:
        self.resource_type = resource_type
        self.resource_name = resource_name
        super().__init__(f"{resource_type} {resource_name} already exists")


class Unauthenticated(ZorgtafelError):
    pass


class PermissionDenied(ZorgtafelError):
    """Denied by policy; ``reasons`` are the policy's plain-language reasons."""

    def __init__(
        self,
        reasons: tuple[str, ...] | list[str],
        decision_id: str = "",
        revision: str = "",
        policy: str = "",
        flags: Mapping[str, str] | None = None,
    ) -> None:
        self.reasons = tuple(reasons) or ("denied by default",)
        self.decision_id = decision_id
        self.revision = revision
        self.policy = policy
        # Facts for a relaying service, beside the reasons (ErrorInfo metadata): never personal
        # data nor a caller-typed id, e.g. disclosure's ``outside_need`` for casework's pre-read.
        self.flags = dict(flags or {})
        super().__init__("; ".join(self.reasons))

    @property
    def logged(self) -> PermissionDenied:
        """The refusal the access log records: this one (``NotShared`` keeps its own)."""
        return self


class NotShared(PermissionDenied):
    """The one answer to an id that names nothing (never given out, or purged) and to one that
    names something the caller's party has no part in (art. 8.4c, Bijlage 3; ADR 0005): the
    same status and the same words, with no decision id, revision or policy and nothing of
    the id's own, so that an outsider holding an id learns nothing from it, not even whether
    it exists. PERMISSION_DENIED rather than NOT_FOUND: a refused attempt either way, logged
    and counted against the caller's budget of refusals (``zorgtafel.kernel.refusals``), so
    that trying ids costs what trying cases costs.

    ``decided``: the policy's refusal behind it, when there was something to refuse. The
    caller is not told it; the access log keeps it (``logged``), so that the privacy officers
    still see which decision refused whom, and why."""

    def __init__(self, what: str, field: str, decided: PermissionDenied | None = None) -> None:
        super().__init__(
            (
                f"No {what} with this {field} that this party has a part in: one the party "
                "has no part in is answered as one that does not exist (art. 8.4c, "
                "Bijlage 3).",
            )
        )
        self.decided = decided

    @property
    def logged(self) -> PermissionDenied:
        return self.decided if self.decided is not None else self


class Unavailable(ZorgtafelError):
    """A dependency (database, policy engine, access log) is not there: fail closed."""


class ResourceExhausted(ZorgtafelError):
    """A bound on what one caller may use was reached (RESOURCE_EXHAUSTED): ``subject`` and
    ``description`` name the quota, ``retry_after_s`` when to ask again."""

    def __init__(self, message: str, subject: str, description: str, retry_after_s: float) -> None:
        self.subject = subject
        self.description = description
        self.retry_after_s = max(1, math.ceil(retry_after_s))
        super().__init__(f"{message}; retry in {self.retry_after_s} s")


class TooManyRefusals(ResourceExhausted):
    """The caller has been refused too often of late (``zorgtafel.kernel.refusals``): turned
    away, without a decision or a record, until ``retry_after_s`` has passed."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__(
            "too many refused calls from this person of late: nothing was decided or shown",
            "person",
            "refused calls per minute",
            retry_after_s,
        )


class TooManyStreams(ResourceExhausted):
    """All the open streams the service allows, or this person's share of them, are open
    (``zorgtafel.kernel.streams``)."""

    def __init__(self, whose: str, retry_after_s: float = 30) -> None:
        super().__init__(
            f"too many open streams ({whose}): close one, or wait",
            whose,
            "open streams",
            retry_after_s,
        )
