"""Facts intake publishes on ``zorgtafel.intake.v1`` (explicit registry below).

Data fields are identifiers, codes, the subject's pseudonym and the age band only: never a
name, a date of birth, an identifier of the subject or free text."""

from __future__ import annotations

from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.contracts.intake import (  # the published language: one class per event type
    CaseAssessed,
    CaseNominated,
    CaseRejected,
    CaseTriaged,
    NominationWithdrawn,
    ProbingFlagged,
    SafetyOverrideRecorded,
)
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "CaseAssessed",
    "CaseNominated",
    "CaseRejected",
    "CaseTriaged",
    "NominationWithdrawn",
    "ProbingFlagged",
    "REGISTRY",
    "SafetyOverrideRecorded",
]

REGISTRY = EventRegistry(
    [
        AccessLogCheckpointed,  # the kernel's access log, as in every service
        CaseNominated,
        CaseAssessed,
        CaseRejected,
        CaseTriaged,
        NominationWithdrawn,
        SafetyOverrideRecorded,
        ProbingFlagged,
    ]
)
