"""The event every service publishes on its own topic about its access log (issue #15): a
signed checkpoint. Governance keeps every one, so a log truncated or rewritten in a service's
database still contradicts a checkpoint held elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.kernel.events import DomainEvent

# data: log_id, size, root, signed_at, key_id, signature (key: log_id).
ACCESS_LOG_CHECKPOINTED = "nl.zorgtafel.access_log.checkpointed.v1"


@dataclass(frozen=True)
class AccessLogCheckpointed(DomainEvent):
    """A signed tree head (size, Merkle root) of a service's access log
    (``zorgtafel.<service>.accesslog``): Ed25519 over
    ``zorgtafel.kernel.accesslog.checkpoint.message``; root and signature in hex."""

    TYPE: ClassVar[str] = ACCESS_LOG_CHECKPOINTED
    KEY_FIELD: ClassVar[str] = "log_id"
    log_id: str
    size: int
    root: str
    signed_at: str
    key_id: str
    signature: str


PUBLISHED: tuple[type[DomainEvent], ...] = (AccessLogCheckpointed,)
