"""Facts governance publishes on ``zorgtafel.governance.v1`` (explicit registry below)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import DomainEvent, EventRegistry


@dataclass(frozen=True)
class PartyStatusEvent(DomainEvent):
    KEY_FIELD: ClassVar[str] = "party_id"
    party_id: str
    name: str
    kind: str
    status: str
    status_since: str


@dataclass(frozen=True)
class PartyRegistered(PartyStatusEvent):
    """A party of the covenant is known to the suite (seeded from the covenant or acceded)."""
    TYPE: ClassVar[str] = ev.PARTY_REGISTERED


REGISTRY = EventRegistry([PartyRegistered])
