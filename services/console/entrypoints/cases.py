"""The case as the person's part in it lets them see it, and asking for an item for a purpose
(the provider's terms and the need to know decide; a refusal is shown with its reasons)."""

from __future__ import annotations

import time

from flask import Blueprint, make_response, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.casework import CaseView
from services.console.adapters.disclosure import PURPOSES, TERM_CHOICES, terms_from_form
from services.console.entrypoints.common import (
    caller,
    checked_id,
    refuse_unless_role,
    remember,
    services,
)

bp = Blueprint("cases", __name__)

# The roles the role table (policies/rego/authz/data.json) lets ask for an item and provide
# one (tests/console/test_case_pages.py holds them to it).
DISCLOSURE = "/zorgtafel.disclosure.v1.DisclosureService"
WORKERS = ("case_director", "caseworker", "process_director")

# The case page (and only it) runs the console's one script (static/live.js) and lets it
# connect back to the console: the app's policy plus script-src and connect-src 'self'.
LIVE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def since_now() -> int:
    """The page's moment (ms since the epoch), taken before the case is read: the events up
    to it are in the page, so the page's first connection passes over them."""
    return int(time.time() * 1000)


def visible_case(case_id: str) -> CaseView:
    """Only within a case the person may see; otherwise as if there were no such case. A
    refusal by the role table is kept as it is: its reasons name no case (common.refused_by_role)."""
    try:
        return services().casework.case(caller(), case_id)
    except ServiceError as err:
        if err.code in ("PERMISSION_DENIED", "NOT_FOUND") and not err.by_role:
            raise ServiceError("NOT_FOUND") from None  # without the service's reasons
        raise


@bp.get("/cases/<case_id>")
def case(case_id: str) -> ResponseReturnValue:
    """The case as GetCase shows it; its script follows the case (``live.events``) and reloads
    the page's parts when the case changes."""
    case_id = checked_id(case_id)
    since = since_now()
    c = services().casework.case(caller(), case_id)
    remember(case_id)
    response = make_response(render_template("case.html", c=c, purposes=PURPOSES, since=since))
    response.headers["Content-Security-Policy"] = LIVE_CSP
    return response


@bp.get("/cases/<case_id>/request")
def request_form(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role(f"{DISCLOSURE}/RequestDisclosure", WORKERS)
    visible_case(case_id)  # the form itself would confirm that the case exists
    return render_template("request.html", case_id=case_id, purposes=PURPOSES, answer=None)


@bp.post("/cases/<case_id>/request")
def request_item(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    visible_case(case_id)  # as for the form: only within a case the person may see
    item_id = checked_id(request.form.get("item_id", ""))
    purpose = request.form.get("purpose", "")
    if purpose not in PURPOSES:
        purpose = ""
    answer = services().disclosure.request(caller(), case_id, item_id, purpose)
    status = 200 if answer.released else 403
    return render_template(
        "request.html", case_id=case_id, purposes=PURPOSES, answer=answer, purpose=purpose
    ), status


def _provide_page(case_id: str, **extra: object) -> str:
    return render_template(
        "provide.html",
        case_id=case_id,
        **TERM_CHOICES,
        **extra,
    )


@bp.get("/cases/<case_id>/provide")
def provide_form(case_id: str) -> ResponseReturnValue:
    # No look at the case first: a provider may give information before its part in the case
    # is set (the meeting needs it), and the form is the same for any number, so no oracle.
    case_id = checked_id(case_id)
    refuse_unless_role(f"{DISCLOSURE}/Provide", WORKERS)
    return _provide_page(case_id, item_id=None, error=None)


@bp.post("/cases/<case_id>/provide")
def provide(case_id: str) -> ResponseReturnValue:
    """The provider gives an item with its usage terms (art. 16.2); the content travels in the
    POST body and is never shown back or logged."""
    case_id = checked_id(case_id)
    try:
        item_id = services().disclosure.provide(
            caller(),
            case_id,
            **terms_from_form(request.form),
        )
    except ServiceError as err:
        if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"):
            raise
        # The refusal is shown as disclosure gave it, without reading the case after it (that
        # read, refused too to a party with no part, made one action two refusals in the logs
        # and the person's budget): to such a party zorgtafel.disclosure.control says the same
        # words for any case number, real or never given out, and names no case (no oracle).
        status = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)
        return _provide_page(case_id, item_id=None, error=err), status
    return _provide_page(case_id, item_id=item_id, error=None)
