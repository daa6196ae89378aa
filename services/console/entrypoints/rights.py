"""The privacy officer's work (Bijlage 3): the subjects' requests and their deadlines, the
reviews of safety overrides, the registers, and the subject data report; and a worker passing
a subject's request on to the controller's privacy officer. Every list is what the service
lets this person see; the console adds nothing and decides nothing."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, abort, make_response, render_template, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.privacy import GROUNDS, KINDS, Activity, PrivacyOffice
from services.console.entrypoints.breaches import DATA, NATURES
from services.console.entrypoints.cases import DISCLOSURE, WORKERS
from services.console.entrypoints.common import (
    answered_at_once,
    caller,
    checked_id,
    person,
    refuse_unless_role,
    services,
)

bp = Blueprint("rights", __name__)

# The statuses a form answer may show on the form itself; anything else is the error page.
_FORM_ERRORS = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403, "FAILED_PRECONDITION": 409}


def _office() -> PrivacyOffice:
    return services().disclosure.privacy


def _form_error(err: ServiceError) -> int:
    if err.code not in _FORM_ERRORS:
        raise err
    return _FORM_ERRORS[err.code]


def _refused_before_reading_again(err: ServiceError) -> int:
    """A form whose page reads the request or the entry again to show the refusal: one that
    needs no such read to be shown (by the role table, or as for a number never given out) is
    answered before it (common.answered_at_once: that read, for a role the table does not let
    list them either, was a second refusal of the one action)."""
    status = _form_error(err)
    answered_at_once(err)
    return status


# Who reads the subject requests, the override reviews and the breach register (the role table's
# ListSubjectRequests, ListReviews, ListBreaches, ExportRegister).
OVERSIGHT = ("auditor", "privacy_officer")
# Who reads the register of processing activities (ListProcessingActivities).
REGISTER_READERS = (
    "auditor",
    "case_director",
    "caseworker",
    "manager",
    "privacy_officer",
    "process_director",
)


@bp.get("/privacy/subject-requests")
def subject_requests() -> ResponseReturnValue:
    refuse_unless_role(f"{DISCLOSURE}/ListSubjectRequests", OVERSIGHT)
    # The filter is a flag, never personal data, so it may sit in the query string.
    overdue_only = request.args.get("overdue") == "1"
    requests = _office().subject_requests(caller(), overdue_only=overdue_only)
    return render_template("subject_requests.html", requests=requests, overdue_only=overdue_only)


def _request_page(request_id: str, **extra: object) -> str:
    found = _office().subject_request(caller(), request_id)
    if found is None:
        abort(404)  # one this officer may not read looks like one never made
    return render_template("subject_request.html", r=found, grounds=GROUNDS, **extra)


@bp.get("/privacy/subject-requests/<request_id>")
def subject_request(request_id: str) -> ResponseReturnValue:
    return _request_page(checked_id(request_id), error=None)


@bp.post("/privacy/subject-requests/<request_id>")
def decide(request_id: str) -> ResponseReturnValue:
    """Grant, or refuse on one of the covenant's grounds with a reason (Bijlage 3)."""
    request_id = checked_id(request_id)
    f = request.form
    granted = f.get("outcome") == "granted"
    ground = f.get("ground", "") if f.get("ground") in GROUNDS else ""
    try:
        _office().decide(
            caller(),
            request_id,
            granted=granted,
            ground="" if granted else ground,
            reason=f.get("reason", "").strip(),
        )
    except ServiceError as err:
        status = _refused_before_reading_again(err)
        return _request_page(request_id, error=err), status
    return _request_page(request_id, error=None, decided_now=True)


def _submit_page(**extra: object) -> str:
    parties = services().governance.party_names(caller())
    return render_template("subject_request_new.html", kinds=KINDS, parties=parties, **extra)


@bp.get("/subject-requests/new")
def submit_form() -> ResponseReturnValue:
    refuse_unless_role(
        "/zorgtafel.disclosure.v1.DisclosureService/SubmitSubjectRequest",
        (*WORKERS, "privacy_officer"),
    )
    return _submit_page(submitted=None, error=None)


