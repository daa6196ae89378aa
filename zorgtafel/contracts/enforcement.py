"""The event every service publishes on its own topic when the policy revision it enforces
changes (issue #17): governance keeps the latest per service instance, so the policy owners see
which service runs which revision after an adoption or a rollback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.kernel.events import DomainEvent

# data: service, instance (the host or pod name), revision, enforced_at (key: service).
POLICY_REVISION_ENFORCED = "nl.zorgtafel.policy.revision_enforced.v1"


@dataclass(frozen=True)
class PolicyRevisionEnforced(DomainEvent):
    TYPE: ClassVar[str] = POLICY_REVISION_ENFORCED
    KEY_FIELD: ClassVar[str] = "service"
    service: str
    instance: str
    revision: str
    enforced_at: str


PUBLISHED: tuple[type[DomainEvent], ...] = (PolicyRevisionEnforced,)


def kernel_published() -> tuple[type[DomainEvent], ...]:
    """The events the kernel publishes for every service, each on the service's own topic:
    the access log's signed checkpoints (issue #15) and the enforced policy revision."""
    from zorgtafel.contracts.accesslog import AccessLogCheckpointed

    return (AccessLogCheckpointed, PolicyRevisionEnforced)
