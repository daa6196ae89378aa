"""Every service's signed access-log checkpoints as governance keeps them (issue #15, NEN 7513).

A service signs (size, Merkle root) of its access log with a key its database does not hold and
publishes it; governance keeps every one, outside that database. Whoever rewrites or truncates
the log there still meets a checkpoint here that contradicts it (``zorgtafel verify-log
--checkpoint``). Two things are alarming in the checkpoints alone: two genuine roots for one
size (the log forked: someone rebuilt it) and a log that shrank (a newer checkpoint smaller than
an older one). Pure: the signature is checked by the service layer with the kernel's keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum

# ``zorgtafel.<service>.accesslog``: the log names the service whose key signs it.
LOG_ID = re.compile(r"^zorgtafel\.([a-z]+)\.accesslog$")
_HEX = re.compile(r"^[0-9a-f]*$")
MAX_SIZE = 2**62  # fits the BIGINT column with room; no log comes near it


class CheckpointStatus(str, Enum):
    VERIFIED = "verified"  # signed by a key configured for the log's service
    REJECTED = "rejected"  # kept as received, never trusted (``reason`` says why)


class Alert(str, Enum):
    FORK = "fork"  # another genuine root for a size already signed
    SHRINK = "shrink"  # smaller than a checkpoint signed no later


@dataclass(frozen=True)
class ReceivedCheckpoint:
    """One published checkpoint as received: root and signature in hex, as on the wire."""

    log_id: str
    size: int
    root: str
    signed_at: str
    key_id: str
    signature: str
    status: CheckpointStatus = CheckpointStatus.VERIFIED
    reason: str | None = None
    alert: Alert | None = None

    def data(self) -> dict[str, object]:
        """The published event's data: what ``zorgtafel verify-log --checkpoint`` reads."""
        return {
            "log_id": self.log_id,
            "size": self.size,
            "root": self.root,
            "signed_at": self.signed_at,
            "key_id": self.key_id,
            "signature": self.signature,
        }


def service_of(log_id: str) -> str | None:
    m = LOG_ID.match(log_id)
    return m.group(1) if m else None


def signed_time(signed_at: str) -> datetime | None:
    try:
        at = datetime.fromisoformat(signed_at)
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def malformed(cp: ReceivedCheckpoint) -> str | None:
    """Why a checkpoint cannot even be checked (a reason code), or None."""
    if service_of(cp.log_id) is None:
        return "unknown_log"
    if not 0 <= cp.size < MAX_SIZE:
        return "malformed_size"
    if len(cp.root) != 64 or not _HEX.match(cp.root):
        return "malformed_root"
    if len(cp.signature) != 128 or not _HEX.match(cp.signature):
        return "malformed_signature"
    if len(cp.key_id) > 32 or signed_time(cp.signed_at) is None or len(cp.signed_at) > 40:
        return "malformed_signed_at_or_key_id"
    return None


def truncated(cp: ReceivedCheckpoint) -> ReceivedCheckpoint:
    """A rejected checkpoint cut to the stored widths (an attacker chooses its lengths)."""
    return ReceivedCheckpoint(
        cp.log_id[:100],
        max(min(cp.size, MAX_SIZE), -MAX_SIZE),
        cp.root[:64],
        cp.signed_at[:40],
        cp.key_id[:32],
        cp.signature[:128],
        cp.status,
        cp.reason,
        cp.alert,
    )


def alert_for(new: ReceivedCheckpoint, verified: Iterable[ReceivedCheckpoint]) -> Alert | None:
    """A fork or a shrinking log, judged against the verified checkpoints of the same log of at
    least ``new``'s size. An older checkpoint delivered late is no shrink: only one signed no
    later than ``new`` and larger than it is."""
    at = signed_time(new.signed_at) or datetime.min.replace(tzinfo=timezone.utc)
    shrink = False
    for old in verified:
        if old.log_id != new.log_id or old.status is not CheckpointStatus.VERIFIED:
            continue
        if old.size == new.size and old.root != new.root:
            return Alert.FORK
        old_at = signed_time(old.signed_at)
        if old.size > new.size and old_at is not None and old_at <= at:
            shrink = True
    return Alert.SHRINK if shrink else None
