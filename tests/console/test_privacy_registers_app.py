"""The privacy officer's register pages and the provider's correction notices without a
browser or the suite: recording a breach, adding a processing activity, providing a corrected
version. Every new POST needs its CSRF token; the register's field errors stand next to their
fields (never a stack trace); a refusal shows its reasons and article; a notice not listed
answers as one never made; what the form sends is what the service is asked."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from services.console.adapters.calls import ServiceError, refusals
from services.console.adapters.disclosure import CATEGORIES
from services.console.adapters.privacy import (
    Activity,
    ActivityChange,
    Breach,
    CorrectionNotice,
    NewBreach,
)
from services.console.entrypoints.breaches import DATA
from tests.console.test_app import FakeGovernance, csrf, dev_console, signed_in
from tests.console.test_case_pages import answered
from zorgtafel.demo.actors import LEGER_DES_HEILS
from zorgtafel.kernel.errors import NotShared, PermissionDenied

SHELTER = LEGER_DES_HEILS  # fg-fenna's and lh-bram's party
OTHER = "00000099000000000004"
ACTIVITY = Activity(
    "LH-VA-1", "1", "Intake notes", "Leger des Heils", "care", ("clients",), ("care",),
    ("parties",), "art. 6(1)(e)", "none", "a year", (SHELTER,), None,
)  # fmt: skip
NOTICE = CorrectionNotice("sr-1", "itm-1", "case-1", SHELTER, None, "")
SEALED = "[unreadable]"


class FakeOffice:
    def __init__(self) -> None:
        self.asked: list[tuple[str, object]] = []
        self.registered: dict[str, Activity] = {ACTIVITY.activity_id: ACTIVITY}
        self.reads: list[str] = []
        self.refusal: ServiceError | None = None  # what a change or retirement is answered

    # processing activities
    def activities(self, call):  # noqa: ANN001, ANN201
        return list(self.registered.values())

    def activity(self, call, activity_id):  # noqa: ANN001, ANN201
        self.reads.append("activity")
        return self.registered.get(activity_id)

    def activity_history(self, call, activity_id=""):  # noqa: ANN001, ANN201
        self.reads.append("activity_history")
        return [ActivityChange(ACTIVITY.activity_id, "1", "added", (), SHELTER, "fg", None, "")]

    def add_activity(self, call, activity, *, reason):  # noqa: ANN001, ANN201
        self.asked.append(("add", activity))
        if not activity.name:
            raise ServiceError("INVALID_ARGUMENT", fields={"activity.name": "required"})
        if activity.activity_id in self.registered:
            raise ServiceError("ALREADY_EXISTS", message="processing activity exists")
        if SHELTER not in activity.maintainers:
            raise ServiceError(
                "PERMISSION_DENIED",
                refusals(["Only a maintaining party's privacy officer (Bijlage 3)."]),
            )
        added = Activity(**{**activity.__dict__, "version": "1"})
        self.registered[added.activity_id] = added
        return added

    def change_activity(self, call, activity, *, expected_version, reason):  # noqa: ANN001, ANN201
        self.asked.append(("change", activity))
        if self.refusal is not None:
            raise self.refusal
        raise ServiceError("INVALID_ARGUMENT", fields={"activity.retention": "required"})

    def retire_activity(self, call, activity_id, reason):  # noqa: ANN001, ANN201
        self.asked.append(("retire", activity_id))
        if self.refusal is not None:
            raise self.refusal

    # breaches
    def breaches(self, call):  # noqa: ANN001, ANN201
        return [
            Breach(
                "brc-1", None, None, SHELTER, "misdirected_email", ("care_history",), 1, (),
                SEALED, "deleted", False, None, False,
            )
        ]  # fmt: skip

    def record_breach(self, call, breach):  # noqa: ANN001, ANN201
        self.asked.append(("breach", breach))
        if not breach.measures:
            raise ServiceError(
                "INVALID_ARGUMENT", fields={"breach.measures": "at most 4000 characters"}
            )
        return "brc-2"

    # correction notices
    def correction_notices(self, call):  # noqa: ANN001, ANN201
        return [NOTICE]

    def correction_notice(self, call, request_id):  # noqa: ANN001, ANN201
        return NOTICE if request_id == NOTICE.subject_request_id else None


class FakeDisclosure:
    def __init__(self) -> None:
        self.privacy = FakeOffice()
        self.provided: list[dict[str, object]] = []

    def provide(self, call, case_id, **kw):  # noqa: ANN001, ANN003, ANN201
        self.provided.append({"case_id": case_id, **kw})
        if not kw["text"]:
            raise ServiceError("INVALID_ARGUMENT", fields={"content": "required"})
        return "itm-2"


@pytest.fixture
def app(tmp_path):
    services = SimpleNamespace(
        intake=None, casework=None, governance=FakeGovernance(), disclosure=FakeDisclosure()
    )
    return dev_console(tmp_path, services)


def _office(app) -> FakeOffice:  # noqa: ANN001
    return app.extensions["console.services"].disclosure.privacy


def _post(client, path: str, data: dict):  # noqa: ANN001, ANN202
    return client.post(path, data={**data, "csrf_token": csrf(client, path)})


def test_every_new_post_needs_its_csrf_token_and_every_form_carries_one(app):
    officer, worker = signed_in(app, "fg-fenna"), signed_in(app, "lh-bram")
    for client, path in (
        (officer, "/privacy/breaches/new"),
        (officer, "/privacy/processing-activities/new"),
        (worker, "/corrections/sr-1"),
    ):
        assert client.post(path, data={}).status_code == 400, path
        page = client.get(path).get_data(as_text=True)
        forms = page.count('method="post"')
        assert forms >= 2 and page.count('name="csrf_token"') == forms, path


def test_a_breach_is_recorded_as_typed_and_the_register_shows_it_as_it_answers(app):
    client = signed_in(app, "fg-fenna")
    r = _post(
        client,
        "/privacy/breaches/new",
        {
            "detected_at": "2026-12-01T09:30",
            "nature": "misdirected_email",
            "data_categories": ["care_history", "not_a_category"],
            "subjects_affected": "3",
            "case_ids": "case-1, case-2",
            "consequences": "sent to a colleague",
            "measures": "deleted",
            "reported_to_authority": "yes",
            "reported_at": "2026-12-01T12:00",
        },
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="breach-number">brc-2<' in page
    (_, sent), = _office(app).asked  # fmt: skip
    assert isinstance(sent, NewBreach)
    # Dutch time (CET in December) to UTC; codes only from the form's lists.
    assert sent.detected_at == datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)
    assert sent.reported_at == datetime(2026, 12, 1, 11, 0, tzinfo=timezone.utc)
    assert sent.data_categories == ("care_history",) and sent.case_ids == ("case-1", "case-2")
    assert sent.subjects_affected == 3 and sent.reported_to_authority
    assert not sent.subjects_informed
    # The register's own answer: a text it could not open stays as it says.
    assert SEALED in page and "sent to a colleague" not in page


def test_a_refused_breach_names_the_field_next_to_it(app):
    client = signed_in(app, "fg-fenna")
    r = _post(
        client,
        "/privacy/breaches/new",
        {"detected_at": "not a time", "nature": "made_up", "subjects_affected": "many"},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and "Traceback" not in page
    error = re.search(r'<p class="no field-error" id="measures-error">(.*?)</p>', page, re.S)
    assert error and "at most 4000 characters" in error.group(1)
    assert 'aria-describedby="measures-error"' in page
    (_, sent), = _office(app).asked  # fmt: skip
    # What the form cannot carry goes to the register as missing, for it to refuse.
    assert sent.detected_at is None and sent.nature == "" and sent.subjects_affected == -1


def test_an_activity_is_added_and_the_refusals_are_shown_in_place(app):
    client = signed_in(app, "fg-fenna")
    fields = {
        "activity_id": "LH-VA-2",
        "name": "Shelter notes",
        "controller": "Leger des Heils",
        "purpose": "care coordination",
        "subject_categories": "clients\n\nrelatives",
        "data_categories": "care history",
        "recipients": "the case's parties",
        "legal_basis": "GDPR art. 6(1)(e)",
        "transfers_outside_eea": "none",
        "retention": "until the case closes",
        "maintainers": [SHELTER],
        "reason": "new in the Zorgtafel",
    }
    r = _post(client, "/privacy/processing-activities/new", {**fields, "name": ""})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="name-error"' in page and 'value="LH-VA-2"' in page
    r = _post(client, "/privacy/processing-activities/new", {**fields, "maintainers": [OTHER]})
    assert r.status_code == 403 and "Bijlage 3" in r.get_data(as_text=True)
    r = _post(client, "/privacy/processing-activities/new", fields)
    assert r.status_code == 200 and 'id="added"' in r.get_data(as_text=True)
    added = _office(app).asked[-1][1]
    assert isinstance(added, Activity)
    assert added.subject_categories == ("clients", "relatives")
    assert added.maintainers == (SHELTER,)
    r = _post(client, "/privacy/processing-activities/new", fields)  # the number is taken
    assert r.status_code == 409 and 'id="added"' not in r.get_data(as_text=True)


def test_a_refused_change_keeps_what_was_typed_next_to_the_error(app):
    client = signed_in(app, "fg-fenna")
    path = f"/privacy/processing-activities/{ACTIVITY.activity_id}"
    r = _post(client, path, {"name": "Renamed notes", "retention": "", "reason": "why"})
    page = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="retention-error"' in page
    assert 'value="Renamed notes"' in page  # not the entry as it is
    assert 'id="retire_reason-error"' not in page  # the other form is not blamed


def test_the_provider_gives_the_corrected_version_of_a_listed_notice_only(app):
    worker = signed_in(app, "lh-bram")
    listed = worker.get("/corrections").get_data(as_text=True)
    assert "/corrections/sr-1" in listed and "itm-1" in listed
    assert worker.get("/corrections/sr-2").status_code == 404  # as one never made
    r = _post(worker, "/corrections/sr-1", {"content": "", "category": "health"})
    assert r.status_code == 400 and 'id="content-error"' in r.get_data(as_text=True)
    r = _post(
        worker,
        "/corrections/sr-1",
        {"content": "the stay began in April", "category": "health", "purposes": ["safety"]},
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="item-number">itm-2<' in page
    sent = app.extensions["console.services"].disclosure.provided[-1]
    assert sent["supersedes"] == "itm-1" and sent["case_id"] == "case-1"
    assert sent["purposes"] == ["safety"] and "the stay began" not in page


def test_every_category_an_item_can_have_can_be_named_in_a_breach():
    assert set(CATEGORIES) <= set(DATA)


@pytest.mark.parametrize("action", ["", "/retire"])
def test_a_registers_form_refused_by_role_reads_nothing_after(app, action):
    """A caseworker posts the change or the retirement of an entry (the role table refuses
    both before disclosure reads anything): the reasons are shown at once, without reading
    the entry and its history after the refusal (the history, which her role may not list
    either, was a second refusal of the one action, in disclosure's access log and her budget
    of refusals)."""
    office = _office(app)
    office.refusal = answered(
        PermissionDenied(
            ["The role caseworker may not call ChangeProcessingActivity (Bijlage 3)."],
            "d-9",
            "r",
            "zorgtafel.authz",
        )
    )
    worker = signed_in(app, "lh-bram")
    path = f"/privacy/processing-activities/{ACTIVITY.activity_id}{action}"
    token = csrf(worker, "/")
    office.reads.clear()
    r = worker.post(path, data={"name": "x", "reason": "why", "csrf_token": token})
    assert office.asked[-1][0] == ("retire" if action else "change")
    assert "activity_history" not in office.reads
    assert office.reads == ([] if action else ["activity"])  # the change reads the entry first
    assert r.status_code == 403 and "may not call ChangeProcessingActivity" in r.get_data(
        as_text=True
    )
    office.refusal = answered(NotShared("processing activity", "activity_id"))
    office.reads.clear()
    r = worker.post(path, data={"name": "x", "reason": "why", "csrf_token": token})
    assert "activity_history" not in office.reads and r.status_code == 404


def test_a_worker_opens_an_entry_of_the_register_without_its_history(app):
    """The register is every party's to read (ListProcessingActivities), its history only the
    privacy officers' (the role table refuses a worker ListProcessingActivityHistory): a
    worker opening an entry from the register sees it, without the history, which the page
    no longer asks for in her name (that read was refused, the page a refusal); the officer
    sees both."""
    office = _office(app)
    worker = signed_in(app, "lh-bram")
    office.reads.clear()
    r = worker.get(f"/privacy/processing-activities/{ACTIVITY.activity_id}")
    assert r.status_code == 200 and ACTIVITY.name in r.get_data(as_text=True)
    assert office.reads == ["activity"]
    assert 'id="history"' not in r.get_data(as_text=True)
    assert 'method="post"' not in r.get_data(as_text=True).split("<main", 1)[1]  # no forms
    officer = signed_in(app, "fg-fenna")
    r = officer.get(f"/privacy/processing-activities/{ACTIVITY.activity_id}")
    assert 'id="history"' in r.get_data(as_text=True)


def test_an_auditor_reads_the_registers_and_their_history_without_their_forms(app):
    """The role table lets an auditor read the access log, the subject requests with their
    decisions, the override reviews, the breach register and the register of processing
    activities with its history (Bijlage 3, NEN 7513; GDPR art. 30): each is in the auditor's
    menu and on the start page, the register's history is shown (asked for in her name), and
    none of the privacy officer's forms (add, change, retire, record a breach) is offered."""
    office = _office(app)
    auditor = signed_in(app, "au-aart")
    start = auditor.get("/").get_data(as_text=True)
    nav, tiles = start.split("<nav", 1)[1].split("</nav>", 1)
    for href in (
        "/privacy/access-log",
        "/privacy/subject-requests",
        "/privacy/reviews",
        "/privacy/processing-activities",
        "/privacy/breaches",
    ):
        assert f'href="{href}"' in nav and f'href="{href}"' in tiles, href
    assert 'href="/privacy/subject-data-report"' not in start  # the officer's alone
    office.reads.clear()
    r = auditor.get("/privacy/processing-activities")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and office.reads == ["activity_history"]
    assert "history-heading" in html and "/privacy/processing-activities/new" not in html
    office.reads.clear()
    r = auditor.get(f"/privacy/processing-activities/{ACTIVITY.activity_id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and office.reads == ["activity", "activity_history"]
    assert 'id="history"' in html and 'method="post"' not in html.split("<main", 1)[1]
    r = auditor.get("/privacy/breaches")
    assert r.status_code == 200 and "/privacy/breaches/new" not in r.get_data(as_text=True)


def test_the_officer_and_the_auditor_download_each_register_as_disclosure_exports_it(app):
    """The role table lets privacy officers and auditors export the registers (ExportRegister,
    Bijlage 3; GDPR art. 30, 33(5)): the page of each register offers them its download, which
    is disclosure's document as it comes (an attachment, not kept by the browser); a worker,
    who reads the register of processing activities, is offered none, and the download's
    address answers the role table's refusal at once, asking disclosure nothing in its name."""
    office = _office(app)
    exported: list[str] = []

    def export_register(call, register):  # noqa: ANN001, ANN202
        exported.append(register)
        return "application/json", b'{"register": "%s"}' % register.encode()

    office.export_register = export_register  # type: ignore[attr-defined]
    pages = {"processing": "/privacy/processing-activities", "breaches": "/privacy/breaches"}
    for person in ("fg-fenna", "au-aart"):
        client = signed_in(app, person)
        for register, page in pages.items():
            link = f'href="/privacy/registers/{register}/export"'
            assert link in client.get(page).get_data(as_text=True), (person, register)
            r = client.get(f"/privacy/registers/{register}/export")
            assert r.status_code == 200 and r.mimetype == "application/json", (person, register)
            assert r.get_data() == b'{"register": "%s"}' % register.encode()
            assert r.headers["Content-Disposition"].startswith("attachment;")
            assert r.headers["Cache-Control"] == "no-store"
    assert exported == ["processing", "breaches"] * 2
    worker = signed_in(app, "lh-bram")
    assert "/privacy/registers/" not in worker.get(pages["processing"]).get_data(as_text=True)
    for register in pages:
        r = worker.get(f"/privacy/registers/{register}/export")
        assert r.status_code == 403 and "may not call" in r.get_data(as_text=True)
    assert signed_in(app, "fg-fenna").get("/privacy/registers/other/export").status_code == 404
    assert exported == ["processing", "breaches"] * 2
