"""The safety override (break-glass, Bijlage 3): a worker with a part in the case sees an item
without consent because safety is at stake, after consulting a colleague, and says whether the
client was informed. Then the provider's notices of overrides on its items, and the overriding
party's tasks to inform the client. The policy decides; a refusal shows its reasons."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.disclosure import PURPOSES
from services.console.adapters.privacy import INFORMED, Notice
from services.console.entrypoints.cases import visible_case
from services.console.entrypoints.common import caller, checked_id, person, services

bp = Blueprint("safety", __name__)

_FORM_ERRORS = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403, "FAILED_PRECONDITION": 409}


def _page(case_id: str, **extra: object) -> str:
    return render_template(
        "break_glass.html",
        case_id=case_id,
        purposes=PURPOSES,
        statuses=INFORMED,
        today=date.today().isoformat(),
        **{"answer": None, "error": None, **extra},
    )


@bp.get("/cases/<case_id>/break-glass")
def form(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    visible_case(case_id)
    return _page(case_id)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None  # the service names the missing date


@bp.post("/cases/<case_id>/break-glass")
def override(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    visible_case(case_id)
    f = request.form
    status = f.get("informed_status", "") if f.get("informed_status") in INFORMED else ""
    try:
        answer = services().disclosure.privacy.break_glass(
            caller(),
            case_id=case_id,
            item_id=checked_id(f.get("item_id", "")),
            purpose=f.get("purpose", "") if f.get("purpose") in PURPOSES else "",
            justification=f.get("justification", "").strip(),
            consulted_colleague=f.get("consulted_colleague", "").strip(),
            informed_status=status,
            informed=f.get("informed", "").strip(),
            informed_by=_date(f.get("informed_by", "")) if status == "not_yet" else None,
        )
    except ServiceError as err:
        if err.code not in _FORM_ERRORS:
            raise
        return _page(case_id, error=err), _FORM_ERRORS[err.code]
    return _page(case_id, answer=answer), 200 if answer.items else 403


def _overrides_page(notices: list[Notice], tasks: list[Notice], **extra: object) -> str:
    # The privacy officer reads the lists of all of its party's cases (Bijlage 3); recording
    # that the client was informed is its workers' (no form for the officer).
    officer = person().role == "privacy_officer"
    return render_template("overrides.html", notices=notices, tasks=tasks, officer=officer, **extra)


@bp.get("/overrides")
def overrides() -> ResponseReturnValue:
    """The provider's notices (art. 16.2) and the overriding party's informing tasks, as
    disclosure lists them for the person: a worker's of the cases it has a part in, the
    privacy officer's of all of its party's."""
    office = services().disclosure.privacy
    call = caller()
    return _overrides_page(
        office.override_notices(call), office.informing_tasks(call), error=None, done=False
    )


@bp.post("/overrides/<decision_id>/informed")
def informed(decision_id: str) -> ResponseReturnValue:
    decision_id = checked_id(decision_id)
    office = services().disclosure.privacy
    call = caller()
    error: ServiceError | None = None
    try:
        office.client_informed(call, decision_id, request.form.get("how", "").strip())
    except ServiceError as err:
        if err.code not in _FORM_ERRORS:
            raise
        error = err
    tasks = office.informing_tasks(call)
    if (
        error is not None
        and error.code == "PERMISSION_DENIED"
        and all(t.decision_id != decision_id for t in tasks)
    ):
        # Another party's override: its reasons would confirm it exists. Shown only for one
        # of the person's own tasks; otherwise the answer of a number never given out.
        raise error
    return _overrides_page(office.override_notices(call), tasks, error=error, done=error is None), (
        _FORM_ERRORS[error.code] if error else 200
    )
