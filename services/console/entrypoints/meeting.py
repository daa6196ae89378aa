"""The case meeting's decisions as the case's process director records them: who represents
each party in the case, the meeting with its lawful invitees, its record, the case director,
the plan of approach and each party's role and information need (art. 8.4, 12.2c-f, 13.1)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import to_user_timezone, to_utc
from werkzeug.datastructures import ImmutableMultiDict

from services.console.adapters.calls import ServiceError
from services.console.adapters.casework import NewAction, RoleView
from services.console.adapters.disclosure import CATEGORIES
from services.console.entrypoints.cases import WORKERS
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    refuse_unless_role,
    services,
)

bp = Blueprint("meeting", __name__)

THEMES = ("safety", "housing", "care", "income_and_debt", "mental_health")
DECISIONS = ("case_director", "plan", "roles")
PLAN_ROWS = 3


def _local_in(days: int) -> str:
    when = to_user_timezone(datetime.now(timezone.utc) + timedelta(days=days))
    return str(when.strftime("%Y-%m-%dT%H:%M"))


def _page(
    case_id: str, error: ServiceError | None = None, status: int = 200
) -> ResponseReturnValue:
    c = services().casework.case(caller(), case_id)
    return render_template(
        "meeting.html",
        c=c,
        parties=services().governance.party_names(caller()),
        themes=THEMES,
        decisions=DECISIONS,
        categories=CATEGORIES,
        plan_rows=range(1, PLAN_ROWS + 1),
        default_when=_local_in(1),
        default_due=(datetime.now(timezone.utc) + timedelta(days=30)).date().isoformat(),
        error=error,
    ), status


def _done(case_id: str) -> ResponseReturnValue:
    return redirect(url_for("meeting.meeting", case_id=case_id))


def _refused(case_id: str, err: ServiceError) -> ResponseReturnValue:
    if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"):
        raise err
    answered_at_once(err)
    status = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)
    return _page(case_id, err, status)


def _when(value: str) -> datetime:
    """The meeting's time from the form's local time, in UTC (a time that is none: now, which
    the service refuses as past)."""
    try:
        when = to_utc(datetime.fromisoformat(value).replace(tzinfo=None))
    except ValueError:
        when = datetime.now(timezone.utc).replace(tzinfo=None)
    return when.replace(tzinfo=timezone.utc)


@bp.get("/cases/<case_id>/meeting")
def meeting(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    # The page's forms: naming a delegate (any worker), the rest the process director's; the
    # role table refuses every one of them to the other roles whatever the case.
    refuse_unless_role("/zorgtafel.casework.v1.CaseworkService/NameDelegate", WORKERS)
    return _page(case_id)


@bp.post("/cases/<case_id>/delegates")
def delegate(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    try:
        services().meeting.name_delegate(
            caller(), case_id, f.get("party", ""), f.get("person", "").strip()
        )
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


def _meeting_basics(f: ImmutableMultiDict[str, str]) -> dict[str, Any]:
    """When, goal and what the meeting decides and treats, as every schedule form asks them
    (``meeting_basics`` in the templates); unknown decisions and themes are dropped."""
    return {
        "when": _when(f.get("when", "")),
        "goal_code": f.get("goal_code", "").strip(),
        "decision_types": [d for d in f.getlist("decision_types") if d in DECISIONS],
        "themes": [t for t in f.getlist("themes") if t in THEMES],
    }


@bp.post("/cases/<case_id>/meetings")
def schedule(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    try:
        services().meeting.schedule(
            caller(),
            case_id,
            **_meeting_basics(f),
            invitees={
                p: [t for t in f.getlist(f"lawful_{p}") if t in THEMES]
                for p in f.getlist("invitees")
            },
            pre_read_item_ids=f.get("pre_read", "").replace(",", " ").split(),
        )
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/record")
def record(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    f = request.form
    try:
        services().meeting.record(
            caller(), case_id, meeting_id, f.getlist("attendees"), f.get("minutes", "").strip()
        )
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/director")
def director(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    f = request.form
    try:
        services().meeting.appoint_director(
            caller(), case_id, meeting_id, f.get("party", ""), f.get("person", "").strip()
        )
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/plan")
def plan(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    f = request.form
    actions = [
        NewAction(f.get(f"party_{i}", ""), f.get(f"what_{i}", "").strip(), f.get(f"due_{i}", ""))
        for i in range(1, PLAN_ROWS + 1)
        if f.get(f"what_{i}", "").strip()
    ]
    try:
        services().meeting.adopt_plan(caller(), case_id, meeting_id, actions)
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/roles")
def roles(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    f = request.form
    chosen = [
        RoleView(
            p,
            f.get(f"role_{p}", "").strip(),
            tuple(n for n in f.getlist(f"need_{p}") if n in CATEGORIES),
        )
        for p in f.getlist("parties")
        if f.get(f"role_{p}", "").strip()
    ]
    try:
        services().meeting.set_roles(caller(), case_id, meeting_id, chosen)
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/criteria")
def criteria(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    codes = request.form.get("criteria", "").replace(",", " ").split()
    try:
        services().meeting.set_deescalation_criteria(caller(), case_id, meeting_id, codes)
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/meetings/<meeting_id>/deescalate")
def deescalate(case_id: str, meeting_id: str) -> ResponseReturnValue:
    case_id, meeting_id = checked_id(case_id), checked_id(meeting_id)
    try:
        services().meeting.deescalate(caller(), case_id, meeting_id, request.form.getlist("met"))
    except ServiceError as err:
        return _refused(case_id, err)
    return _done(case_id)


@bp.post("/cases/<case_id>/close")
def close(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    try:
        services().meeting.close(caller(), case_id)
    except ServiceError as err:
        return _refused(case_id, err)
    return redirect(url_for("cases.case", case_id=case_id))


# -- taking over a case its process director left (12.3) ------------------------------------
def _take_over_page(
    case_id: str, error: ServiceError | None = None, status: int = 200
) -> ResponseReturnValue:
    """The form that takes the case over by scheduling its meeting. It reads nothing of the
    case: nobody directs it yet, so the person may not see it until the take-over."""
    return render_template(
        "take_over.html",
        case_id=case_id,
        parties=services().governance.party_names(caller()),
        themes=THEMES,
        decisions=DECISIONS,
        default_when=_local_in(1),
        error=error,
    ), status


@bp.get("/cases/<case_id>/take-over")
def take_over_form(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role(
        "/zorgtafel.casework.v1.CaseworkService/ScheduleMeeting", ("process_director",)
    )
    return _take_over_page(case_id)


@bp.post("/cases/<case_id>/take-over")
def take_over(case_id: str) -> ResponseReturnValue:
    """Directing the case takes it over (casework records it with the meeting, under the act
    policy's persons.takes_over); then its meeting page, which the person may now open."""
    case_id = checked_id(case_id)
    f = request.form
    invitee = f.get("invitee", "").strip()
    try:
        services().meeting.schedule(
            caller(),
            case_id,
            **_meeting_basics(f),
            invitees=(
                {invitee: [t for t in f.getlist("lawful_themes") if t in THEMES]} if invitee else {}
            ),
            pre_read_item_ids=[],
        )
    except ServiceError as err:
        if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"):
            raise
        answered_at_once(err)
        status = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)
        return _take_over_page(case_id, err, status)
    return _done(case_id)