@bp.post("/subject-requests/new")
def submit() -> ResponseReturnValue:
    """A worker passes a subject's request on; the pseudonym travels in the POST body only."""
    f = request.form
    try:
        request_id = _office().submit(
            caller(),
            kind=f.get("kind", "") if f.get("kind") in KINDS else "",
            subject_pseudonym=f.get("subject", "").strip(),
            case_id=f.get("case_id", "").strip(),
            item_id=f.get("item_id", "").strip(),
            document_ref=f.get("document_ref", "").strip(),
            controller=f.get("controller", "").strip(),
        )
    except ServiceError as err:
        status = _form_error(err)
        return _submit_page(submitted=None, error=err), status
    return _submit_page(submitted=request_id, error=None)


@bp.get("/privacy/reviews")
def reviews() -> ResponseReturnValue:
    refuse_unless_role(f"{DISCLOSURE}/ListReviews", OVERSIGHT)
    return render_template("reviews.html", reviews=_office().reviews(caller()))


def _register_officer() -> bool:
    """Whether the person is a privacy officer, whose the register's maintenance is
    (Bijlage 3; the role table lets no one else add, change or retire an entry): only an
    officer gets the forms."""
    return person().role == "privacy_officer"


def _history_reader() -> bool:
    """Whether the person may read the register's history: the privacy officers and the
    auditors (the role table's ListProcessingActivityHistory; the register itself is every
    party's to read). The history is asked for in their name only, so a worker's page of the
    register or of an entry is no refusal."""
    return person().role in ("privacy_officer", "auditor")


@bp.get("/privacy/processing-activities")
def activities() -> ResponseReturnValue:
    refuse_unless_role(f"{DISCLOSURE}/ListProcessingActivities", REGISTER_READERS)
    call = caller()
    office = _office()
    history = office.activity_history(call) if _history_reader() else None
    return render_template(
        "activities.html", activities=office.activities(call), history=history, retired=""
    )


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in value.splitlines() if line.strip())


def _posted_activity(activity_id: str, maintainers: tuple[str, ...]) -> Activity:
    """The nine fields of Bijlage 3 as typed; the register checks each (INVALID_ARGUMENT
    names the field, shown next to it)."""
    f = request.form
    return Activity(
        activity_id=activity_id,
        version="",
        name=f.get("name", "").strip(),
        controller=f.get("controller", "").strip(),
        purpose=f.get("purpose", "").strip(),
        subject_categories=_lines(f.get("subject_categories", "")),
        data_categories=_lines(f.get("data_categories", "")),
        recipients=_lines(f.get("recipients", "")),
        legal_basis=f.get("legal_basis", "").strip(),
        transfers_outside_eea=f.get("transfers_outside_eea", "").strip(),
        retention=f.get("retention", "").strip(),
        maintainers=maintainers,
        retired_at=None,
    )


def _new_activity_page(a: Activity, **extra: object) -> str:
    return render_template(
        "activity_new.html",
        a=a,
        parties=services().governance.party_names(caller()),
        **{"error": None, "reason": "", **extra},
    )


@bp.get("/privacy/processing-activities/new")
def new_activity_form() -> ResponseReturnValue:
    refuse_unless_role(
        "/zorgtafel.disclosure.v1.DisclosureService/AddProcessingActivity", ("privacy_officer",)
    )
    blank = Activity("", "", "", "", "", (), (), (), "", "", "", (person().party,), None)
    return _new_activity_page(blank)


@bp.post("/privacy/processing-activities/new")
def add_activity() -> ResponseReturnValue:
    """A privacy officer adds an entry its party maintains (Bijlage 3; GDPR art. 30); the
    register refuses one its party would not answer for."""
    f = request.form
    posted = _posted_activity(
        f.get("activity_id", "").strip(), tuple(m.strip() for m in f.getlist("maintainers"))
    )
    reason = f.get("reason", "").strip()
    try:
        added = _office().add_activity(caller(), posted, reason=reason)
    except ServiceError as err:
        # A number taken already is the form's matter too (shown next to the number).
        status = 409 if err.code == "ALREADY_EXISTS" else _form_error(err)
        return _new_activity_page(posted, error=err, reason=reason), status
    return _activity_page(added.activity_id, done="added")


