"""The privacy officer's access log: who read what of their party's items, allowed or refused,
and whether the log is intact (NEN 7513). Only what the service lets this officer see."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.entrypoints.common import caller, person, services

bp = Blueprint("privacy", __name__)


@bp.route("/privacy/access-log", methods=["GET", "POST"])
def access_log() -> ResponseReturnValue:
    # A subject's pseudonym is asked in a form (POST), never put in a URL.
    subject = request.form.get("subject", "").strip() if request.method == "POST" else ""
    call = caller()
    d = services().disclosure
    if subject:
        entries = d.access_log(call, subject_pseudonym=subject)
    else:
        entries = d.access_log(call, provider=person().party)
    try:
        check = d.verify_log(call)
    except ServiceError as err:
        if err.signed_out:
            raise
        check = None  # the log itself is still shown; its check is reported as not done
    return render_template("access_log.html", entries=entries, check=check, subject=subject)
