"""Events on ``zorgtafel.governance.v1`` (key: party_id, or decision_id for decisions)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.kernel.events import DomainEvent

_NS = "nl.zorgtafel.governance"

# data: party_id, name, kind, status, status_since (ISO 8601)
PARTY_REGISTERED = f"{_NS}.party.registered.v1"
PARTY_JOINED = f"{_NS}.party.joined.v1"  # accession completed (art. 20)
PARTY_WITHDREW = f"{_NS}.party.withdrew.v1"  # art. 21.3 / 23.1
PARTY_EXCLUDED = f"{_NS}.party.excluded.v1"  # art. 23.2, immediate effect
PARTY_STATUS_EVENTS = (PARTY_REGISTERED, PARTY_JOINED, PARTY_WITHDREW, PARTY_EXCLUDED)

# data: decision_id, body, proposal_id, kind, outcome ("adopted"|"rejected"|"referred"),
#       consensus (bool), binding (bool), decided_at
DECISION_TAKEN = f"{_NS}.decision.taken.v1"
# data: revision, work_process_version, decision_id, adopted_at
POLICY_REVISION_ADOPTED = f"{_NS}.policy_revision.adopted.v1"
# data: body, subject_code, decision_id, informed ("partner_council"|"regional_board"|
#       "all_parties") -- the secretaries' duty to inform (5.4 / 7.4 / 20.3 / 6.6c)
PARTIES_INFORMED = f"{_NS}.parties.informed.v1"
# data: accession_id, party_id (the applicant), applied_at -- art. 20.2
ACCESSION_APPLIED = f"{_NS}.accession.applied.v1"
# data: notice_id, party_id, reason_code, recorded_at -- art. 23.2
NOTICE_OF_DEFAULT_RECORDED = f"{_NS}.notice_of_default.recorded.v1"
# data: withdrawal_id, party_id, amendment_id, effective_at -- art. 21.3 / 23.1 (announced)
WITHDRAWAL_ANNOUNCED = f"{_NS}.withdrawal.announced.v1"
# data: dispute_id, about, forum, status -- art. 11.4, 12.4, 13.4
DISPUTE_CHANGED = f"{_NS}.dispute.changed.v1"
# data: function ("process_director"|"manager"), party, person, held (bool), changed_at --
# who holds a function of the Zorgtafel, as appointed (art. 11.2, 12.1, 12.3): the managers
# designate the process directors; a manager holds a managers seat. Every service keeps this
# roster (the kernel's projection) so that a token's role claim alone never grants a function.
ROSTER_CHANGED = f"{_NS}.roster.changed.v1"
ROSTER_FUNCTIONS = ("process_director", "manager")

# Revoking facts (ADR 0012): never parked after handler failures; the partition waits on them
# and the consuming service is not ready until they are applied.
GOVERNANCE_REVOKING: frozenset[str] = frozenset(
    {
        # the kernel's party projection takes the status in the data whatever the type
        # (kernel/parties.py), so every party status event may lower a party to withdrawn or
        # excluded (art. 21.3, 23.1, 23.2: an exclusion has immediate effect)
        *PARTY_STATUS_EVENTS,
        # held=false ends a process director's or manager's function (art. 11.2, 12.1, 12.3):
        # the person's function-bound access goes with it
        ROSTER_CHANGED,
    }
)


# -- the events as typed data: producers emit these, consumers receive them (checked on the way
# in by ``DomainEvent.from_data``). Fields: ids, codes and pseudonyms only.
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

    TYPE: ClassVar[str] = PARTY_REGISTERED


@dataclass(frozen=True)
class PartyJoined(PartyStatusEvent):
    """Accession completed: Annex 1 signed (art. 20.4)."""

    TYPE: ClassVar[str] = PARTY_JOINED


@dataclass(frozen=True)
class PartyWithdrew(PartyStatusEvent):
    """The party's written withdrawal took effect (art. 21.3, 23.1)."""

    TYPE: ClassVar[str] = PARTY_WITHDREW


@dataclass(frozen=True)
class PartyExcluded(PartyStatusEvent):
    """The board excluded the party, with immediate effect (art. 23.2)."""

    TYPE: ClassVar[str] = PARTY_EXCLUDED


@dataclass(frozen=True)
class DecisionTaken(DomainEvent):
    TYPE: ClassVar[str] = DECISION_TAKEN
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
    TYPE: ClassVar[str] = PARTIES_INFORMED
    KEY_FIELD: ClassVar[str] = "decision_id"
    body: str
    subject_code: str
    decision_id: str
    informed: str


@dataclass(frozen=True)
class PolicyRevisionAdopted(DomainEvent):
    TYPE: ClassVar[str] = POLICY_REVISION_ADOPTED
    KEY_FIELD: ClassVar[str] = "revision"
    revision: str
    work_process_version: str
    decision_id: str
    adopted_at: str


@dataclass(frozen=True)
class AccessionApplied(DomainEvent):
    TYPE: ClassVar[str] = ACCESSION_APPLIED
    KEY_FIELD: ClassVar[str] = "party_id"
    accession_id: str
    party_id: str
    applied_at: str


@dataclass(frozen=True)
class NoticeOfDefaultRecorded(DomainEvent):
    TYPE: ClassVar[str] = NOTICE_OF_DEFAULT_RECORDED
    KEY_FIELD: ClassVar[str] = "party_id"
    notice_id: str
    party_id: str
    reason_code: str
    recorded_at: str


@dataclass(frozen=True)
class WithdrawalAnnounced(DomainEvent):
    TYPE: ClassVar[str] = WITHDRAWAL_ANNOUNCED
    KEY_FIELD: ClassVar[str] = "party_id"
    withdrawal_id: str
    party_id: str
    amendment_id: str
    effective_at: str


@dataclass(frozen=True)
class DisputeChanged(DomainEvent):
    TYPE: ClassVar[str] = DISPUTE_CHANGED
    KEY_FIELD: ClassVar[str] = "dispute_id"
    dispute_id: str
    about: str
    forum: str
    status: str


@dataclass(frozen=True)
class RosterChanged(DomainEvent):
    TYPE: ClassVar[str] = ROSTER_CHANGED
    # Keyed by the party the function is held for: one party's roster changes stay in order.
    KEY_FIELD: ClassVar[str] = "party"
    function: str
    party: str
    person: str
    held: bool
    changed_at: str


PUBLISHED: tuple[type[DomainEvent], ...] = (
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
)
