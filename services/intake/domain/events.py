"""Facts intake publishes on ``zorgtafel.intake.v1`` (explicit registry below).

Data fields are identifiers, codes, the subject's pseudonym and the age band only: never a
name, a date of birth, an identifier of the subject or free text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.contracts import intake as contract
from zorgtafel.kernel.events import DomainEvent, EventRegistry


@dataclass(frozen=True)
class CaseNominated(DomainEvent):
    TYPE: ClassVar[str] = contract.CASE_NOMINATED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    nominated_at: str
    linked_to_case_id: str = ""


@dataclass(frozen=True)
class CaseAssessed(DomainEvent):
    TYPE: ClassVar[str] = contract.CASE_ASSESSED
    case_id: str
    qualifies: bool
    advice: str
    criteria_held: tuple[str, ...]
    nominating_party: str
    policy_revision: str


@dataclass(frozen=True)
class CaseRejected(DomainEvent):
    TYPE: ClassVar[str] = contract.CASE_REJECTED
    case_id: str
    nominating_party: str
    reason_code: str


@dataclass(frozen=True)
class CaseTriaged(DomainEvent):
    TYPE: ClassVar[str] = contract.CASE_TRIAGED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    routing: str
    goal_code: str
    themes: tuple[str, ...]
    decision_types: tuple[str, ...]
    invitees: tuple[str, ...]
    process_director_party: str
    reason_code: str = ""
    linked_case_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class NominationWithdrawn(DomainEvent):
    TYPE: ClassVar[str] = contract.NOMINATION_WITHDRAWN
    case_id: str
    nominating_party: str
    reason_code: str = ""


REGISTRY = EventRegistry([CaseNominated, CaseAssessed, CaseRejected, CaseTriaged,
                          NominationWithdrawn])
