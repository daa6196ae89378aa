"""The privacy officer records a data breach in its party's register (Bijlage 3 data-breach
procedure; GDPR art. 33(5)). The register validates every field (a refusal names the field,
shown next to it) and seals the free texts; the page never echoes them from anywhere but the
register's own answer. The API records a breach once, with whether the authority and the
people were told: it has no later step (notification, closure) to offer here."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc

from services.console.adapters.calls import ServiceError
from services.console.adapters.privacy import NewBreach, PrivacyOffice
from services.console.entrypoints.common import caller, refuse_unless_role, services

bp = Blueprint("breaches", __name__)

# What happened, as the register's codes (any code is accepted there; these are the usual ones).
NATURES = {
    "misdirected_email": _l("E-mail to the wrong recipient"),
    "misdirected_post": _l("Post to the wrong address"),
    "lost_device": _l("Lost laptop, phone, USB stick or paper file"),
    "stolen_device": _l("Stolen laptop, phone, USB stick or paper file"),
    "unauthorised_access": _l("Looked at by someone without a need to know"),
    "cyber_attack": _l("Hacking, malware or phishing"),
    "wrongful_disclosure": _l("Shared without a basis"),
    "other": _l("Other"),
}
# The categories of data concerned: every category an item can have (adapters.disclosure
# CATEGORIES, a unit test keeps them together) and a person's identity and contact details.
DATA = {
    "care_history": _l("Care history"),
    "police_record": _l("Police records"),
    "housing": _l("Housing"),
    "income": _l("Income"),
    "health": _l("Health"),
    "safety": _l("Safety"),
    "identity": _l("Identity (name, date of birth, BSN)"),
    "contact_details": _l("Contact details"),
}
# int32 on the wire; the register refuses more than it allows with its own message.
_INT32 = 2**31 - 1


def _office() -> PrivacyOffice:
    return services().disclosure.privacy


def _local(value: datetime) -> str:
    return str(to_user_timezone(value).strftime("%Y-%m-%dT%H:%M"))


def _moment(value: str) -> datetime | None:
    """A datetime-local field (Dutch time) in UTC; None when empty or malformed (the register
    then names the field: required)."""
    try:
        local = datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return None
    utc: datetime = to_utc(local)
    return utc.replace(tzinfo=timezone.utc)


def _count(value: str) -> int:
    """The number of people affected; what is not a number 0 or more goes to the register as
    -1, so its refusal ("must be 0 or more") stands next to the field."""
    try:
        n = int(value.strip())
    except ValueError:
        return -1
    return min(n, _INT32) if n >= 0 else -1


def _form_page(form: Mapping[str, object], **extra: object) -> str:
    return render_template(
        "breach_new.html", natures=NATURES, data=DATA, form=form, **{"error": None, **extra}
    )


@bp.get("/privacy/breaches/new")
def record_form() -> ResponseReturnValue:
    refuse_unless_role(
        "/zorgtafel.disclosure.v1.DisclosureService/RecordBreach", ("privacy_officer",)
    )
    now = datetime.now(timezone.utc)
    form = {"detected_at": _local(now - timedelta(hours=1)), "data_categories": []}
    return _form_page(form)


@bp.post("/privacy/breaches/new")
def record() -> ResponseReturnValue:
    f = request.form
    breach = NewBreach(
        detected_at=_moment(f.get("detected_at", "")),
        nature=f.get("nature", "") if f.get("nature") in NATURES else "",
        data_categories=tuple(c for c in f.getlist("data_categories") if c in DATA),
        subjects_affected=_count(f.get("subjects_affected", "")),
        case_ids=tuple(f.get("case_ids", "").replace(",", " ").split()),
        consequences=f.get("consequences", "").strip(),
        measures=f.get("measures", "").strip(),
        reported_to_authority=f.get("reported_to_authority") == "yes",
        reported_at=_moment(f.get("reported_at", "")),
        subjects_informed=f.get("subjects_informed") == "yes",
    )
    try:
        breach_id = _office().record_breach(caller(), breach)
    except ServiceError as err:
        status = {"INVALID_ARGUMENT": 400, "PERMISSION_DENIED": 403, "FAILED_PRECONDITION": 409}
        if err.code not in status:
            raise
        # The form again as typed (the person's own words, in this answer only).
        form: dict[str, object] = {k: f.get(k, "") for k in f if k != "csrf_token"}
        form["data_categories"] = list(breach.data_categories)
        return _form_page(form, error=err), status[err.code]
    # The register's answer, as it returns it: the new breach is among its own.
    return render_template(
        "breaches.html",
        breaches=_office().breaches(caller()),
        natures=NATURES,
        data=DATA,
        recorded=breach_id,
    )
