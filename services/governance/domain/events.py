"""Facts governance publishes on ``zorgtafel.governance.v1`` (explicit registry below)."""

from __future__ import annotations

from zorgtafel.contracts.enforcement import kernel_published
from zorgtafel.contracts.governance import (  # the published language: one class per event type
    PUBLISHED,
    AccessionApplied,
    DecisionTaken,
    DisputeChanged,
    NoticeOfDefaultRecorded,
    PartiesInformed,
    PartyExcluded,
    PartyJoined,
    PartyRegistered,
    PartyStatusEvent,
    PartyWithdrew,
    PolicyRevisionAdopted,
    RosterChanged,
    WithdrawalAnnounced,
)
from zorgtafel.kernel.events import EventRegistry

__all__ = [
    "AccessionApplied",
    "DecisionTaken",
    "DisputeChanged",
    "NoticeOfDefaultRecorded",
    "PartiesInformed",
    "PartyExcluded",
    "PartyJoined",
    "PartyRegistered",
    "PartyStatusEvent",
    "PartyWithdrew",
    "PolicyRevisionAdopted",
    "RosterChanged",
    "WithdrawalAnnounced",
    "REGISTRY",
]

# Every event the contract says the service publishes (zorgtafel.contracts.governance.PUBLISHED,
# read by every consumer) and the kernel's events (access-log checkpoints, the enforced policy
# revision), as in every service: one list, so the registry and the contract cannot part.
REGISTRY = EventRegistry([*kernel_published(), *PUBLISHED])
