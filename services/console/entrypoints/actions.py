"""The plan's actions after the meeting: the action's holder (a delegate of the party that
carries it out) or a director records progress (art. 8.5, 13.2); the overdue actions of the
cases a person directs (12.2g-h, 13.2-13.3); the cases awaiting a process director (12.3);
escalation to a Zorg- en Veiligheidshuis
(Bijlage 2) and the purge after the retention period (1.2) by the case's process director.
Who may is decided by the services' policies; a refusal is shown with its reasons."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from services.console.adapters.calls import ServiceError
from services.console.adapters.casework import ACTION_STATUSES, ESCALATION_REASONS, ZVHS
from services.console.entrypoints.cases import WORKERS, visible_case
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    page_token,
    refuse_unless_role,
    services,
)
from services.console.entrypoints.trails import read_or_first

bp = Blueprint("actions", __name__)

NOTE_MAX = 2000

REASON_TEXT = {
    "breakthrough_needed": _l("A breakthrough is needed: the approach is stuck"),
    "care_and_safety_edge": _l("The case lies on the edge of care and safety"),
}


def _status(err: ServiceError) -> int:
    if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"):
        raise err
    return {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)


# -- action progress ------------------------------------------------------------------------
def _action_page(case_id: str, action_id: str, **extra: object) -> str:
    c = visible_case(case_id)
    action = c.action(action_id)
    if action is None:  # not in the plan, or the plan is withheld from this person
        raise ServiceError("NOT_FOUND")
    return render_template("action.html", c=c, a=action, statuses=tuple(ACTION_STATUSES), **extra)


@bp.get("/cases/<case_id>/actions/<action_id>")
def action(case_id: str, action_id: str) -> ResponseReturnValue:
    case_id, action_id = checked_id(case_id), checked_id(action_id)
    refuse_unless_role("/zorgtafel.casework.v1.CaseworkService/UpdateAction", WORKERS)
    return _action_page(case_id, action_id, error=None)


@bp.post("/cases/<case_id>/actions/<action_id>")
def update_action(case_id: str, action_id: str) -> ResponseReturnValue:
    case_id, action_id = checked_id(case_id), checked_id(action_id)
    status = request.form.get("status", "")
    status = status if status in ACTION_STATUSES else ""
    note = request.form.get("progress_note", "").strip()[:NOTE_MAX]
    try:
        services().casework.update_action(caller(), case_id, action_id, status, note)
    except ServiceError as err:
        if err.code == "NOT_FOUND":
            raise
        answered_at_once(err)
        return _action_page(case_id, action_id, error=err), _status(err)
    return redirect(url_for("cases.case", case_id=case_id) + "#plan-heading")


# -- overdue actions ------------------------------------------------------------------------
@bp.get("/worklist/overdue")
def overdue() -> ResponseReturnValue:
    """The overdue actions of every case the person directs in person (as process or case
    director); a role the role table never lets list them gets its refusal at once, asking
    casework nothing in its name."""
    refuse_unless_role(
        "/zorgtafel.casework.v1.CaseworkService/ListOverdueActions",
        ("case_director", "process_director"),
    )
    token = page_token(request.args.get("page", ""))
    page, error, restarted = None, None, False
    try:
        page, restarted = read_or_first(services().casework.overdue, caller(), token)
    except ServiceError as err:
        if err.signed_out or err.code not in ("PERMISSION_DENIED", "INVALID_ARGUMENT"):
            raise
        error = err
    return render_template("overdue.html", page=page, error=error, restarted=restarted), (
        403 if error else 200
    )


# -- cases awaiting a process director (12.3) ----------------------------------------------
@bp.get("/worklist/awaiting-director")
def awaiting_director() -> ResponseReturnValue:
    """The cases whose process director left and nobody took over, for a designated process
    director to take one over (casework decides by the roster, not by the token's role); a
    role the role table never lets list them gets its refusal at once, asking casework
    nothing in its name."""
    refuse_unless_role(
        "/zorgtafel.casework.v1.CaseworkService/ListCasesAwaitingDirector", ("process_director",)
    )
    token = page_token(request.args.get("page", ""))
    page, error, restarted = None, None, False
    try:
        page, restarted = read_or_first(services().casework.awaiting_director, caller(), token)
    except ServiceError as err:
        if err.signed_out or err.code not in ("PERMISSION_DENIED", "INVALID_ARGUMENT"):
            raise
        error = err
    return render_template("awaiting.html", page=page, error=error, restarted=restarted), (
        403 if error else 200
    )


# -- escalation -----------------------------------------------------------------------------
def _escalate_page(case_id: str, **extra: object) -> str:
    return render_template(
        "escalate.html",
        case_id=case_id,
        zvhs=tuple(ZVHS),
        reasons=REASON_TEXT,
        **extra,
    )


@bp.get("/cases/<case_id>/escalate")
def escalate_form(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role("/zorgtafel.casework.v1.CaseworkService/Escalate", ("process_director",))
    c = visible_case(case_id)  # the form would confirm that the case exists
    return _escalate_page(case_id, c=c, error=None, done=None)


@bp.post("/cases/<case_id>/escalate")
def escalate(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    c = visible_case(case_id)
    zvh = request.form.get("zvh", "")
    reason = request.form.get("reason", "")
    try:
        done = services().casework.escalate(
            caller(),
            case_id,
            zvh if zvh in ZVHS else "",
            reason if reason in ESCALATION_REASONS else "",
        )
    except ServiceError as err:
        return _escalate_page(case_id, c=c, error=err, done=None), _status(err)
    return _escalate_page(case_id, c=c, error=None, done=done)


# -- purge ----------------------------------------------------------------------------------
@bp.get("/cases/<case_id>/purge")
def purge_form(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role("/zorgtafel.casework.v1.CaseworkService/Purge", ("process_director",))
    c = visible_case(case_id)
    return render_template("purge.html", case_id=case_id, c=c, error=None, purged=False)


@bp.post("/cases/<case_id>/purge")
def purge(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    c = visible_case(case_id)
    if request.form.get("confirm") != "yes":
        err = ServiceError("INVALID_ARGUMENT", fields={"confirm": "confirm the purge"})
        return render_template("purge.html", case_id=case_id, c=c, error=err, purged=False), 400
    try:
        services().casework.purge(caller(), case_id)
    except ServiceError as err:
        return render_template(
            "purge.html", case_id=case_id, c=c, error=err, purged=False
        ), _status(err)
    return render_template("purge.html", case_id=case_id, c=None, error=None, purged=True)
