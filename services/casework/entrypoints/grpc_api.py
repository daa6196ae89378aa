"""gRPC servicer: proto -> command -> handler -> proto, nothing else. Every mutating RPC runs
through ``execute_once`` (idempotent by request_id); reads open their own unit of work."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime, timezone

from google.protobuf import json_format, struct_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from services.casework.adapters.uow import Runtime
from services.casework.domain import commands as c
from services.casework.domain.model import Case, Meeting, PlanAction, check_id
from services.casework.service_layer import handlers
from zorgtafel.casework.v1 import casework_pb2 as pb
from zorgtafel.casework.v1 import casework_pb2_grpc as pb_grpc
from zorgtafel.kernel.callcontext import current
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.errors import InvalidArgument

SERVICE = "/zorgtafel.casework.v1.CaseworkService/"
ALL_SECTIONS = ("status", "subject", "meetings", "roles", "plan", "escalation")
WATCH_POLL_S = 0.25
DEFAULT_PURPOSE = "care_coordination"


# -- conversions ---------------------------------------------------------------------------
def _ts(value: datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value.astimezone(timezone.utc))
    return ts


def _from_ts(request, field: str) -> datetime | None:
    if not request.HasField(field):
        return None
    try:
        return getattr(request, field).ToDatetime(tzinfo=timezone.utc)
    except (ValueError, OverflowError) as exc:
        raise InvalidArgument(field, "not a valid timestamp") from exc


def _enum_name(enum, value: int, prefix: str, field: str) -> str | None:
    if value == 0:
        return None
    try:
        return enum.Name(value).removeprefix(prefix).lower()
    except ValueError as exc:
        raise InvalidArgument(field, "unknown enum value") from exc


def _enum_value(enum, prefix: str, name: str | None) -> int:
    return enum.Value(prefix + name.upper()) if name else 0


def meeting_pb(m: Meeting) -> pb.Meeting:
    return pb.Meeting(meeting_id=m.meeting_id,
                      status=_enum_value(pb.MeetingStatus, "MEETING_STATUS_", m.status.value),
                      scheduled_for=_ts(m.scheduled_for), goal_code=m.goal_code,
                      decision_types=m.decision_types, themes=m.themes, invitees=m.invitees,
                      pre_read_item_ids=m.pre_read_item_ids, attendees=m.attendees,
                      held_at=_ts(m.held_at))


def action_pb(a: PlanAction, *, with_text: bool, overdue: bool = False) -> pb.PlanAction:
    """``with_text=False`` for responses of commands: a stored command response never holds
    the action's text or notes (they are encrypted at rest; the response table is not)."""
    return pb.PlanAction(action_id=a.action_id, party=a.party,
                         what=a.what if with_text else "", due_date=a.due_date.isoformat(),
                         status=_enum_value(pb.ActionStatus, "ACTION_STATUS_", a.status.value),
                         progress_note=a.progress_note if with_text else "",
                         updated_at=_ts(a.updated_at), overdue=overdue)


def _escalation_pb(case: Case) -> pb.Escalation | None:
    if not case.escalated_zvh:
        return None
    return pb.Escalation(zvh=_enum_value(pb.Zvh, "ZVH_", case.escalated_zvh.removeprefix("zvh_")),
                         reason=_enum_value(pb.EscalationReason, "ESCALATION_REASON_",
                                            case.escalation_reason),
                         escalated_at=_ts(case.escalated_at))


def case_pb(v: handlers.CaseView) -> pb.Case:
    case, s = v.case, v.sections
    out = pb.Case(case_id=case.case_id,
                  state=_enum_value(pb.CaseState, "CASE_STATE_", case.state.value),
                  process_director_party=case.process_director_party,
                  opened_at=_ts(case.opened_at), closed_at=_ts(case.closed_at),
                  outcome=case.outcome or "",
                  withheld_sections=[x for x in ALL_SECTIONS if x not in s])
    out.case_director_party = case.case_director_party or ""
    out.case_director_person = case.case_director_person or ""
    out.criteria.extend(pb.DeescalationCriterion(code=k, met=m)
                        for k, m in sorted(case.criteria.items()))
    if "subject" in s:
        out.subject_pseudonym = case.subject_pseudonym
        out.nominating_party = case.nominating_party
        out.age_band = case.age_band
    if "escalation" in s and case.escalated_zvh:
        out.escalation.CopyFrom(_escalation_pb(case))
    out.meetings.extend(meeting_pb(m) for m in v.meetings)
    out.roles.extend(pb.PartyRole(party=r.party, role=r.role,
                                  information_need=r.information_need) for r in v.roles)
    if "plan" in s or "plan_own" in v.partial:
        out.plan_version = case.plan_version
    today = datetime.now(timezone.utc).date()
    out.actions.extend(action_pb(a, with_text=True, overdue=a.overdue_on(today))
                       for a in v.actions)
    return out


