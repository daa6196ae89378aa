"""Proto <-> casework: requests as commands and queries, domain objects and views as messages.
Field mistakes a conversion can see (out-of-range timestamps, unknown enum values) are
INVALID_ARGUMENT naming the field; everything else is checked by the handlers."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from services.casework.adapters.disclosure_client import PreReadOutcome
from services.casework.domain import commands as c
from services.casework.domain.model import (
    ActionStatus,
    AwaitingDirector,
    Case,
    Meeting,
    Overdue,
    PartyRole,
    PlanAction,
)
from services.casework.service_layer.handlers.reading import CaseView, TimelineEntry
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel.convert import (
    enum_in,
    enum_name,
    enum_out,
    optional_timestamp,
    struct_out,
    to_timestamp,
)
from zorgtafel.kernel.errors import InvalidArgument

ALL_SECTIONS = ("status", "subject", "meetings", "roles", "plan", "escalation")


# -- requests -> commands ---------------------------------------------------------------------
def schedule_meeting(request: pb.ScheduleMeetingRequest) -> c.ScheduleMeeting:
    return c.ScheduleMeeting(
        case_id=request.case_id,
        scheduled_for=optional_timestamp(request, "scheduled_for"),
        goal_code=request.goal_code,
        decision_types=tuple(request.decision_types),
        themes=tuple(request.themes),
        invitees=tuple(c.InviteeIn(i.party, tuple(i.lawful_themes)) for i in request.invitees),
        pre_read_item_ids=tuple(request.pre_read_item_ids),
    )


def adopt_plan(request: pb.AdoptPlanRequest) -> c.AdoptPlan:
    return c.AdoptPlan(
        request.case_id,
        request.meeting_id,
        tuple(c.NewActionIn(a.party, a.what, a.due_date) for a in request.actions),
    )


def set_roles(request: pb.SetRolesRequest) -> c.SetRoles:
    return c.SetRoles(
        request.case_id,
        request.meeting_id,
        tuple(c.RoleIn(r.party, r.role, tuple(r.information_need)) for r in request.roles),
    )


def update_action(request: pb.UpdateActionRequest) -> c.UpdateAction:
    status = enum_in(pb.ActionStatus, ActionStatus, request.status, "ACTION_STATUS_", "status")
    return c.UpdateAction(request.case_id, request.action_id, status, request.progress_note)


def escalate(request: pb.EscalateRequest) -> c.Escalate:
    zvh = enum_name(pb.Zvh, request.zvh, "ZVH_", "zvh")
    reason = enum_name(pb.EscalationReason, request.reason, "ESCALATION_REASON_", "reason")
    if not zvh:
        raise InvalidArgument("zvh", "required: ZVH Brabant Zuidoost or Noordoost")
    if not reason:
        raise InvalidArgument("reason", "required")
    return c.Escalate(request.case_id, "zvh_" + zvh, reason)


# -- domain -> messages -----------------------------------------------------------------------
def meeting_pb(m: Meeting) -> pb.Meeting:
    return pb.Meeting(
        meeting_id=m.meeting_id,
        status=enum_out(pb.MeetingStatus, "MEETING_STATUS_", m.status),
        scheduled_for=to_timestamp(m.scheduled_for),
        goal_code=m.goal_code,
        decision_types=m.decision_types,
        themes=m.themes,
        invitees=m.invitees,
        pre_read_item_ids=m.pre_read_item_ids,
        attendees=m.attendees,
        held_at=to_timestamp(m.held_at),
    )


def action_pb(a: PlanAction, *, with_text: bool, overdue: bool = False) -> pb.PlanAction:
    """``with_text=False`` for responses of commands: a stored command response never holds
    the action's text or notes (they are encrypted at rest; the response table is not)."""
    return pb.PlanAction(
        action_id=a.action_id,
        party=a.party,
        what=a.what if with_text else "",
        due_date=a.due_date.isoformat(),
        status=enum_out(pb.ActionStatus, "ACTION_STATUS_", a.status),
        progress_note=a.progress_note if with_text else "",
        updated_at=to_timestamp(a.updated_at),
        overdue=overdue,
    )


def role_pb(r: PartyRole) -> pb.PartyRole:
    return pb.PartyRole(party=r.party, role=r.role, information_need=r.information_need)


def criteria_pb(case: Case) -> list[pb.DeescalationCriterion]:
    return [pb.DeescalationCriterion(code=k, met=m) for k, m in sorted(case.criteria.items())]


def state_pb(case: Case) -> int:
    return enum_out(pb.CaseState, "CASE_STATE_", case.state)


