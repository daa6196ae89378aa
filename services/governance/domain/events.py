"""Facts governance publishes on ``zorgtafel.governance.v1`` (explicit registry below)."""

from __future__ import annotations

from zorgtafel.contracts.enforcement import kernel_published
from zorgtafel.contracts.governance import (  # the published language: one class per event type
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

REGISTRY = EventRegistry(
    [
        # the kernel's events (access-log checkpoints, the enforced policy revision), as in
        # every service
        *kernel_published(),
        PartyRegistered,
        PartyJoined,
        PartyWithdrew,
        PartyExcluded,
        DecisionTaken,
        PartiesInformed,
        PolicyRevisionAdopted,
        AccessionApplied,
        NoticeOfDefaultRecorded,
        WithdrawalAnnounced,
        DisputeChanged,
        RosterChanged,
    ]
)
