"""The safety override (break-glass, Bijlage 3): a worker with a part in the case sees an item
without consent because safety is at stake, after consulting a colleague, and says whether the
client was informed. Then the provider's notices of overrides on its items, and the overriding
party's tasks to inform the client. The policy decides; a refusal shows its reasons."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import Caller, ServiceError
from services.console.adapters.disclosure import PURPOSES
from services.console.adapters.privacy import INFORMED, PrivacyOffice
from services.console.entrypoints.cases import DISCLOSURE, WORKERS, visible_case
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    person,
    refuse_unless_role,
    services,
)
from services.console.entrypoints.trails import Trail, read_or_first, trail_before, trail_of

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
    refuse_unless_role(f"{DISCLOSURE}/BreakGlass", WORKERS)
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


_LISTS = ("notices", "tasks")


def _overrides_page(trails: dict[str, Trail] | None = None, **extra: object) -> str:
    """A page of disclosure's notices and one of its informing tasks, each with links to the
    next page and back to the one before; each list keeps its place while the other moves."""
    office = services().disclosure.privacy
    call = caller()
    reads = {"notices": office.override_notices, "tasks": office.informing_tasks}
    at = {name: (trails or {}).get(name, Trail()) for name in _LISTS}
    read = {name: read_or_first(reads[name], call, at[name].token) for name in _LISTS}
    pages = {name: page for name, (page, _) in read.items()}
    restarted = [name for name, (_, again) in read.items() if again]
    at.update({name: Trail() for name in restarted})

    def to(name: str, trail: Trail, **more: object) -> str:
        query: dict[str, object] = {}
        for other in _LISTS:
            query.update((trail if other == name else at[other]).query(other))
        return url_for("safety.overrides", **query, **more)

    def previous(name: str) -> str:
        trail = at[name]
        if not trail.tokens:
            return ""
        # The page before the oldest token kept: found again from the first page on.
        return (
            to(name, trail, **{f"{name}_back": "1"})
            if trail.lost_before
            else to(name, trail.back())
        )

    links = {
        name: {
            "prev": previous(name),
            "next": to(name, at[name].on(page.next_page_token)) if page.next_page_token else "",
        }
        for name, page in pages.items()
    }
    # The privacy officer reads the lists of all of its party's cases (Bijlage 3); recording
    # that the client was informed is its workers' (no form for the officer).
    officer = person().role == "privacy_officer"
    return render_template(
        "overrides.html",
        notices=pages["notices"].rows,
        tasks=pages["tasks"].rows,
        links=links,
        officer=officer,
        restarted=bool(restarted),
        **extra,
    )


@bp.get("/overrides")
def overrides() -> ResponseReturnValue:
    """The provider's notices (art. 16.2) and the overriding party's informing tasks, as
    disclosure lists them for the person: a worker's of the cases it has a part in, the
    privacy officer's of all of its party's; a page of each at a time. A role the role table
    never lets list them (both lists have the same roles) gets its refusal at once."""
    refuse_unless_role(f"{DISCLOSURE}/ListOverrideNotices", (*WORKERS, "privacy_officer"))
    trails = {name: trail_of(request.args, name) for name in _LISTS}
    office = services().disclosure.privacy
    reads = {"notices": office.override_notices, "tasks": office.informing_tasks}
    for name in _LISTS:
        if request.args.get(f"{name}_back") == "1" and trails[name].lost_before:
            trails[name] = trail_before(reads[name], caller(), trails[name].token)
    return _overrides_page(trails, error=None, done=False)


def _own_task(office: PrivacyOffice, call: Caller, decision_id: str) -> bool:
    """Whether the override is one of the person's informing tasks (on any page)."""
    position = ""  # disclosure's page token: "" is the first page
    while True:
        tasks = office.informing_tasks(call, position)
        if any(t.decision_id == decision_id for t in tasks.rows):
            return True
        position = tasks.next_page_token
        if not position:
            return False


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
        # Before the tasks are read again to show it (a second refusal of the one action
        # for a role the table does not let list them either): common.answered_at_once.
        answered_at_once(err)
        error = err
    if (
        error is not None
        and error.code == "PERMISSION_DENIED"
        and not _own_task(office, call, decision_id)
    ):
        # Another party's override: its reasons would confirm it exists. Shown only for one
        # of the person's own tasks; otherwise the answer of a number never given out.
        raise error
    return _overrides_page(error=error, done=error is None), (
        _FORM_ERRORS[error.code] if error else 200
    )
