"""Facts casework publishes on ``zorgtafel.casework.v1`` (explicit registry). Ids, codes and
pseudonyms only: never minutes, action texts or progress notes (9.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.contracts import casework as ev
from zorgtafel.kernel.events import DomainEvent, EventRegistry


@dataclass(frozen=True)
class CaseOpened(DomainEvent):
    TYPE: ClassVar[str] = ev.CASE_OPENED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    invitees: tuple[str, ...]
    process_director_party: str


@dataclass(frozen=True)
class MeetingScheduled(DomainEvent):
    TYPE: ClassVar[str] = ev.MEETING_SCHEDULED
    case_id: str
    meeting_id: str
    scheduled_for: str
    invitees: tuple[str, ...]


@dataclass(frozen=True)
class MeetingHeld(DomainEvent):
    TYPE: ClassVar[str] = ev.MEETING_HELD
    case_id: str
    meeting_id: str
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class DirectorAppointed(DomainEvent):
    TYPE: ClassVar[str] = ev.DIRECTOR_APPOINTED
    case_id: str
    party: str
    person: str


@dataclass(frozen=True)
class RolesSet(DomainEvent):
    TYPE: ClassVar[str] = ev.ROLES_SET
    case_id: str
    roles: dict


@dataclass(frozen=True)
class PlanAdopted(DomainEvent):
    TYPE: ClassVar[str] = ev.PLAN_ADOPTED
    case_id: str
    plan_version: int
    actions: int


@dataclass(frozen=True)
class CriteriaSet(DomainEvent):
    TYPE: ClassVar[str] = ev.CRITERIA_SET
    case_id: str
    meeting_id: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class ActionUpdated(DomainEvent):
    TYPE: ClassVar[str] = ev.ACTION_UPDATED
    case_id: str
    action_id: str
    party: str
    status: str


@dataclass(frozen=True)
class CaseDeescalated(DomainEvent):
    TYPE: ClassVar[str] = ev.CASE_DEESCALATED
    case_id: str
    meeting_id: str


@dataclass(frozen=True)
class CaseEscalated(DomainEvent):
    TYPE: ClassVar[str] = ev.CASE_ESCALATED
    case_id: str
    zvh: str
    reason_code: str


@dataclass(frozen=True)
class CaseClosed(DomainEvent):
    TYPE: ClassVar[str] = ev.CASE_CLOSED
    case_id: str
    outcome: str


@dataclass(frozen=True)
class CasePurged(DomainEvent):
    TYPE: ClassVar[str] = ev.CASE_PURGED
    case_id: str


REGISTRY = EventRegistry([CaseOpened, MeetingScheduled, MeetingHeld, DirectorAppointed, RolesSet,
                          PlanAdopted, CriteriaSet, ActionUpdated, CaseDeescalated, CaseEscalated,
                          CaseClosed, CasePurged])
