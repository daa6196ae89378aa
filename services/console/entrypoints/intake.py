"""Nominate (any party's worker), and the process director's worklist, assessment with the
criteria checklist, triage and routing; the asked parties' triage answer."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc

from services.console.adapters.calls import Caller, ServiceError
from services.console.adapters.intake import (
    AGE_BANDS,
    ANSWERS,
    CHAINS,
    CONSENT,
    CRITERIA,
    LIFE_DOMAINS,
    REJECTIONS,
    ROUTINGS,
    STAGES,
    Judged,
    NominationInput,
    WorklistPage,
)
from services.console.entrypoints.cases import WORKERS
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    refuse_unless_role,
    remember,
    services,
)
from services.console.entrypoints.labels import CRITERIA as CRITERIA_TEXT
from services.console.entrypoints.trails import read_or_first

bp = Blueprint("intake", __name__)

THEMES = ("safety", "housing", "care", "income_and_debt", "mental_health")


def _choices() -> dict[str, object]:
    return {
        "life_domains": LIFE_DOMAINS,
        "chains": CHAINS,
        "age_bands": AGE_BANDS,
        "consents": CONSENT,
        "routings": ROUTINGS,
        "answers": ANSWERS,
        "rejections": REJECTIONS,
        "criteria": CRITERIA_TEXT,
        "themes": THEMES,
    }


def _parties() -> dict[str, str]:
    return services().governance.party_names(caller())


def _default_deadline() -> str:
    """Two days from now, as the Dutch local time a datetime-local field shows."""
    return str(
        to_user_timezone(datetime.now(timezone.utc) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )


@bp.get("/nominations/new")
def nominate_form() -> ResponseReturnValue:
    refuse_unless_role("/zorgtafel.intake.v1.IntakeService/Nominate", WORKERS)
    return render_template("nominate.html", **_choices(), error=None, form={})


@bp.post("/nominations/new")
def nominate() -> ResponseReturnValue:
    f = request.form
    n = NominationInput(
        given_names=f.get("given_names", "").strip(),
        family_name=f.get("family_name", "").strip(),
        date_of_birth=f.get("date_of_birth", "").strip(),
        bsn=f.get("bsn", "").strip(),
        age_band=f.get("age_band", "") if f.get("age_band") in AGE_BANDS else "",
        problems=tuple(p for p in f.getlist("problems") if p in LIFE_DOMAINS),
        chains=tuple(c for c in f.getlist("chains") if c in CHAINS),
        consent=f.get("consent", "") if f.get("consent") in CONSENT else "",
        serious_local_safety_problem="serious_local_safety_problem" in f,
        affects_family_or_social_environment="affects_family_or_social_environment" in f,
        multiple_chains_needed="multiple_chains_needed" in f,
        acute_danger="acute_danger" in f,
        purposes=("care_coordination",),
        pre_read_allowed="pre_read_allowed" in f,
    )
    try:
        case_id = services().intake.nominate(caller(), n)
    except ServiceError as err:
        if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
            raise
        # The form comes back filled in, without the identity: it is typed again, not kept.
        kept = {
            k: v
            for k, v in f.items()
            if k not in ("given_names", "family_name", "date_of_birth", "bsn")
        }
        return render_template("nominate.html", **_choices(), error=err, form=kept), 400
    remember(case_id)
    return redirect(url_for("intake.received", case_id=case_id))


@bp.get("/nominations/<case_id>/received")
def received(case_id: str) -> ResponseReturnValue:
    return render_template("received.html", case_id=checked_id(case_id))


# Where a nomination stands on the worklist, in plain words (intake's WorklistStage).
STAGE_TEXT = {
    "to_assess": _l("To assess (intake queue)"),
    "to_triage": _l("Triage to start"),
    "in_triage": _l("Waiting for the answers"),
    "to_route": _l("Routing to decide"),
}
# A page token is intake's opaque, URL-safe continuation (ids and a time, no personal data).
_PAGE_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,512}$")


@bp.get("/worklist")
def worklist() -> ResponseReturnValue:
    """The nominations this person may act on, as intake lists them (the intake queue and the
    ones they took up: the roster decides, not the console); anyone else gets intake's refusal
    with its reasons. The open-by-number form stays for a nomination sent by other means. A
    role the role table never lets list them gets its refusal at once, asking intake nothing
    (the ask could only be refused and counted in the person's budget of refusals)."""
    refuse_unless_role("/zorgtafel.intake.v1.IntakeService/ListNominations", ("process_director",))
    stage = request.args.get("stage", "")
    stage = stage if stage in STAGES else ""
    token = request.args.get("page", "")
    token = token if _PAGE_TOKEN.match(token) else ""
    page, error, restarted = None, None, False

    def read(call: Caller, at: str) -> WorklistPage:
        return services().intake.worklist(call, stage, at)

    try:
        page, restarted = read_or_first(read, caller(), token)
    except ServiceError as err:
        if err.signed_out or err.code not in ("PERMISSION_DENIED", "INVALID_ARGUMENT"):
            raise
        error = err
    return render_template(
        "worklist.html",
        page=page,
        error=error,
        restarted=restarted,
        stage=stage,
        stages=STAGES,
        stage_text=STAGE_TEXT,
    )


@bp.get("/nominations/<case_id>")
def nomination(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role("/zorgtafel.intake.v1.IntakeService/GetNomination", WORKERS)
    n = services().intake.nomination(caller(), case_id)
    remember(case_id)
    return render_template(
        "nomination.html",
        n=n,
        parties=_parties(),
        **_choices(),
        error=None,
        default_deadline=_default_deadline(),
    )


def _again(case_id: str, err: ServiceError) -> ResponseReturnValue:
    if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED"):
        raise err
    answered_at_once(err)
    n = services().intake.nomination(caller(), case_id)
    status = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403}.get(err.code, 409)
    return render_template(
        "nomination.html",
        n=n,
        parties=_parties(),
        **_choices(),
        error=err,
        default_deadline=_default_deadline(),
    ), status


@bp.post("/nominations/<case_id>/assess")
def assess(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    criteria = {
        c: Judged(f.get(f"holds_{c}") == "yes", f.get(f"grounds_{c}", "").strip()) for c in CRITERIA
    }
    qualifies = f.get("qualifies") == "yes"
    try:
        services().intake.assess(
            caller(),
            case_id,
            qualifies=qualifies,
            reasons=f.get("reasons", "").strip(),
            consulted="consulted" in f,
            criteria=criteria,
            rejection_reason="" if qualifies else f.get("rejection_reason", "other"),
        )
    except ServiceError as err:
        return _again(case_id, err)
    return redirect(url_for("intake.nomination", case_id=case_id, _anchor="triage"))


@bp.post("/nominations/<case_id>/triage")
def triage(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    try:
        # The form's local time is the Netherlands' (BABEL_DEFAULT_TIMEZONE), not the server's.
        local = datetime.fromisoformat(f.get("deadline", "")).replace(tzinfo=None)
        deadline = to_utc(local).replace(tzinfo=timezone.utc)
    except ValueError:
        deadline = datetime.now(timezone.utc)  # the service refuses a deadline in the past
    try:
        services().intake.start_triage(
            caller(),
            case_id,
            asked_parties=[p for p in f.getlist("asked") if p],
            deadline=deadline,
            themes=[t for t in f.getlist("themes") if t in THEMES],
            question=f.get("question", "").strip(),
        )
    except ServiceError as err:
        return _again(case_id, err)
    return redirect(url_for("intake.nomination", case_id=case_id, _anchor="routing"))


@bp.post("/nominations/<case_id>/routing")
def routing(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    invitees = {
        p: [t for t in f.getlist(f"lawful_{p}") if t in THEMES] for p in f.getlist("invitees")
    }
    try:
        services().intake.decide_routing(
            caller(),
            case_id,
            routing=f.get("routing", "") if f.get("routing") in ROUTINGS else "",
            goal_code=f.get("goal_code", "").strip(),
            goal=f.get("goal", "").strip(),
            themes=[t for t in f.getlist("themes") if t in THEMES],
            decision_types=[d for d in f.getlist("decision_types") if d],
            invitees=invitees,
            reason_code=f.get("reason_code", "").strip(),
        )
    except ServiceError as err:
        return _again(case_id, err)
    return redirect(url_for("intake.nomination", case_id=case_id))


@bp.get("/triage/<case_id>")
def triage_question(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    refuse_unless_role("/zorgtafel.intake.v1.IntakeService/AnswerTriage", WORKERS)
    q = services().intake.triage_question(caller(), case_id)
    return render_template("triage.html", q=q, **_choices(), error=None, done=False)


@bp.post("/triage/<case_id>")
def answer(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    f = request.form
    try:
        services().intake.answer_triage(
            caller(),
            case_id,
            answer=f.get("answer", "") if f.get("answer") in ANSWERS else "",
            contribution=f.get("contribution", "").strip(),
            themes=[t for t in f.getlist("themes") if t in THEMES],
        )
    except ServiceError as err:
        if err.code not in ("INVALID_ARGUMENT", "FAILED_PRECONDITION"):
            raise
        q = services().intake.triage_question(caller(), case_id)
        return render_template("triage.html", q=q, **_choices(), error=err, done=False), 400
    q = services().intake.triage_question(caller(), case_id)
    return render_template("triage.html", q=q, **_choices(), error=None, done=True)
