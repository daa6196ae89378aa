"""Casework (the case as the caller's part lets them see it) as the console uses it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from google.protobuf.timestamp_pb2 import Timestamp

from services.console.adapters.calls import Caller
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc


def _dt(ts: Timestamp) -> datetime | None:
    return ts.ToDatetime().replace(tzinfo=None) if ts.seconds else None


def _name(enum: type, prefix: str, value: int) -> str:
    return str(enum.Name(value)).removeprefix(prefix).lower()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MeetingView:
    meeting_id: str
    status: str
    scheduled_for: datetime | None
    held_at: datetime | None
    goal_code: str
    themes: tuple[str, ...]
    invitees: tuple[str, ...]
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class ActionView:
    party: str
    what: str
    due_date: str
    status: str
    overdue: bool


@dataclass(frozen=True)
class RoleView:
    party: str
    role: str
    information_need: tuple[str, ...]


@dataclass(frozen=True)
class CaseView:
    """Only what the service returned to this caller; sections it withheld are named."""

    case_id: str
    state: str
    subject_pseudonym: str
    nominating_party: str
    process_director_party: str
    process_director_person: str
    case_director_party: str
    case_director_person: str
    opened_at: datetime | None
    meetings: tuple[MeetingView, ...]
    roles: tuple[RoleView, ...]
    plan_version: int
    actions: tuple[ActionView, ...]
    criteria: tuple[tuple[str, bool], ...]
    delegates: tuple[tuple[str, str], ...]
    withheld_sections: tuple[str, ...]


class Casework:
    def __init__(self, stub: cw_grpc.CaseworkServiceStub) -> None:
        self._stub = stub

    def case(self, call: Caller, case_id: str) -> CaseView:
        c = call(self._stub.GetCase, cw.GetCaseRequest(case_id=case_id)).case
        return CaseView(
            case_id=c.case_id,
            state=_name(cw.CaseState, "CASE_STATE_", c.state),
            subject_pseudonym=c.subject_pseudonym,
            nominating_party=c.nominating_party,
            process_director_party=c.process_director_party,
            process_director_person=c.process_director_person,
            case_director_party=c.case_director_party,
            case_director_person=c.case_director_person,
            opened_at=_dt(c.opened_at),
            meetings=tuple(
                MeetingView(
                    m.meeting_id,
                    _name(cw.MeetingStatus, "MEETING_STATUS_", m.status),
                    _dt(m.scheduled_for),
                    _dt(m.held_at),
                    m.goal_code,
                    tuple(m.themes),
                    tuple(m.invitees),
                    tuple(m.attendees),
                )
                for m in c.meetings
            ),
            roles=tuple(RoleView(r.party, r.role, tuple(r.information_need)) for r in c.roles),
            plan_version=c.plan_version,
            actions=tuple(
                ActionView(
                    a.party,
                    a.what,
                    a.due_date,
                    _name(cw.ActionStatus, "ACTION_STATUS_", a.status),
                    a.overdue,
                )
                for a in c.actions
            ),
            criteria=tuple((k.code, k.met) for k in c.criteria),
            delegates=tuple((d.party, d.person) for d in c.delegates),
            withheld_sections=tuple(c.withheld_sections),
        )


def _ts(when: datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(when)
    return ts


@dataclass(frozen=True)
class NewAction:
    party: str
    what: str
    due_date: str  # YYYY-MM-DD


class CaseMeeting:
    """The case meeting's decisions as the case's process director records them (art. 8.4,
    12.2c-e, 13.1): delegates, the meeting itself, the case director, the plan, the roles."""

    def __init__(self, stub: cw_grpc.CaseworkServiceStub) -> None:
        self._stub = stub

    def name_delegate(self, call: Caller, case_id: str, party: str, person: str) -> None:
        call(
            self._stub.NameDelegate,
            cw.NameDelegateRequest(
                request_id=str(uuid.uuid4()), case_id=case_id, person=person, party=party
            ),
        )

    def schedule(
        self,
        call: Caller,
        case_id: str,
        *,
        when: datetime,
        goal_code: str,
        decision_types: list[str],
        themes: list[str],
        invitees: dict[str, list[str]],
        pre_read_item_ids: list[str],
    ) -> str:
        reply = call(
            self._stub.ScheduleMeeting,
            cw.ScheduleMeetingRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                scheduled_for=_ts(when),
                goal_code=goal_code,
                decision_types=decision_types,
                themes=themes,
                invitees=[cw.Invitee(party=p, lawful_themes=t) for p, t in invitees.items()],
                pre_read_item_ids=pre_read_item_ids,
            ),
        )
        return str(reply.meeting.meeting_id)

    def record(
        self, call: Caller, case_id: str, meeting_id: str, attendees: list[str], minutes: str
    ) -> None:
        call(
            self._stub.RecordMeeting,
            cw.RecordMeetingRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                attendees=attendees,
                minutes=minutes,
            ),
        )

    def appoint_director(
        self, call: Caller, case_id: str, meeting_id: str, party: str, person: str
    ) -> None:
        call(
            self._stub.AppointDirector,
            cw.AppointDirectorRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                party=party,
                person=person,
            ),
        )

    def adopt_plan(
        self, call: Caller, case_id: str, meeting_id: str, actions: list[NewAction]
    ) -> None:
        call(
            self._stub.AdoptPlan,
            cw.AdoptPlanRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                actions=[
                    cw.NewAction(party=a.party, what=a.what, due_date=a.due_date) for a in actions
                ],
            ),
        )

    def set_roles(self, call: Caller, case_id: str, meeting_id: str, roles: list[RoleView]) -> None:
        call(
            self._stub.SetRoles,
            cw.SetRolesRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                roles=[
                    cw.PartyRole(party=r.party, role=r.role, information_need=r.information_need)
                    for r in roles
                ],
            ),
        )

    def set_deescalation_criteria(
        self, call: Caller, case_id: str, meeting_id: str, criteria: list[str]
    ) -> None:
        call(
            self._stub.SetDeescalationCriteria,
            cw.SetDeescalationCriteriaRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                criteria=criteria,
            ),
        )

    def deescalate(self, call: Caller, case_id: str, meeting_id: str, met: list[str]) -> str:
        reply = call(
            self._stub.Deescalate,
            cw.DeescalateRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                meeting_id=meeting_id,
                criteria_met=met,
            ),
        )
        return _name(cw.CaseState, "CASE_STATE_", reply.state)

    def close(self, call: Caller, case_id: str) -> tuple[str, ...]:
        """Completes the de-escalation (art. 1.2): the dossier is cleansed; returns what was
        removed."""
        reply = call(
            self._stub.CloseCase,
            cw.CloseCaseRequest(request_id=str(uuid.uuid4()), case_id=case_id),
        )
        return tuple(reply.cleansed)
