"""Facts casework publishes on ``zorgtafel.casework.v1`` (explicit registry). Ids, codes and
pseudonyms only: never minutes, action texts or progress notes (9.2)."""

from __future__ import annotations

from zorgtafel.contracts.casework import (  # the published language: one class per event type
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
    "RolesSet",
    "REGISTRY",
]

REGISTRY = EventRegistry(
    [
        # the kernel's events (access-log checkpoints, the enforced policy revision), as in
        # every service
        *kernel_published(),
        CaseOpened,
        MeetingScheduled,
        MeetingHeld,
        DirectorAppointed,
        DelegateNamed,
        DelegateReleased,
        RolesSet,
        PlanAdopted,
        CriteriaSet,
        ActionUpdated,
        CaseDeescalated,
        CaseEscalated,
        CaseClosed,
        CasePurged,
        CaseRestated,
    ]
)
