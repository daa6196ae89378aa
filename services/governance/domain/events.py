"""Facts governance publishes on ``zorgtafel.governance.v1`` (explicit registry below)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import DomainEvent, EventRegistry


@dataclass(frozen=True)
class PartyStatusEvent(DomainEvent):
    KEY_FIELD: ClassVar[str] = "party_id"
    party_id: str
    name: str
    kind: str
    status: str
    status_since: str


@dataclass(frozen=True)
class PartyRegistered(PartyStatusEvent):
    """A party of the covenant is known to the suite (seeded from the covenant or applied)."""
    TYPE: ClassVar[str] = ev.PARTY_REGISTERED


@dataclass(frozen=True)
class PartyJoined(PartyStatusEvent):
    """Accession completed: Annex 1 signed (art. 20.4)."""
    TYPE: ClassVar[str] = ev.PARTY_JOINED


@dataclass(frozen=True)
class PartyWithdrew(PartyStatusEvent):
    """The party's written withdrawal took effect (art. 21.3, 23.1)."""
    TYPE: ClassVar[str] = ev.PARTY_WITHDREW


@dataclass(frozen=True)
class PartyExcluded(PartyStatusEvent):
    """The board excluded the party, with immediate effect (art. 23.2)."""
    TYPE: ClassVar[str] = ev.PARTY_EXCLUDED


@dataclass(frozen=True)
class DecisionTaken(DomainEvent):
    TYPE: ClassVar[str] = ev.DECISION_TAKEN
    KEY_FIELD: ClassVar[str] = "decision_id"
    decision_id: str
    body: str
    proposal_id: str
    kind: str
    outcome: str
    consensus: bool
    binding: bool
    decided_at: str


@dataclass(frozen=True)
class PartiesInformed(DomainEvent):
    TYPE: ClassVar[str] = ev.PARTIES_INFORMED
    KEY_FIELD: ClassVar[str] = "decision_id"
    body: str
    subject_code: str
    decision_id: str
    informed: str


@dataclass(frozen=True)
class PolicyRevisionAdopted(DomainEvent):
    TYPE: ClassVar[str] = ev.POLICY_REVISION_ADOPTED
    KEY_FIELD: ClassVar[str] = "revision"
    revision: str
    work_process_version: str
    decision_id: str
    adopted_at: str


@dataclass(frozen=True)
class AccessionApplied(DomainEvent):
    TYPE: ClassVar[str] = ev.ACCESSION_APPLIED
    KEY_FIELD: ClassVar[str] = "party_id"
    accession_id: str
    party_id: str
    applied_at: str


@dataclass(frozen=True)
class NoticeOfDefaultRecorded(DomainEvent):
    TYPE: ClassVar[str] = ev.NOTICE_OF_DEFAULT_RECORDED
    KEY_FIELD: ClassVar[str] = "party_id"
    notice_id: str
    party_id: str
    reason_code: str
    recorded_at: str


@dataclass(frozen=True)
class WithdrawalAnnounced(DomainEvent):
    TYPE: ClassVar[str] = ev.WITHDRAWAL_ANNOUNCED
    KEY_FIELD: ClassVar[str] = "party_id"
    withdrawal_id: str
    party_id: str
    amendment_id: str
    effective_at: str


@dataclass(frozen=True)
class DisputeChanged(DomainEvent):
    TYPE: ClassVar[str] = ev.DISPUTE_CHANGED
    KEY_FIELD: ClassVar[str] = "dispute_id"
    dispute_id: str
    about: str
    forum: str
    status: str


REGISTRY = EventRegistry([PartyRegistered, PartyJoined, PartyWithdrew, PartyExcluded,
                          DecisionTaken, PartiesInformed, PolicyRevisionAdopted,
                          AccessionApplied, NoticeOfDefaultRecorded, WithdrawalAnnounced,
                          DisputeChanged])