def _activity_page(activity_id: str, **extra: object) -> str:
    call = caller()
    found = _office().activity(call, activity_id)
    if found is None:
        abort(404)  # retired or never added: the history page lists those
    return render_template(
        "activity.html",
        a=found,
        history=_office().activity_history(call, activity_id) if _history_reader() else None,
        # Its change and retirement are a maintaining party's privacy officer's (Bijlage 3;
        # the role table refuses a worker both): no forms for a worker of that party.
        maintainer=_register_officer() and person().party in found.maintainers,
        # After a refused change the form shows what was typed, not the entry as it is.
        **{"error": None, "done": "", "posted": None, "failed": "", **extra},
    )


@bp.get("/privacy/processing-activities/<activity_id>")
def activity(activity_id: str) -> ResponseReturnValue:
    return _activity_page(checked_id(activity_id))


@bp.post("/privacy/processing-activities/<activity_id>")
def change_activity(activity_id: str) -> ResponseReturnValue:
    """A maintaining party's privacy officer changes the entry (the register checks who)."""
    activity_id = checked_id(activity_id)
    f = request.form
    current = _office().activity(caller(), activity_id)
    if current is None:
        abort(404)
    changed = replace(
        _posted_activity(activity_id, current.maintainers),
        version=current.version,
        retired_at=current.retired_at,
    )
    try:
        _office().change_activity(
            caller(),
            changed,
            expected_version=f.get("expected_version", ""),
            reason=f.get("reason", "").strip(),
        )
    except ServiceError as err:
        status = _refused_before_reading_again(err)
        return _activity_page(activity_id, error=err, posted=changed, failed="change"), status
    return _activity_page(activity_id, done="changed")


@bp.post("/privacy/processing-activities/<activity_id>/retire")
def retire_activity(activity_id: str) -> ResponseReturnValue:
    activity_id = checked_id(activity_id)
    try:
        _office().retire_activity(caller(), activity_id, request.form.get("reason", "").strip())
    except ServiceError as err:
        status = _refused_before_reading_again(err)
        return _activity_page(activity_id, error=err, failed="retire"), status
    return render_template(
        "activities.html",
        activities=_office().activities(caller()),
        history=_office().activity_history(caller()) if _history_reader() else None,
        retired=activity_id,
    )


# The registers disclosure exports for privacy officers and auditors (the role table's
# ExportRegister, Bijlage 3), each a download of the page that lists it.
REGISTERS = {"processing": "processing-activities", "breaches": "breaches"}
EXPORTERS = OVERSIGHT


@bp.get("/privacy/registers/<register>/export")
def export_register(register: str) -> ResponseReturnValue:
    """The register as disclosure exports it, downloaded (a register's name in the address,
    never a person's or a case's); refused at once to a role the role table refuses."""
    if register not in REGISTERS:
        abort(404)
    refuse_unless_role("/zorgtafel.disclosure.v1.DisclosureService/ExportRegister", EXPORTERS)
    media_type, document = _office().export_register(caller(), register)
    extension = "json" if media_type == "application/json" else "bin"
    response = make_response(document)
    response.headers["Content-Type"] = media_type or "application/octet-stream"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="register-{REGISTERS[register]}.{extension}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/privacy/breaches")
def breaches() -> ResponseReturnValue:
    refuse_unless_role(f"{DISCLOSURE}/ListBreaches", OVERSIGHT)
    return render_template(
        "breaches.html", breaches=_office().breaches(caller()), natures=NATURES, data=DATA
    )


@bp.route("/privacy/subject-data-report", methods=["GET", "POST"])
def subject_data_report() -> ResponseReturnValue:
    """The report across the four services for the case number typed in the form (POST:
    the number is no part of any URL)."""
    if request.method == "GET":
        refuse_unless_role(
            "/zorgtafel.disclosure.v1.DisclosureService/SubjectDataReport", ("privacy_officer",)
        )
        return render_template("subject_report.html", report=None, case_id="", error=None)
    case_id = checked_id(request.form.get("case_id", ""))
    try:
        report = _office().subject_data_report(caller(), case_id)
    except ServiceError as err:
        if err.code in ("PERMISSION_DENIED", "NOT_FOUND") and not err.by_role:
            # As for a case number never given out: no reasons that would name the case (the
            # role table's name none: shown, common.refused_by_role).
            err = ServiceError("NOT_FOUND")
        status = _form_error(err) if err.code != "NOT_FOUND" else 404
        return render_template(
            "subject_report.html", report=None, case_id=case_id, error=err
        ), status
    return render_template("subject_report.html", report=report, case_id=case_id, error=None)
