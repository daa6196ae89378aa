"""Facts casework publishes on ``zorgtafel.casework.v1`` (explicit registry). Ids, codes and
pseudonyms only: never minutes, action texts or progress notes (9.2)."""

from __future__ import annotations

from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.contracts.casework import (  # the published language: one class per event type
    ActionUpdated,
    CaseClosed,
    CaseDeescalated,
    CaseEscalated,
    CaseOpened,
    CasePurged,
    CriteriaSet,
    DelegateNamed,
    DelegateReleased,
    DirectorAppointed,
    MeetingHeld,
    MeetingScheduled,
    PlanAdopted,
    RolesSet,
)
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "ActionUpdated",
    "CaseClosed",
    "CaseDeescalated",
    "CaseEscalated",
    "CaseOpened",
    "CasePurged",
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
        AccessLogCheckpointed,  # the kernel's access log, as in every service
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
    ]
)
