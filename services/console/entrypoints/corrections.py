"""The provider's correction notices (art. 16.2, Bijlage 3): a granted correction of one of its
party's items is listed here; the old content is no longer released, and the provider gives
the corrected version, which supersedes it. The notices are the service's list for the
provider's people; one not listed answers as one never made."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.disclosure import TERM_CHOICES, terms_from_form
from services.console.adapters.privacy import CorrectionNotice
from services.console.entrypoints.cases import WORKERS
from services.console.entrypoints.common import (
    caller,
    checked_id,
    person,
    refuse_unless_role,
    services,
)

bp = Blueprint("corrections", __name__)

_FORM_ERRORS = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403, "FAILED_PRECONDITION": 409}


def _list_page(**extra: object) -> str:
    notices = services().disclosure.privacy.correction_notices(caller())
    # The privacy officer lists all of her party's notices (Bijlage 3); providing the corrected
    # version is its workers' (the role table refuses her Provide): no link to the form, nor
    # to the case, whose page her role may not read.
    officer = person().role == "privacy_officer"
    return render_template(
        "corrections.html", notices=notices, officer=officer, **{"provided": "", **extra}
    )


@bp.get("/corrections")
def notices() -> ResponseReturnValue:
    refuse_unless_role(
        "/zorgtafel.disclosure.v1.DisclosureService/ListCorrectionNotices",
        (*WORKERS, "privacy_officer"),
    )
    return _list_page()


def _notice(request_id: str) -> CorrectionNotice:
    found = services().disclosure.privacy.correction_notice(caller(), request_id)
    if found is None:
        abort(404)  # another party's, or never granted: the same answer
    return found


def _form_page(n: CorrectionNotice, **extra: object) -> str:
    return render_template(
        "correction.html",
        n=n,
        **TERM_CHOICES,
        **{"error": None, **extra},
    )


@bp.get("/corrections/<request_id>")
def correction(request_id: str) -> ResponseReturnValue:
    request_id = checked_id(request_id)
    # The form gives the corrected version (Provide): the officer lists the notices only.
    refuse_unless_role("/zorgtafel.disclosure.v1.DisclosureService/Provide", WORKERS)
    return _form_page(_notice(request_id))


@bp.post("/corrections/<request_id>")
def provide_corrected(request_id: str) -> ResponseReturnValue:
    """The corrected version, superseding the provider's item (Provide with supersedes); its
    content travels in the POST body and is never shown back or logged."""
    n = _notice(checked_id(request_id))
    try:
        item_id = services().disclosure.provide(
            caller(),
            n.case_id,
            **terms_from_form(request.form),
            supersedes=n.item_id,
        )
    except ServiceError as err:
        if err.code not in _FORM_ERRORS:
            raise
        return _form_page(n, error=err), _FORM_ERRORS[err.code]
    return _list_page(provided=item_id)