def _caller() -> c.Caller:
    ctx = current()
    p = ctx.principal
    return c.Caller(party=p.party, person=p.person, role=p.role, party_status=ctx.party_status,
                    authenticated_by=p.authenticated_by)


# -- the servicer --------------------------------------------------------------------------
class CaseworkServicer(pb_grpc.CaseworkServiceServicer):
    def __init__(self, uow_factory, runtime: Runtime) -> None:
        self._uow = uow_factory
        self._rt = runtime

    def _once(self, name: str, request, response_type, effect):
        caller = _caller()
        case_id = getattr(request, "case_id", "") or None
        return execute_once(self._uow, party=caller.party, method=SERVICE + name,
                            request=request, response_type=response_type,
                            effect=lambda uow: effect(uow, caller),
                            case_id_of=lambda _r: case_id)

    # -- reads ----------------------------------------------------------------------------
    def GetCase(self, request, context):
        caller = _caller()
        with self._uow() as uow:
            v = handlers.get_case(uow, self._rt, caller, request.case_id)
            return pb.GetCaseResponse(case=case_pb(v))

    def GetPreReadSet(self, request, context):
        caller = _caller()
        if len(request.purpose) > 64:
            raise InvalidArgument("purpose", "at most 64 characters")
        purpose = request.purpose or DEFAULT_PURPOSE
        with self._uow() as uow:
            wanted = handlers.pre_read_set(uow, self._rt, caller, request.case_id,
                                           request.meeting_id)
        metadata = {k.lower(): v for k, v in (context.invocation_metadata() or ())
                    if isinstance(v, str)}
        outcome = self._rt.disclosure.pre_read(wanted.case_id, list(wanted.item_ids), purpose,
                                               metadata)
        return pb.GetPreReadSetResponse(
            items=[pb.PreReadItem(item_id=r.item_id, category=r.category, provider=r.provider,
                                  content_type=r.content_type, content=r.content,
                                  redacted_fields=r.redacted_fields, decision_id=r.decision_id)
                   for r in outcome.released],
            withheld=[pb.WithheldItem(item_id=w.item_id, decision_id=w.decision_id,
                                      reasons=w.reasons) for w in outcome.withheld])

    def GetMinutes(self, request, context):
        caller = _caller()
        with self._uow() as uow:
            minutes = handlers.read_minutes(uow, self._rt, caller, request.case_id,
                                            request.meeting_id)
        return pb.GetMinutesResponse(meeting_id=request.meeting_id, minutes=minutes)

    def ListOverdueActions(self, request, context):
        caller = _caller()
        with self._uow() as uow:
            found = handlers.overdue_actions(uow, self._rt, caller, request.case_id)
        return pb.ListOverdueActionsResponse(actions=[
            pb.OverdueAction(case_id=o.case_id, action_id=o.action.action_id,
                             party=o.action.party, due_date=o.action.due_date.isoformat(),
                             status=_enum_value(pb.ActionStatus, "ACTION_STATUS_",
                                                o.action.status.value),
                             days_overdue=o.days, flagged_to=o.flagged_to) for o in found])

    def WatchCase(self, request, context):
        """Polls the case's own timeline; re-checks the party's status and the need-to-know
        decision for every batch, so an excluded party is cut off at once (23.2)."""
        caller = _caller()
        check_id(request.case_id, "case_id")
        after = max(0, int(request.after_sequence))
        stop = threading.Event()
        context.add_callback(stop.set)
        while True:
            status = self._rt.party_status(caller.party)
            now_caller = replace(caller, party_status=status)
            with self._uow() as uow:
                rows, last, _state = handlers.timeline_for(uow, self._rt, now_caller,
                                                           request.case_id, after)
            for row in rows:
                yield pb.WatchCaseResponse(
                    sequence=row.seq, case_id=row.case_id, kind=row.kind,
                    occurred_at=_ts(row.occurred_at),
                    details=json_format.ParseDict(dict(row.details), struct_pb2.Struct()))
            caught_up = last == after
            after = last
            if caught_up and not request.follow:
                return
            if caught_up and stop.wait(WATCH_POLL_S):
                return

    # -- commands -------------------------------------------------------------------------
    def ScheduleMeeting(self, request, context):
        cmd = c.ScheduleMeeting(
            case_id=request.case_id, scheduled_for=_from_ts(request, "scheduled_for"),
            goal_code=request.goal_code, decision_types=tuple(request.decision_types),
            themes=tuple(request.themes),
            invitees=tuple(c.InviteeIn(i.party, tuple(i.lawful_themes))
                           for i in request.invitees),
            pre_read_item_ids=tuple(request.pre_read_item_ids))
        return self._once("ScheduleMeeting", request, pb.ScheduleMeetingResponse,
                          lambda uow, who: pb.ScheduleMeetingResponse(meeting=meeting_pb(
                              handlers.schedule_meeting(uow, self._rt, who, cmd))))

    def RecordMeeting(self, request, context):
        cmd = c.RecordMeeting(request.case_id, request.meeting_id, tuple(request.attendees),
                              request.minutes)
        return self._once("RecordMeeting", request, pb.RecordMeetingResponse,
                          lambda uow, who: pb.RecordMeetingResponse(meeting=meeting_pb(
                              handlers.record_meeting(uow, self._rt, who, cmd))))

    def AppointDirector(self, request, context):
        cmd = c.AppointDirector(request.case_id, request.meeting_id, request.party,
                                request.person)

        def effect(uow, who):
            case = handlers.appoint_director(uow, self._rt, who, cmd)
            return pb.AppointDirectorResponse(case_id=case.case_id,
                                              party=case.case_director_party,
                                              person=case.case_director_person)
        return self._once("AppointDirector", request, pb.AppointDirectorResponse, effect)

    def AdoptPlan(self, request, context):
        cmd = c.AdoptPlan(request.case_id, request.meeting_id, tuple(
            c.NewActionIn(a.party, a.what, a.due_date) for a in request.actions))

        def effect(uow, who):
            version, actions = handlers.adopt_plan(uow, self._rt, who, cmd)
            return pb.AdoptPlanResponse(plan_version=version, actions=[
                action_pb(a, with_text=False) for a in actions])
        return self._once("AdoptPlan", request, pb.AdoptPlanResponse, effect)

    def SetRoles(self, request, context):
        cmd = c.SetRoles(request.case_id, request.meeting_id, tuple(
            c.RoleIn(r.party, r.role, tuple(r.information_need)) for r in request.roles))

        def effect(uow, who):
            roles = handlers.set_roles(uow, self._rt, who, cmd)
            return pb.SetRolesResponse(roles=[pb.PartyRole(
                party=r.party, role=r.role, information_need=r.information_need) for r in roles])
        return self._once("SetRoles", request, pb.SetRolesResponse, effect)

    def SetDeescalationCriteria(self, request, context):
        cmd = c.SetCriteria(request.case_id, request.meeting_id, tuple(request.criteria))

        def effect(uow, who):
            case = handlers.set_criteria(uow, self._rt, who, cmd)
            return pb.SetDeescalationCriteriaResponse(criteria=[
                pb.DeescalationCriterion(code=k, met=m) for k, m in sorted(case.criteria.items())])
        return self._once("SetDeescalationCriteria", request,
                          pb.SetDeescalationCriteriaResponse, effect)

    def UpdateAction(self, request, context):
        status = _enum_name(pb.ActionStatus, request.status, "ACTION_STATUS_", "status")
        cmd = c.UpdateAction(request.case_id, request.action_id, status, request.progress_note)
        return self._once("UpdateAction", request, pb.UpdateActionResponse,
                          lambda uow, who: pb.UpdateActionResponse(action=action_pb(
                              handlers.update_action(uow, self._rt, who, cmd), with_text=False)))

    def Deescalate(self, request, context):
        cmd = c.Deescalate(request.case_id, request.meeting_id, tuple(request.criteria_met))

        def effect(uow, who):
            case = handlers.deescalate(uow, self._rt, who, cmd)
            return pb.DeescalateResponse(state=_enum_value(pb.CaseState, "CASE_STATE_",
                                                           case.state.value))
        return self._once("Deescalate", request, pb.DeescalateResponse, effect)

    def CloseCase(self, request, context):
        def effect(uow, who):
            case, cleansed, kept = handlers.close_case(uow, self._rt, who, request.case_id)
            return pb.CloseCaseResponse(
                state=_enum_value(pb.CaseState, "CASE_STATE_", case.state.value),
                outcome=case.outcome or "", cleansed=cleansed, kept=kept)
        return self._once("CloseCase", request, pb.CloseCaseResponse, effect)

    def Escalate(self, request, context):
        zvh = _enum_name(pb.Zvh, request.zvh, "ZVH_", "zvh")
        reason = _enum_name(pb.EscalationReason, request.reason, "ESCALATION_REASON_", "reason")
        if zvh is None:
            raise InvalidArgument("zvh", "required: ZVH Brabant Zuidoost or Noordoost")
        if reason is None:
            raise InvalidArgument("reason", "required")
        cmd = c.Escalate(request.case_id, "zvh_" + zvh, reason)

        def effect(uow, who):
            case = handlers.escalate(uow, self._rt, who, cmd)
            return pb.EscalateResponse(escalation=_escalation_pb(case))
        return self._once("Escalate", request, pb.EscalateResponse, effect)

    def Purge(self, request, context):
        def effect(uow, who):
            handlers.purge(uow, self._rt, who, request.case_id)
            return pb.PurgeResponse(state=pb.CASE_STATE_PURGED)
        return self._once("Purge", request, pb.PurgeResponse, effect)
