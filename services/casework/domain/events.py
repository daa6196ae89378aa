"""Facts casework publishes on ``zorgtafel.casework.v1`` (explicit registry)."""

from __future__ import annotations

from zorgtafel.kernel.events import EventRegistry

REGISTRY = EventRegistry([])
