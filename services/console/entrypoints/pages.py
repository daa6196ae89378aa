"""The start page: what the signed-in person's job lets them start with."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.console.entrypoints.common import checked_id, person

bp = Blueprint("pages", __name__)


@bp.get("/")
def home() -> ResponseReturnValue:
    return render_template("home.html", role=person().role)


@bp.post("/open")
def open_case() -> ResponseReturnValue:
    """A case number typed in a form goes into the path, never into a query string or log
    line of its own."""
    case_id = checked_id(request.form.get("case_id", ""))
    target = request.form.get("what")
    if target == "nomination":
        return redirect(url_for("intake.nomination", case_id=case_id))
    if target == "triage":
        return redirect(url_for("intake.triage_question", case_id=case_id))
    return redirect(url_for("cases.case", case_id=case_id))
