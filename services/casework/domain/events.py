"""Facts casework publishes on ``zorgtafel.casework.v1`` (explicit registry). Ids, codes and
pseudonyms only: never minutes, action texts or progress notes (9.2)."""

from __future__ import annotations

from zorgtafel.contracts.casework import (  # the published language: one class per event type
    PUBLISHED,
    ActionUpdated,
    CaseClosed,
    CaseDeescalated,
    CaseEscalated,
    CaseOpened,
    CasePurged,
    CaseRestated,
    CriteriaSet,
    DelegateNamed,
    DelegateReleased,
    DirectorAppointed,
    MeetingHeld,
    MeetingScheduled,
    PlanAdopted,
    ProcessDirectorChanged,
    RolesSet,
)
from zorgtafel.contracts.enforcement import kernel_published
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "ActionUpdated",
    "CaseClosed",
    "CaseDeescalated",
    "CaseEscalated",
    "CaseOpened",
    "CasePurged",
    "CaseRestated",
    "CriteriaSet",
    "DelegateNamed",
    "DelegateReleased",
    "DirectorAppointed",
    "MeetingHeld",
    "MeetingScheduled",
    "PlanAdopted",
    "ProcessDirectorChanged",
    "RolesSet",
    "REGISTRY",
]

# Every event the contract says the service publishes (zorgtafel.contracts.casework.PUBLISHED,
# read by every consumer) and the kernel's events (access-log checkpoints, the enforced policy
# revision), as in every service: one list, so the registry and the contract cannot part.
REGISTRY = EventRegistry([*kernel_published(), *PUBLISHED])
