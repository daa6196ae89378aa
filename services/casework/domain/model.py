"""The case and its life cycle (DOMAIN.md "Case life cycle"; covenant 1.2, 8.4, 12.2, 13,
Bijlage 2). Pure Python: no framework imports.

State machine::

    open -> meeting_planned -> plan_active -> deescalating -> closed -> purged
    (escalation to a ZVH at any time before closed: a fact on the case, not a state)

Every refused transition raises ``FailedPrecondition`` naming the case's current state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.events import next_decision_time
from zorgtafel.kernel.validate import same_person


class CaseState(str, enum.Enum):
    OPEN = "open"
    MEETING_PLANNED = "meeting_planned"
    PLAN_ACTIVE = "plan_active"
    DEESCALATING = "deescalating"
    CLOSED = "closed"
    PURGED = "purged"


class MeetingStatus(str, enum.Enum):
    SCHEDULED = "scheduled"
    HELD = "held"


class ActionStatus(str, enum.Enum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


FINISHED_ACTION = {ActionStatus.DONE, ActionStatus.CANCELLED}

ZVHS = ("zvh_brabant_zuidoost", "zvh_brabant_noordoost")  # Bijlage 2
ESCALATION_REASONS = ("breakthrough_needed", "care_and_safety_edge")  # Bijlage 2

# The record kinds of a dossier that cleansing (1.2) may remove when a case closes.
RECORD_KINDS = ("minutes", "attendance", "pre_read", "plan", "roles", "criteria", "timeline")

# What may happen in which state.
SCHEDULABLE = {CaseState.OPEN, CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE}
MEETING_STATES = {CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE}
ESCALATABLE = {
    CaseState.OPEN,
    CaseState.MEETING_PLANNED,
    CaseState.PLAN_ACTIVE,
    CaseState.DEESCALATING,
}
ACTION_STATES = {CaseState.PLAN_ACTIVE, CaseState.DEESCALATING}
# A party names or releases its delegates while the case is worked on (not once closed).
DELEGABLE = ESCALATABLE


# -- the parts of a case --------------------------------------------------------------------
@dataclass
class Meeting:
    meeting_id: str
    case_id: str
    status: MeetingStatus
    scheduled_for: datetime
    goal_code: str
    decision_types: tuple[str, ...]
    themes: tuple[str, ...]
    invitees: tuple[str, ...]
    pre_read_item_ids: tuple[str, ...]
    attendees: tuple[str, ...] = ()
    held_at: datetime | None = None


@dataclass
class PlanAction:
    action_id: str
    case_id: str
    plan_version: int
    party: str
    what: str
    due_date: date
    status: ActionStatus = ActionStatus.OPEN
    progress_note: str = ""
    updated_at: datetime | None = None

    def overdue_on(self, today: date) -> bool:
        return self.status not in FINISHED_ACTION and self.due_date < today

    def days_overdue(self, today: date) -> int:
        return max(0, (today - self.due_date).days)


@dataclass(frozen=True)
class AwaitingDirector:
    """A case whose process director's designation ended and that nobody took over yet (12.3):
    its id, the party it is kept for and since when; nothing of the case itself (8.4c)."""

    case_id: str
    party: str
    left_at: datetime


@dataclass(frozen=True)
class Overdue:
    """An unfinished action past its due date, flagged to the case director's and the process
    director's parties (12.2g, 13.2-13.3). Ids, codes and dates only: what the action asks
    stays sealed (a list never decrypts)."""

    case_id: str
    action_id: str
    party: str
    due_date: date
    status: ActionStatus
    days: int
    flagged_to: tuple[str, ...]

    @classmethod
    def of(
        cls,
        case_id: str,
        action_id: str,
        party: str,
        due_date: date,
        status: ActionStatus,
        today: date,
        directors: tuple[str | None, str | None],
    ) -> Overdue:
        """``directors``: the case director's and the process director's parties."""
        return cls(
            case_id,
            action_id,
            party,
            due_date,
            status,
            max(0, (today - due_date).days),
            tuple(dict.fromkeys(p for p in directors if p)),
        )


@dataclass(frozen=True)
class PartyRole:
    party: str
    role: str
    information_need: tuple[str, ...]


@dataclass
class Case:
    case_id: str
    state: CaseState
    process_director_party: str
    nominating_party: str
    subject_pseudonym: str
    age_band: str
    opened_at: datetime
    goal_code: str = ""
    themes: tuple[str, ...] = ()
    decision_types: tuple[str, ...] = ()
    triage_invitees: tuple[str, ...] = ()
    # 12.3: the designated person who directs the case on behalf of a party ("" on cases opened
    # before intake named the person: then nobody directs it, fail closed).
    process_director_person: str = ""
    # 12.3: when the designation of the person who directed it ended (that person was taken off
    # it): until a designated process director takes it over, nobody directs it.
    process_director_left_at: datetime | None = None
    # 16.1, 10.1: the persons each involved party named to represent it in the case.
    delegates: dict[str, tuple[str, ...]] = field(default_factory=dict)
    case_director_party: str | None = None
    case_director_person: str | None = None
    plan_version: int = 0
    criteria: dict[str, bool] = field(default_factory=dict)
    escalated_zvh: str | None = None
    escalation_reason: str | None = None
    escalated_at: datetime | None = None
    deescalated_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    # Bijlage 3, GDPR art. 18: the subject's restriction of the case, granted by the
    # controller (disclosure's fact): its data is only kept while it holds.
    restricted_at: datetime | None = None
    # When casework took the case's last decision on who has a part in it (a delegate named
    # or released, the case director appointed, the roles set): the next one is decided after
    # it, whatever the clock of the replica that takes it says (next_decision_time).
    decided_at: datetime | None = None

    def decide(self, now: datetime) -> datetime:
        """The time of a decision on who has a part in the case, taken now (under the case's
        lock): after the case's previous one, so consumers apply the two in this order."""
        self.decided_at = next_decision_time(now, self.decided_at)
        return self.decided_at

    # -- who directs it (12.3) -------------------------------------------------------------
    @property
    def left_by_its_director(self) -> bool:
        """The designation of the person who directed it ended and that person was taken off
        it, or it opened with no person named (an event of an intake before it named one):
        nobody directs it until a designated process director takes it over."""
        return self.process_director_left_at is not None and not self.process_director_person

    def director_left(self, now: datetime) -> datetime:
        """The designation of its process director ended (governance): that person directs it
        no more (the party it was directed for is kept). The time of the decision."""
        self.process_director_person = ""
        self.process_director_left_at = now
        return self.decide(now)

    def take_over(self, party: str, person: str, now: datetime) -> datetime:
        """A designated process director takes over the case its process director left (the
        act policy allowed it: ``persons.takes_over``): from now on that person directs it, on
        behalf of its own party. The time of the decision."""
        if not self.left_by_its_director:
            raise FailedPrecondition(
                "directed", "cannot take over a case its process director directs", "case"
            )
        self.process_director_party, self.process_director_person = party, person
        self.process_director_left_at = None
        return self.decide(now)

    # -- guards ---------------------------------------------------------------------------
    def require(self, allowed: set[CaseState], doing: str) -> None:
        if self.state not in allowed:
            raise FailedPrecondition(
                self.state.value,
                f"cannot {doing} a case that is {self.state.value}",
                subject="case.state",
            )

    def require_held(self, meeting: Meeting | None, meeting_id: str) -> Meeting:
        """Decisions of 8.4 are taken in a case meeting of this case that was held."""
        if meeting is None or meeting.case_id != self.case_id:
            raise InvalidArgument("meeting_id", "no meeting with this id in this case")
        if meeting.status is not MeetingStatus.HELD:
            raise FailedPrecondition(
                meeting.status.value,
                "a decision needs a meeting that was held (8.4)",
                subject="meeting.status",
            )
        return meeting

    # -- transitions ----------------------------------------------------------------------
    def schedule_meeting(self) -> None:
        self.require(SCHEDULABLE, "schedule a meeting for")
        if self.state is CaseState.OPEN:
            self.state = CaseState.MEETING_PLANNED

    def record_meeting(self, meeting: Meeting, attendees: tuple[str, ...], at: datetime) -> None:
        self.require(MEETING_STATES, "record a meeting of")
        if meeting.status is not MeetingStatus.SCHEDULED:
            raise FailedPrecondition(
                meeting.status.value, "the meeting was already recorded", subject="meeting.status"
            )
        meeting.status = MeetingStatus.HELD
        meeting.attendees = attendees
        meeting.held_at = at

    def appoint_director(self, party: str, person: str) -> None:
        self.require(MEETING_STATES, "appoint a case director for")
        self.case_director_party = party
        self.case_director_person = person

    def name_delegate(self, party: str, person: str) -> bool:
        """Name a delegate of ``party``; False when the person already is one, by its id in
        any case ("SH-1" is sh-1: ``same_person``)."""
        self.require(DELEGABLE, "name a delegate in")
        named = self.delegates.get(party, ())
        if any(same_person(p, person) for p in named):
            return False
        self.delegates[party] = (*named, person)
        return True

    def release_delegate(self, party: str, person: str) -> tuple[str, ...]:
        """Release the delegate of ``party`` this person id names, in any case; the ids as
        they were named (one, or more named before the naming compared without case)."""
        self.require(DELEGABLE, "release a delegate of")
        named = self.delegates.get(party, ())
        released = tuple(p for p in named if same_person(p, person))
        if not released:
            raise NotFound("delegate", "of the caller's party in this case")
        rest = tuple(p for p in named if p not in released)
        if rest:
            self.delegates[party] = rest
        else:
            del self.delegates[party]
        return released

    def set_roles(self) -> None:
        self.require(MEETING_STATES, "set roles in")

    def set_criteria(self, codes: tuple[str, ...]) -> None:
        self.require(MEETING_STATES, "set de-escalation criteria for")
        self.criteria = {c: False for c in codes}

    def adopt_plan(self) -> int:
        # A case director is optional (13.1: "kan ... worden aangewezen"): without one the
        # process director monitors the plan (12.2g-h).
        self.require(MEETING_STATES, "adopt a plan for")
        self.plan_version += 1
        self.state = CaseState.PLAN_ACTIVE
        return self.plan_version

    def update_action(self) -> None:
        self.require(ACTION_STATES, "update an action of")

    def deescalate(self, criteria_met: tuple[str, ...], at: datetime) -> None:
        """The meeting decides against the criteria it set (8.4d)."""
        self.require({CaseState.PLAN_ACTIVE}, "de-escalate")
        if not self.criteria:
            raise FailedPrecondition(
                self.state.value,
                "no de-escalation criteria were set (8.4d)",
                subject="case.criteria",
            )
        unknown = sorted(set(criteria_met) - set(self.criteria))
        if unknown:
            raise InvalidArgument("criteria_met", "not a criterion set for this case")
        missing = sorted(set(self.criteria) - set(criteria_met))
        if missing:
            raise FailedPrecondition(
                self.state.value,
                "de-escalation criteria not met: " + ", ".join(missing),
                subject="case.criteria",
            )
        self.criteria = {c: True for c in self.criteria}
        self.state = CaseState.DEESCALATING
        self.deescalated_at = at

    def close(self, at: datetime) -> str:
        self.require({CaseState.DEESCALATING}, "close")
        self.state = CaseState.CLOSED
        self.closed_at = at
        self.outcome = "escalated" if self.escalated_zvh else "successful"
        return self.outcome

    def escalate(self, zvh: str, reason: str, at: datetime) -> None:
        self.require(ESCALATABLE, "escalate")
        if self.escalated_zvh:
            raise FailedPrecondition(
                "escalated",
                f"the case was already escalated to {self.escalated_zvh}",
                subject="case.escalation",
            )
        if zvh not in ZVHS:
            raise InvalidArgument("zvh", "must be ZVH Brabant Zuidoost or Noordoost")
        if reason not in ESCALATION_REASONS:
            raise InvalidArgument("reason", "unknown escalation reason")
        self.escalated_zvh = zvh
        self.escalation_reason = reason
        self.escalated_at = at

    def purge(self, now: datetime, retention: timedelta) -> None:
        self.require({CaseState.CLOSED}, "purge")
        assert self.closed_at is not None
        if self.restricted_at is not None:
            # GDPR art. 18(2): restricted data may only be stored; erasing it is processing,
            # and a restriction under 18(1)(c) is there because the subject needs it kept for
            # a legal claim. Purged once lifted (art. 17 erasure is ``erase``, not this).
            raise FailedPrecondition(
                "case_restricted",
                "the subject's restriction of the case holds: it is kept until it is lifted",
                subject="case.restriction",
            )
        if now < self.closed_at + retention:
            raise FailedPrecondition(
                self.state.value, "the retention period has not ended", subject="case.retention"
            )
        self.state = CaseState.PURGED

    def erase(self, now: datetime) -> None:
        """The controller's privacy officer granted the erasure of everything about the
        subject (Bijlage 3, GDPR art. 17): the case goes at once, in whatever state, without
        waiting for closure or its retention period. Counted as "erased" in the statistics."""
        self.require(set(CaseState) - {CaseState.PURGED}, "erase")
        if self.closed_at is None:
            self.closed_at = now
        self.outcome = "erased"
        self.state = CaseState.PURGED


def cleansing_plan(keep: set[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which record kinds cleansing removes and which it keeps until the purge (1.2)."""
    kept = tuple(k for k in RECORD_KINDS if k in keep)
    return tuple(k for k in RECORD_KINDS if k not in keep), kept
