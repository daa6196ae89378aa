"""The secretaries' and members' pages of the covenant's bodies (art. 4-7): a body's meeting
with its attendance, a proposal with its votes and written input, and the decision. Each
form is one governance call with the person's token; governance's role table and its seat
rules (zorgtafel.governance) decide who may, and a refusal is shown with its reasons."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc

from services.console.adapters.calls import ServiceError
from services.console.adapters.governance import BODIES, CHOICES, INPUTS
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    person,
    refuse_unless_role,
    services,
)

bp = Blueprint("bodies", __name__)

# The roles the role table (policies/rego/authz/data.json) lets read a body's meeting and a
# proposal (GetMeeting, GetProposal; tests/console/test_form_roles.py holds them to it).
BODY_READERS = (
    "board_chair",
    "board_member",
    "board_secretary",
    "council_delegate",
    "council_secretary",
    "manager",
)

# The plain names of governance's codes (kept here: only these pages use them).
NAMES = {
    "regional_board": _l("Regional board"),
    "partner_council": _l("Partner council"),
    "managers": _l("Managers"),
    "general": _l("General matter"),
    "accession": _l("Accession"),
    "exclusion": _l("Exclusion"),
    "amendment": _l("Amendment of the covenant"),
    "work_process": _l("Work process and policy"),
    "open": _l("Under vote"),
    "adopted": _l("Adopted"),
    "rejected": _l("Rejected"),
    "referred": _l("Referred to the regional board"),
    "for": _l("For"),
    "against": _l("Against"),
    "abstain": _l("Abstain"),
    "written": _l("Written input"),
    "heard": _l("The party has been heard"),
    "board_chair": _l("Chair"),
    "board_member": _l("Member"),
    "board_secretary": _l("Secretary"),
    "council_secretary": _l("Secretary"),
    "delegate": _l("Delegate"),
    "manager": _l("Manager"),
}
# Kinds a secretary puts to a body from this page; accession, exclusion, amendment and work
# process proposals carry more (an accession, a party, a date, a revision) and have their own
# flows (the policy owners propose a revision with `zorgtafel policy propose`).
KINDS = ("general",)
VOTING_ROLES = ("board_chair", "board_member", "delegate")


@bp.app_template_filter("gov")
def gov(code: str) -> str:
    return str(NAMES.get(code, code))


def _local_in(days: int) -> str:
    when = to_user_timezone(datetime.now(timezone.utc) + timedelta(days=days))
    return str(when.strftime("%Y-%m-%dT%H:%M"))


def _parties() -> dict[str, str]:
    names = services().governance.party_names(caller())
    return dict(sorted(names.items(), key=lambda kv: kv[1]))


def _refusable(err: ServiceError) -> bool:
    return err.code in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED")


def _status(err: ServiceError | None) -> int:
    if err is None:
        return 200
    return {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)


@bp.get("/governance")
def home(error: ServiceError | None = None) -> ResponseReturnValue:
    return render_template(
        "bodies.html", bodies=BODIES, default_when=_local_in(7), error=error
    ), _status(error)


@bp.post("/governance/meetings")
def schedule() -> ResponseReturnValue:
    f = request.form
    try:
        when = to_utc(datetime.fromisoformat(f.get("when", "")).replace(tzinfo=None))
    except ValueError:
        # The form's to fix, never a meeting scheduled for now: that one could take
        # attendance at once (art. 5.3, 7.2), and the service would not refuse it.
        return home(
            ServiceError("INVALID_ARGUMENT", fields={"when": "a date and time are required"})
        )
    try:
        m = services().bodies.schedule(
            caller(), f.get("body", ""), when.replace(tzinfo=timezone.utc)
        )
    except ServiceError as err:
        if not _refusable(err):
            raise
        return home(err)
    return redirect(url_for("bodies.meeting", meeting_id=m.meeting_id))


@bp.post("/governance/open")
def open_number() -> ResponseReturnValue:
    """A meeting or proposal number typed in a form goes into the path (ids only)."""
    number = checked_id(request.form.get("number", ""))
    if request.form.get("what") == "meeting":
        return redirect(url_for("bodies.meeting", meeting_id=number))
    return redirect(url_for("bodies.proposal", proposal_id=number))


def _meeting_page(meeting_id: str, error: ServiceError | None = None) -> ResponseReturnValue:
    answered_at_once(error)
    m = services().bodies.meeting(caller(), meeting_id)
    return render_template(
        "body_meeting.html", m=m, parties=_parties(), kinds=KINDS, error=error
    ), _status(error)


@bp.get("/governance/meetings/<meeting_id>")
def meeting(meeting_id: str) -> ResponseReturnValue:
    meeting_id = checked_id(meeting_id)
    refuse_unless_role("/zorgtafel.governance.v1.GovernanceService/GetMeeting", BODY_READERS)
    return _meeting_page(meeting_id)


@bp.post("/governance/meetings/<meeting_id>/attendance")
def attendance(meeting_id: str) -> ResponseReturnValue:
    meeting_id = checked_id(meeting_id)
    try:
        services().bodies.attend(caller(), meeting_id, request.form.getlist("present"))
    except ServiceError as err:
        if not _refusable(err):
            raise
        return _meeting_page(meeting_id, err)
    return redirect(url_for("bodies.meeting", meeting_id=meeting_id))


@bp.post("/governance/meetings/<meeting_id>/proposals")
def propose(meeting_id: str) -> ResponseReturnValue:
    meeting_id = checked_id(meeting_id)
    f = request.form
    try:
        m = services().bodies.meeting(caller(), meeting_id)
        p = services().bodies.propose(
            caller(),
            m.body,
            f.get("kind", ""),
            f.get("subject_code", "").strip(),
            f.getlist("affects"),
            meeting_id,
        )
    except ServiceError as err:
        if not _refusable(err):
            raise
        return _meeting_page(meeting_id, err)
    return redirect(url_for("bodies.proposal", proposal_id=p.proposal_id))


def _proposal_page(
    proposal_id: str,
    error: ServiceError | None = None,
    referral: Any = None,
    cast: tuple[int, int, int] | None = None,
) -> ResponseReturnValue:
    answered_at_once(error)
    call = caller()
    p = services().bodies.proposal(call, proposal_id)
    me = person()
    # The vote form offers the voting seats of this body the person holds (a secretary's seat
    # has no vote, art. 4.3, 6.3); governance decides again on the vote itself.
    seats = [
        s
        for s in services().bodies.my_seats(call, me.person, me.party)
        if s[1] == p.body and s[2] in VOTING_ROLES
    ]
    adopted = None
    if p.kind == "work_process":
        try:
            adopted = services().bodies.adopted_revision(call)
        except ServiceError as err:
            if err.signed_out:
                raise
    return render_template(
        "body_proposal.html",
        p=p,
        parties=_parties(),
        seats=seats,
        choices=CHOICES,
        inputs=INPUTS,
        adopted=adopted,
        referral=referral,
        cast=cast,
        error=error,
    ), _status(error)


@bp.get("/governance/proposals/<proposal_id>")
def proposal(proposal_id: str) -> ResponseReturnValue:
    proposal_id = checked_id(proposal_id)
    refuse_unless_role("/zorgtafel.governance.v1.GovernanceService/GetProposal", BODY_READERS)
    return _proposal_page(proposal_id)


@bp.post("/governance/proposals/<proposal_id>/vote")
def vote(proposal_id: str) -> ResponseReturnValue:
    proposal_id = checked_id(proposal_id)
    f = request.form
    try:
        cast = services().bodies.vote(
            caller(), proposal_id, f.get("seat_id", ""), f.get("choice", "")
        )
    except ServiceError as err:
        if not _refusable(err):
            raise
        return _proposal_page(proposal_id, err)
    # The page itself, not a redirect: the votes cast so far are only in the vote's answer.
    return _proposal_page(proposal_id, cast=cast)


@bp.post("/governance/proposals/<proposal_id>/input")
def written_input(proposal_id: str) -> ResponseReturnValue:
    proposal_id = checked_id(proposal_id)
    f = request.form
    try:
        services().bodies.written_input(
            caller(), proposal_id, f.get("party", ""), f.get("kind", "")
        )
    except ServiceError as err:
        if not _refusable(err):
            raise
        return _proposal_page(proposal_id, err)
    return redirect(url_for("bodies.proposal", proposal_id=proposal_id))


@bp.post("/governance/proposals/<proposal_id>/decide")
def decide(proposal_id: str) -> ResponseReturnValue:
    proposal_id = checked_id(proposal_id)
    try:
        _, referral = services().bodies.decide(caller(), proposal_id)
    except ServiceError as err:
        if not _refusable(err):
            raise
        return _proposal_page(proposal_id, err)
    if referral is None:
        return redirect(url_for("bodies.proposal", proposal_id=proposal_id))
    # The referral's number is only in the decision's answer (art. 7.3): shown once, here.
    return _proposal_page(proposal_id, referral=referral)
