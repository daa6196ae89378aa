"""Facts disclosure publishes on ``zorgtafel.disclosure.v1`` (explicit registry). Identifiers,
codes and pseudonyms only: never item content, never a justification's text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.contracts import disclosure as contract
from zorgtafel.kernel.events import DomainEvent, EventRegistry


@dataclass(frozen=True)
class ItemProvided(DomainEvent):
    TYPE: ClassVar[str] = contract.ITEM_PROVIDED
    item_id: str
    case_id: str
    provider: str
    category: str


@dataclass(frozen=True)
class ItemRetracted(DomainEvent):
    TYPE: ClassVar[str] = contract.ITEM_RETRACTED
    item_id: str
    case_id: str
    provider: str


@dataclass(frozen=True)
class DisclosureDecided(DomainEvent):
    TYPE: ClassVar[str] = contract.DISCLOSURE_DECIDED
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    recipient_party: str
    purpose: str
    result: str  # "allowed" | "denied" | "break_glass"
    policy_revision: str
    decided_at: str


@dataclass(frozen=True)
class BreakGlassUsed(DomainEvent):
    """The provider is notified of a safety override on its item (art. 16.2, Bijlage 3)."""
    TYPE: ClassVar[str] = contract.BREAK_GLASS_USED
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    recipient_party: str


REGISTRY = EventRegistry([ItemProvided, ItemRetracted, DisclosureDecided, BreakGlassUsed])
