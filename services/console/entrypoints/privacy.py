"""The privacy officer's access log: who read what of their party's items, allowed or refused,
and whether the log is intact (NEN 7513). Only what the service lets this officer see, a page
of disclosure's at a time, with links to the next page and back to the one before."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import Caller, ServiceError
from services.console.adapters.disclosure import LogPage
from services.console.entrypoints.common import caller, person, refuse_unless_role, services
from services.console.entrypoints.trails import Trail, read_or_first, trail_before, trail_of

bp = Blueprint("privacy", __name__)

# Disclosure's tokens of the party's listing hold an offset, a digest of the query (the party's
# number and the page size) and the sequence number of the last record shown: nothing personal,
# so they ride in the query string, as the overrides list's do. A subject's listing's digest is
# one of its pseudonym (a guess could be checked against it): its tokens, like the pseudonym,
# only ever travel in a POST form's body.
_LOG = "log"
# Who reads the access log and verifies it (policies/rego/authz/data.json: AccessLog, VerifyLog).
READERS = ("auditor", "privacy_officer")


def _previous(trail: Trail) -> tuple[Trail, bool] | None:
    """Where "previous page" leads: the trail one page back, or (when the page before is no
    longer in the trail) this one with ``back`` set; None on the first page."""
    if not trail.tokens:
        return None
    return (trail, True) if trail.lost_before else (trail.back(), False)


@bp.route("/privacy/access-log", methods=["GET", "POST"])
def access_log() -> ResponseReturnValue:
    # The log and its check have the same roles: any other role gets the role table's refusal
    # at once, asking disclosure nothing in its name.
    refuse_unless_role("/zorgtafel.disclosure.v1.DisclosureService/AccessLog", READERS)
    # A subject's pseudonym is asked in a form (POST), never put in a URL; so is its paging.
    given = request.form if request.method == "POST" else request.args
    subject = request.form.get("subject", "").strip() if request.method == "POST" else ""
    call = caller()
    d = services().disclosure
    party = person().party

    def read(c: Caller, token: str) -> LogPage:
        if subject:
            return d.access_log(c, subject_pseudonym=subject, page_token=token)
        return d.access_log(c, provider=party, page_token=token)

    trail = trail_of(given, _LOG)
    if given.get(f"{_LOG}_back") == "1" and trail.lost_before:
        trail = trail_before(read, call, trail.token)
    shown, restarted = read_or_first(read, call, trail.token)
    if restarted:
        trail = Trail()
    try:
        check = d.verify_log(call)
    except ServiceError as err:
        if err.signed_out:
            raise
        check = None  # the log itself is still shown; its check is reported as not done
    following = trail.on(shown.next_page_token) if shown.next_page_token else None
    before = _previous(trail)
    # Where "next" and "previous" lead, as the fields they send: a link's query string on the
    # party's listing, a form's hidden fields beside the pseudonym on a subject's.
    pager = {
        "next": following.query(_LOG) if following else None,
        "prev": (
            {**before[0].query(_LOG), **({f"{_LOG}_back": "1"} if before[1] else {})}
            if before
            else None
        ),
    }
    return render_template(
        "access_log.html",
        entries=shown.rows,
        check=check,
        subject=subject,
        pager=pager,
        restarted=restarted,
        page_number=trail.number,
    )
