"""Facts disclosure publishes on ``zorgtafel.disclosure.v1`` (explicit registry). Identifiers,
codes and pseudonyms only: never item content, never a justification's text."""

from __future__ import annotations

from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.contracts.disclosure import (  # the published language: one class per event type
    BreakGlassUsed,
    DisclosureDecided,
    ItemProvided,
    ItemRetracted,
)
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "AccessLogCheckpointed",
    "BreakGlassUsed",
    "DisclosureDecided",
    "ItemProvided",
    "ItemRetracted",
    "REGISTRY",
]

REGISTRY = EventRegistry(
    [ItemProvided, ItemRetracted, DisclosureDecided, BreakGlassUsed, AccessLogCheckpointed]
)
