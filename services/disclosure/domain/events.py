"""Facts disclosure publishes on ``zorgtafel.disclosure.v1`` (explicit registry). Identifiers,
codes and pseudonyms only: never item content, never a justification's text."""

from __future__ import annotations

from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.contracts.disclosure import (  # the published language: one class per event type
    PUBLISHED,
    BreakGlassUsed,
    CaseRestrictionChanged,
    DisclosureDecided,
    ItemProvided,
    ItemRetracted,
    SubjectConsentChanged,
    SubjectErased,
)
from zorgtafel.contracts.enforcement import kernel_published
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "AccessLogCheckpointed",
    "BreakGlassUsed",
    "CaseRestrictionChanged",
    "DisclosureDecided",
    "ItemProvided",
    "ItemRetracted",
    "REGISTRY",
    "SubjectConsentChanged",
    "SubjectErased",
]

# Every event the contract says the service publishes (zorgtafel.contracts.disclosure.PUBLISHED,
# read by every consumer) and the kernel's events (access-log checkpoints, the enforced policy
# revision), as in every service: one list, so the registry and the contract cannot part.
REGISTRY = EventRegistry([*kernel_published(), *PUBLISHED])
