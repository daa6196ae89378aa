"""Events on ``zorgtafel.casework.v1`` (key: case_id)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from zorgtafel.kernel.events import DomainEvent, decided_at

_NS = "nl.zorgtafel.casework"

# data: case_id, subject_pseudonym, nominating_party, age_band, invitees [OIN..],
#       process_director_party, process_director_person (12.3: the person who directs it)
CASE_OPENED = f"{_NS}.case.opened.v1"
# data: case_id, meeting_id, scheduled_for, invitees [OIN..]
MEETING_SCHEDULED = f"{_NS}.meeting.scheduled.v1"
# data: case_id, meeting_id, attendees [OIN..]   (never the minutes: 9.2)
MEETING_HELD = f"{_NS}.meeting.held.v1"
# The case-membership events (DIRECTOR_APPOINTED, DELEGATE_NAMED, DELEGATE_RELEASED, ROLES_SET)
# also carry changed_at: when casework decided the change (ISO 8601 with its zone). Consumers
# apply them in that order, not in the order they arrive (the outbox relay re-sends a batch on
# a suspected broker loss; a key may move to another partition). An event without it (sent by
# a casework before the field) is older than any event with it (zorgtafel.kernel.events.
# in_decision_order).
# data: case_id, party, person, changed_at
DIRECTOR_APPOINTED = f"{_NS}.director.appointed.v1"
# data: case_id, party, person, changed_at -- an involved party named a person as its delegate
#       in the case (8.4c, 10.1); only such persons of the party reach the case (Bijlage 3)
DELEGATE_NAMED = f"{_NS}.delegate.named.v1"
# data: case_id, party, person, changed_at -- the person no longer represents the party in
#       the case
DELEGATE_RELEASED = f"{_NS}.delegate.released.v1"
# data: case_id, roles {OIN: {"role": str, "information_need": [category..]}} (8.4c),
#       changed_at -- the complete set: a party missing from it is no longer involved
ROLES_SET = f"{_NS}.roles.set.v1"
# data: case_id, party, person, changed_at -- who directs the case now (12.3): "" person when
#       governance ended the designation of the one who directed it (casework took that person
#       off the case, party kept); a designated process director who acts on such a case next
#       takes it over (party and person of that one)
PROCESS_DIRECTOR_CHANGED = f"{_NS}.process_director.changed.v1"
# data: case_id, plan_version, actions (count)
PLAN_ADOPTED = f"{_NS}.plan.adopted.v1"
# data: case_id, meeting_id, criteria [code..] (8.4d)
CRITERIA_SET = f"{_NS}.criteria.set.v1"
# data: case_id, action_id, party, status ("open"|"in_progress"|"done"|"cancelled")
ACTION_UPDATED = f"{_NS}.action.updated.v1"
# data: case_id, meeting_id
CASE_DEESCALATED = f"{_NS}.case.deescalated.v1"
# data: case_id, zvh, reason_code
CASE_ESCALATED = f"{_NS}.case.escalated.v1"
# data: case_id, outcome ("successful"|"escalated"|"other")
CASE_CLOSED = f"{_NS}.case.closed.v1"
# data: case_id -- every service deletes its copies and projections of the case
CASE_PURGED = f"{_NS}.case.purged.v1"
# data: case_id, process_director_party, process_director_person, invitees [OIN..] (invited in
#       triage, to a meeting or attending one), roles [OIN..] (the parties given a role, 8.4c),
#       case_director_party, case_director_person ("" when none), delegates {OIN: [person..]},
#       closed, changed_at (when casework decided the last of these it holds: "" when none had
#       a time), information_needs {OIN: {"role": str, "information_need": [category..]}} (each
#       party with a role, as ROLES_SET carries them, 8.4c, 15.1; absent from a casework before
#       the field: then only ``roles`` says which parties have one) -- who has a part in a case
#       and what each party needs to know, as casework still holds it, restated by an operator
#       (``zorgtafel restate-cases``) for a consumer that began to keep these facts after the
#       case opened (governance's case_facts, since its migration 9c4e2a7d5b18). Written to the
#       outbox under the case's lock: a later change of the case comes after it. A consumer that
#       knows the case already keeps what it knows. Ids only: no pseudonym, no age band.
CASE_RESTATED = f"{_NS}.case.restated.v1"

# Revoking facts (ADR 0012): the consumer never parks these after handler failures; the
# partition waits on them and the service is not ready until they are applied. Each one may
# take access away in a service that consumes it:
CASEWORK_REVOKING: frozenset[str] = frozenset(
    {
        # the person no longer reaches the case for its party (8.4c, Bijlage 3)
        DELEGATE_RELEASED,
        # the complete set: a party left out is no longer involved, an information need may
        # shrink (8.4c)
        ROLES_SET,
        # replaces the earlier case director, who loses the director's reach (13.1)
        DIRECTOR_APPOINTED,
        # the process director who left, or was replaced by the one who took the case over,
        # loses the director's reach (12.3)
        PROCESS_DIRECTOR_CHANGED,
        # from now on disclosure releases the case's items to their provider only (1.2);
        # intake releases the nomination's tokens
        CASE_CLOSED,
        # every service deletes its copies of the case (1.2)
        CASE_PURGED,
        # governance's facts of a case it knew only from events after an upgrade take the
        # restatement's: a delegate, a role or a case director it no longer holds goes (8.4c)
        CASE_RESTATED,
    }
)


# -- the events as typed data: producers emit these, consumers receive them (checked on the way
# in by ``DomainEvent.from_data``). Fields: ids, codes and pseudonyms only.
@dataclass(frozen=True)
class CaseOpened(DomainEvent):
    TYPE: ClassVar[str] = CASE_OPENED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    invitees: tuple[str, ...]
    process_director_party: str
    process_director_person: str = ""


@dataclass(frozen=True)
class MeetingScheduled(DomainEvent):
    TYPE: ClassVar[str] = MEETING_SCHEDULED
    case_id: str
    meeting_id: str
    scheduled_for: str
    invitees: tuple[str, ...]


@dataclass(frozen=True)
class MeetingHeld(DomainEvent):
    TYPE: ClassVar[str] = MEETING_HELD
    case_id: str
    meeting_id: str
    attendees: tuple[str, ...]


class _Membership(DomainEvent):
    """Who has a part in the case and what each party needs to know: applied by consumers in
    the order casework decided it (``changed_at``, a field of each subclass: "" in an event
    of a casework before the field)."""

    changed_at: str  # not a field here: each event declares it after its own, with its default

    def decided_at(self) -> datetime | None:
        """When casework decided it (``zorgtafel.kernel.events.decided_at``); None for an
        event of a casework before the field (and an unreadable time)."""
        return decided_at(self.changed_at)


@dataclass(frozen=True)
class DirectorAppointed(_Membership):
    TYPE: ClassVar[str] = DIRECTOR_APPOINTED
    case_id: str
    party: str
    person: str
    changed_at: str = ""


@dataclass(frozen=True)
class ProcessDirectorChanged(_Membership):
    TYPE: ClassVar[str] = PROCESS_DIRECTOR_CHANGED
    case_id: str
    party: str
    person: str  # "": nobody directs the case until a designated process director takes it over
    changed_at: str = ""


@dataclass(frozen=True)
class DelegateNamed(_Membership):
    TYPE: ClassVar[str] = DELEGATE_NAMED
    case_id: str
    party: str
    person: str
    changed_at: str = ""


@dataclass(frozen=True)
class DelegateReleased(_Membership):
    TYPE: ClassVar[str] = DELEGATE_RELEASED
    case_id: str
    party: str
    person: str
    changed_at: str = ""


@dataclass(frozen=True)
class RolesSet(_Membership):
    TYPE: ClassVar[str] = ROLES_SET
    case_id: str
    roles: dict[str, Any]
    changed_at: str = ""


@dataclass(frozen=True)
class PlanAdopted(DomainEvent):
    TYPE: ClassVar[str] = PLAN_ADOPTED
    case_id: str
    plan_version: int
    actions: int


@dataclass(frozen=True)
class CriteriaSet(DomainEvent):
    TYPE: ClassVar[str] = CRITERIA_SET
    case_id: str
    meeting_id: str
    criteria: tuple[str, ...]


@dataclass(frozen=True)
class ActionUpdated(DomainEvent):
    TYPE: ClassVar[str] = ACTION_UPDATED
    case_id: str
    action_id: str
    party: str
    status: str


@dataclass(frozen=True)
class CaseDeescalated(DomainEvent):
    TYPE: ClassVar[str] = CASE_DEESCALATED
    case_id: str
    meeting_id: str


@dataclass(frozen=True)
class CaseEscalated(DomainEvent):
    TYPE: ClassVar[str] = CASE_ESCALATED
    case_id: str
    zvh: str
    reason_code: str


@dataclass(frozen=True)
class CaseClosed(DomainEvent):
    TYPE: ClassVar[str] = CASE_CLOSED
    case_id: str
    outcome: str


@dataclass(frozen=True)
class CasePurged(DomainEvent):
    TYPE: ClassVar[str] = CASE_PURGED
    case_id: str


@dataclass(frozen=True)
class CaseRestated(_Membership):
    """As of ``changed_at``: a fact of the case decided later than that stands."""

    TYPE: ClassVar[str] = CASE_RESTATED
    case_id: str
    process_director_party: str
    process_director_person: str
    invitees: tuple[str, ...]
    roles: tuple[str, ...]
    case_director_party: str
    case_director_person: str
    delegates: dict[str, Any]
    closed: bool
    changed_at: str = ""
    # Each party's role and information need (8.4c), as ``RolesSet.roles``: {} from a casework
    # before the field (and for a case without roles: ``roles`` is then empty too).
    information_needs: dict[str, Any] = field(default_factory=dict)


PUBLISHED: tuple[type[DomainEvent], ...] = (
    CaseOpened,
    MeetingScheduled,
    MeetingHeld,
    DirectorAppointed,
    ProcessDirectorChanged,
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
)