def escalation_pb(case: Case) -> pb.Escalation | None:
    if not case.escalated_zvh:
        return None
    return pb.Escalation(
        zvh=enum_out(pb.Zvh, "ZVH_", case.escalated_zvh.removeprefix("zvh_")),
        reason=enum_out(pb.EscalationReason, "ESCALATION_REASON_", case.escalation_reason),
        escalated_at=to_timestamp(case.escalated_at),
    )


def case_pb(v: CaseView) -> pb.Case:
    case, s = v.case, v.sections
    out = pb.Case(
        case_id=case.case_id,
        state=state_pb(case),
        process_director_party=case.process_director_party,
        opened_at=to_timestamp(case.opened_at),
        closed_at=to_timestamp(case.closed_at),
        outcome=case.outcome or "",
        withheld_sections=[x for x in ALL_SECTIONS if x not in s],
    )
    out.process_director_person = case.process_director_person
    out.delegates.extend(pb.Delegate(party=p, person=x) for p, x in v.delegates)
    out.case_director_party = case.case_director_party or ""
    out.case_director_person = case.case_director_person or ""
    out.criteria.extend(criteria_pb(case))
    if "subject" in s:
        out.subject_pseudonym = case.subject_pseudonym
        out.nominating_party = case.nominating_party
        out.age_band = case.age_band
    if "escalation" in s and case.escalated_zvh:
        out.escalation.CopyFrom(escalation_pb(case))
    out.meetings.extend(meeting_pb(m) for m in v.meetings)
    out.roles.extend(role_pb(r) for r in v.roles)
    if "plan" in s or "plan_own" in v.partial:
        out.plan_version = case.plan_version
    today = datetime.now(timezone.utc).date()
    out.actions.extend(action_pb(a, with_text=True, overdue=a.overdue_on(today)) for a in v.actions)
    return out


def delegate_pb(response_type: Any, case: Case, party: str, person: str) -> Any:
    """NameDelegate/ReleaseDelegate's answer: the case, the represented party, the person."""
    return response_type(case_id=case.case_id, party=party, person=person)


def overdue_after(after: tuple[str, ...] | None) -> tuple[str, date, str] | None:
    """The sort key a ListOverdueActions page token continues after (case_id, due_date,
    action_id); a token that does not hold one is INVALID_ARGUMENT."""
    if after is None:
        return None
    try:
        case_id, due, action_id = after
        return case_id, date.fromisoformat(due), action_id
    except ValueError:
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None


def overdue_key(o: Overdue) -> tuple[str, str, str]:
    """What the next page's token continues after (ids and a date: no content)."""
    return o.case_id, o.due_date.isoformat(), o.action_id


def overdue_pb(o: Overdue) -> pb.OverdueAction:
    return pb.OverdueAction(
        case_id=o.case_id,
        action_id=o.action_id,
        party=o.party,
        due_date=o.due_date.isoformat(),
        status=enum_out(pb.ActionStatus, "ACTION_STATUS_", o.status),
        days_overdue=o.days,
        flagged_to=o.flagged_to,
    )


def awaiting_after(after: tuple[str, ...] | None) -> str | None:
    """The case id a ListCasesAwaitingDirector page token continues after; a token that does
    not hold one is INVALID_ARGUMENT."""
    if after is None:
        return None
    if len(after) != 1:
        raise InvalidArgument("page_token", "not a token of this query: start again without one")
    return after[0]


def awaiting_key(a: AwaitingDirector) -> tuple[str]:
    """What the next page's token continues after (an id: no content)."""
    return (a.case_id,)


def awaiting_pb(a: AwaitingDirector) -> pb.CaseAwaitingDirector:
    return pb.CaseAwaitingDirector(
        case_id=a.case_id, party=a.party, left_at=to_timestamp(a.left_at)
    )


def pre_read_pb(outcome: PreReadOutcome) -> pb.GetPreReadSetResponse:
    return pb.GetPreReadSetResponse(
        items=[
            pb.PreReadItem(
                item_id=r.item_id,
                category=r.category,
                provider=r.provider,
                content_type=r.content_type,
                content=r.content,
                redacted_fields=r.redacted_fields,
                decision_id=r.decision_id,
            )
            for r in outcome.released
        ],
        withheld=[
            pb.WithheldItem(item_id=w.item_id, decision_id=w.decision_id, reasons=w.reasons)
            for w in outcome.withheld
        ],
    )


def timeline_pb(row: TimelineEntry) -> pb.WatchCaseResponse:
    return pb.WatchCaseResponse(
        sequence=row.seq,
        case_id=row.case_id,
        kind=row.kind,
        occurred_at=to_timestamp(row.occurred_at),
        details=struct_out(dict(row.details)),
    )
