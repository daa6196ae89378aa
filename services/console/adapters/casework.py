"""Casework (the case as the caller's part lets them see it) as the console uses it."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from services.console.adapters.calls import Caller, ServiceError, _error
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
    action_id: str = ""
    progress_note: str = ""
    updated_at: datetime | None = None


def _action(a: cw.PlanAction) -> ActionView:
    return ActionView(
        a.party,
        a.what,
        a.due_date,
        _name(cw.ActionStatus, "ACTION_STATUS_", a.status),
        a.overdue,
        a.action_id,
        a.progress_note,
        _dt(a.updated_at),
    )


@dataclass(frozen=True)
class EscalationView:
    zvh: str
    reason: str
    escalated_at: datetime | None


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
    escalation: EscalationView | None = None

    def action(self, action_id: str) -> ActionView | None:
        return next((a for a in self.actions if a.action_id == action_id), None)


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
            actions=tuple(_action(a) for a in c.actions),
            criteria=tuple((k.code, k.met) for k in c.criteria),
            delegates=tuple((d.party, d.person) for d in c.delegates),
            withheld_sections=tuple(c.withheld_sections),
            escalation=EscalationView(
                _name(cw.Zvh, "ZVH_", c.escalation.zvh),
                _name(cw.EscalationReason, "ESCALATION_REASON_", c.escalation.reason),
                _dt(c.escalation.escalated_at),
            )
            if c.HasField("escalation") and c.escalation.zvh
            else None,
        )

    # -- monitoring (13.2-13.3, 12.2g-h) -------------------------------------------------------
    def update_action(
        self, call: Caller, case_id: str, action_id: str, status: str, note: str
    ) -> ActionView:
        """The action's holder (a delegate of its party) or a director records progress; the
        policy decides who may (casework.act ``update_action``)."""
        reply = call(
            self._stub.UpdateAction,
            cw.UpdateActionRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                action_id=action_id,
                status=ACTION_STATUSES.get(status, cw.ACTION_STATUS_UNSPECIFIED),
                progress_note=note,
            ),
        )
        return _action(reply.action)

    def overdue(
        self,
        call: Caller,
        page_token: str = "",  # nosec B107 - a list position, not a secret
        page_size: int = 50,
    ) -> OverduePage:
        """One page of the overdue actions of every case the caller directs in person."""
        reply = call(
            self._stub.ListOverdueActions,
            cw.ListOverdueActionsRequest(page_size=page_size, page_token=page_token),
        )
        return OverduePage(
            tuple(
                OverdueView(
                    o.case_id,
                    o.action_id,
                    o.party,
                    o.due_date,
                    _name(cw.ActionStatus, "ACTION_STATUS_", o.status),
                    o.days_overdue,
                    tuple(o.flagged_to),
                )
                for o in reply.actions
            ),
            reply.next_page_token,
        )

    def awaiting_director(
        self,
        call: Caller,
        page_token: str = "",  # nosec B107 - a list position, not a secret
        page_size: int = 50,
    ) -> AwaitingPage:
        """One page of the cases whose process director left and nobody took over (12.3), as
        casework lists them to a designated process director: their ids, the party each is
        kept for and since when, nothing of the case."""
        reply = call(
            self._stub.ListCasesAwaitingDirector,
            cw.ListCasesAwaitingDirectorRequest(page_size=page_size, page_token=page_token),
        )
        return AwaitingPage(
            tuple(AwaitingView(a.case_id, a.party, _dt(a.left_at)) for a in reply.cases),
            reply.next_page_token,
        )

    # -- escalation and purge (Bijlage 2, 1.2) ------------------------------------------------
    def escalate(self, call: Caller, case_id: str, zvh: str, reason: str) -> EscalationView:
        reply = call(
            self._stub.Escalate,
            cw.EscalateRequest(
                request_id=str(uuid.uuid4()),
                case_id=case_id,
                zvh=ZVHS.get(zvh, cw.ZVH_UNSPECIFIED),
                reason=ESCALATION_REASONS.get(reason, cw.ESCALATION_REASON_UNSPECIFIED),
            ),
        )
        e = reply.escalation
        return EscalationView(
            _name(cw.Zvh, "ZVH_", e.zvh),
            _name(cw.EscalationReason, "ESCALATION_REASON_", e.reason),
            _dt(e.escalated_at),
        )

    def purge(self, call: Caller, case_id: str) -> str:
        reply = call(
            self._stub.Purge, cw.PurgeRequest(request_id=str(uuid.uuid4()), case_id=case_id)
        )
        return _name(cw.CaseState, "CASE_STATE_", reply.state)

    # -- following the case (WatchCase) --------------------------------------------------------
    def watch(self, call: Caller, case_id: str, after: int, lifetime_s: float) -> Watch:
        """Follows the case's events that the caller's part covers (the service filters and
        logs every message) for ``lifetime_s`` at most; ``Watch.close`` ends the gRPC stream."""

        def open_stream(request: Any, metadata: Any, timeout: float) -> Any:
            # The stream's own deadline (the call's bound): never longer than its lifetime.
            return self._stub.WatchCase(request, metadata=metadata, timeout=lifetime_s + 5)

        stream = call(
            open_stream, cw.WatchCaseRequest(case_id=case_id, after_sequence=after, follow=True)
        )
        return Watch(stream)


# What the forms may send, as the service's enums.
ACTION_STATUSES = {"in_progress": cw.ACTION_STATUS_IN_PROGRESS, "done": cw.ACTION_STATUS_DONE}
ZVHS = {"brabant_zuidoost": cw.ZVH_BRABANT_ZUIDOOST, "brabant_noordoost": cw.ZVH_BRABANT_NOORDOOST}
ESCALATION_REASONS = {
    "breakthrough_needed": cw.ESCALATION_REASON_BREAKTHROUGH_NEEDED,
    "care_and_safety_edge": cw.ESCALATION_REASON_CARE_AND_SAFETY_EDGE,
}


@dataclass(frozen=True)
class OverdueView:
    case_id: str
    action_id: str
    party: str
    due_date: str
    status: str
    days_overdue: int
    flagged_to: tuple[str, ...]


@dataclass(frozen=True)
class OverduePage:
    rows: tuple[OverdueView, ...]
    next_page_token: str


@dataclass(frozen=True)
class AwaitingView:
    case_id: str
    party: str  # the party whose process director directed it
    left_at: datetime | None


@dataclass(frozen=True)
class AwaitingPage:
    rows: tuple[AwaitingView, ...]
    next_page_token: str


@dataclass(frozen=True)
class CaseEvent:
    """One event of the case as the service delivered it: its sequence, kind (a code) and
    time; the details are not passed on."""

    sequence: int
    kind: str
    occurred_at: datetime | None


class Watch:
    """A WatchCase stream read by a thread of its own, so the reader can wait with a timeout
    (and send keep-alives) instead of blocking on the stream. ``next`` returns an event,
    ``None`` when nothing came within ``timeout``; it raises ``StopIteration`` at the end and
    ``ServiceError`` when the service stopped the stream (e.g. the party was excluded)."""

    _END = object()

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._queue: queue.Queue[Any] = queue.Queue()  # bounded by the stream's lifetime
        self._thread = threading.Thread(target=self._read, name="console-watch", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for msg in self._stream:
                self._queue.put(CaseEvent(int(msg.sequence), str(msg.kind), _dt(msg.occurred_at)))
        except grpc.RpcError as err:
            self._queue.put(_error(err))
        finally:
            self._queue.put(self._END)

    def next(self, timeout: float) -> CaseEvent | None:
        try:
            item = self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if item is self._END:
            self._queue.put(self._END)  # stays at the end
            raise StopIteration
        if isinstance(item, ServiceError):
            raise item
        return item  # type: ignore[no-any-return]

    def close(self) -> None:
        """Cancels the gRPC stream (the service's handler stops at once)."""
        self._stream.cancel()

    def events(self, until: float, heartbeat_s: float) -> Iterator[CaseEvent | None]:
        """Events until the monotonic time ``until``; ``None`` after ``heartbeat_s`` without
        one (the caller sends a keep-alive, which tells it when the browser went away)."""
        while (left := until - time.monotonic()) > 0:
            try:
                yield self.next(min(heartbeat_s, left))
            except StopIteration:
                return


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
