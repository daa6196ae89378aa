"""The policy owner's pages: the rules by covenant article, a decision explained for an input
the policy owner types, and the policy revision in force with the history of the revisions
before it. The rules and the explanation come from the console's copy of the policy sources
(no case data); the revision and its history from governance, with the person's token."""

from __future__ import annotations

import re
from typing import cast

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.policy import PolicyBook
from services.console.entrypoints.common import caller, checked_id, services
from services.console.entrypoints.trails import read_or_first

bp = Blueprint("policy", __name__)

# An input larger than this is no hand-typed example (the app's own limit is 64 KiB).
MAX_INPUT = 32 * 1024
# A page token as governance issues them (URL-safe base64); anything else starts at the top.
_PAGE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,512}")


def book() -> PolicyBook:
    """One book per app: the sources are read once (the console's start has no policy work)."""
    found = current_app.extensions.get("console.policy")
    if found is None:
        found = current_app.extensions["console.policy"] = PolicyBook()
    return cast(PolicyBook, found)


@bp.get("/policy/rules")
def rules() -> ResponseReturnValue:
    return render_template("policy_rules.html", articles=book().by_article())


@bp.route("/policy/explain", methods=["GET", "POST"])
def explain() -> ResponseReturnValue:
    policies = book().policies()
    chosen = request.form.get("policy", policies[0] if policies else "")
    document = request.form.get("input", "")
    text, problem = "", ""
    if request.method == "POST":
        if len(document) > MAX_INPUT:
            problem = "too large"
        else:
            try:
                text = book().explain(chosen, document)
            except ValueError as exc:
                problem = str(exc)
    status = 400 if problem else 200
    return render_template(
        "policy_explain.html",
        policies=policies,
        chosen=chosen,
        document=document,
        text=text,
        problem=problem,
    ), status


@bp.get("/policy/revision")
def revision() -> ResponseReturnValue:
    """The revision in force and one page of the history (issue #19), newest first."""
    token = request.args.get("page", "")
    token = token if _PAGE_TOKEN.fullmatch(token) else ""
    adopted = history = None
    restarted = False
    try:
        adopted = services().bodies.adopted_revision(caller())
        history, restarted = read_or_first(services().bodies.revision_history, caller(), token)
        error = None
    except ServiceError as err:
        if err.signed_out:
            raise
        error = err
    return render_template(
        "policy_revision.html",
        adopted=adopted,
        history=history,
        earlier=bool(token) and not restarted,
        restarted=restarted,
        error=error,
        local=book_revision(),
    ), (403 if error is not None and error.code == "PERMISSION_DENIED" else 200)


def book_revision() -> str:
    """The revision of the sources this console explains with, so the policy owner sees
    whether explanations here are those of the revision in force."""
    from zorgtafel.policy.bundle import revision_of

    return str(revision_of(book().policy_dir))


@bp.post("/policy/proposal")
def open_proposal() -> ResponseReturnValue:
    """A proposal number typed in a form goes into the path (ids only)."""
    proposal_id = checked_id(request.form.get("proposal_id", ""))
    return redirect(url_for("bodies.proposal", proposal_id=proposal_id))
