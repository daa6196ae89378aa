"""Facts intake publishes on ``zorgtafel.intake.v1`` (explicit registry below).

Data fields are identifiers, codes, the subject's pseudonym and the age band only: never a
name, a date of birth, an identifier of the subject or free text."""

from __future__ import annotations

from zorgtafel.contracts.enforcement import kernel_published
from zorgtafel.contracts.intake import (  # the published language: one class per event type
    PUBLISHED,
    AgeBandChanged,
    CaseAssessed,
    CaseNominated,
    CaseRejected,
    CaseTriaged,
    NominationForgotten,
    NominationWithdrawn,
    ProbingFlagged,
    SafetyOverrideRecorded,
)
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "AgeBandChanged",
    "CaseAssessed",
    "CaseNominated",
    "CaseRejected",
    "CaseTriaged",
    "NominationForgotten",
    "NominationWithdrawn",
    "ProbingFlagged",
    "REGISTRY",
    "SafetyOverrideRecorded",
]

# Every event the contract says the service publishes (zorgtafel.contracts.intake.PUBLISHED,
# read by every consumer) and the kernel's events (access-log checkpoints, the enforced policy
# revision), as in every service: one list, so the registry and the contract cannot part.
REGISTRY = EventRegistry([*kernel_published(), *PUBLISHED])
