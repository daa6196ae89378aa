"""The privacy pages' own guarantees, without a browser or the suite: every new POST needs its
CSRF token, a request this officer may not read answers as one never made, the subject data
report for a case the officer is no controller of reads as for a number never given out, and a
refused override shows the policy's reasons with their articles."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest
from itsdangerous import TimestampSigner

from services.console.adapters.calls import ServiceError, refusals
from services.console.adapters.privacy import (
    PAGE_SIZE,
    CorrectionNotice,
    Notice,
    NoticePage,
    Report,
    ServicePart,
    SubjectRequest,
)
from tests.console.test_app import FakeGovernance, csrf, dev_console, shown, signed_in
from tests.console.test_case_pages import answered
from zorgtafel.kernel.errors import NotShared, PermissionDenied

REQUEST = SubjectRequest(
    "sr-1", "correction", "ps-123", "case-1", "item-1", "ref", "000099", "", "", "",
    None, None, None, False,
)  # fmt: skip


class FakeOffice:
    def __init__(self) -> None:
        self.reads: list[str] = []  # the lists read, in order
        self.refusal: ServiceError | None = None  # what the next form's call is answered

    def subject_requests(self, call, overdue_only=False):  # noqa: ANN001, ANN201
        return [] if overdue_only else [REQUEST]

    def subject_request(self, call, request_id):  # noqa: ANN001, ANN201
        self.reads.append("subject_requests")
        return REQUEST if request_id == "sr-1" else None

    def decide(self, call, request_id, *, granted, ground, reason):  # noqa: ANN001, ANN201
        if self.refusal is not None:
            raise self.refusal
        return REQUEST

    def subject_data_report(self, call, case_id):  # noqa: ANN001, ANN201
        if case_id == "denied":
            raise ServiceError("PERMISSION_DENIED", refusals([f"no controller of {case_id}"]))
        if case_id == "by-role":
            raise ServiceError(
                "PERMISSION_DENIED",
                refusals(["The role auditor may not call SubjectDataReport (Bijlage 3)."]),
                by_role=True,
            )
        status = "nothing_held" if case_id == "never" else "not_a_controller"
        return Report(
            tuple(
                ServicePart(s, status, (), (), (), "", tuple(refusals([f"about {case_id}"])))
                for s in ("intake", "casework")
            ),
            None,
        )

    notices: tuple = ()  # as disclosure pages them, newest first
    tasks: tuple = ()

    @staticmethod
    def _page(rows: tuple, page_token: str) -> NoticePage:
        """Disclosure's paging: a token continues after the row it names (keyset)."""
        start = int(page_token.removeprefix("after-")) if page_token else 0
        end = start + PAGE_SIZE
        return NoticePage(rows[start:end], f"after-{end}" if end < len(rows) else "")

    def correction_notices(self, call):  # noqa: ANN001, ANN201
        self.reads.append("correction_notices")
        return [CorrectionNotice("sr-1", "item-1", "case-1", "000099", None, "")]

    def override_notices(self, call, page_token=""):  # noqa: ANN001, ANN201
        self.reads.append("override_notices")
        return self._page(self.notices, page_token)

    def informing_tasks(self, call, page_token=""):  # noqa: ANN001, ANN201
        self.reads.append("informing_tasks")
        # None of this person's party unless a test adds them: "d-other" is another party's.
        return self._page(self.tasks, page_token)

    def client_informed(self, call, decision_id, how):  # noqa: ANN001, ANN201
        if self.refusal is not None:
            raise self.refusal
        # As disclosure answers: an override never made is not found; another party's exists
        # and is refused with the policy's reasons, which name it.
        if decision_id == "d-never":
            raise ServiceError("NOT_FOUND", message="safety override not found for that decision")
        raise ServiceError(
            "PERMISSION_DENIED",
            refusals([f"Only the overriding party records {decision_id} (Bijlage 3)."]),
        )

    def break_glass(self, call, **kw):  # noqa: ANN001, ANN003, ANN201
        raise ServiceError(
            "PERMISSION_DENIED", refusals(["The safety override needs a part (art. 8.4c)."])
        )


class FakeCasework:
    def case(self, call, case_id):  # noqa: ANN001, ANN201
        return None


@pytest.fixture
def office():
    return FakeOffice()


@pytest.fixture
def app(tmp_path, office):
    services = SimpleNamespace(
        intake=None,
        casework=FakeCasework(),
        governance=FakeGovernance(),
        disclosure=SimpleNamespace(privacy=office),
    )
    return dev_console(tmp_path, services)


def test_every_new_post_needs_its_csrf_token(app):
    client = signed_in(app, "fg-fenna")
    for path in (
        "/privacy/subject-requests/sr-1",
        "/subject-requests/new",
        "/privacy/subject-data-report",
        "/cases/case-1/break-glass",
        "/overrides/d-1/informed",
    ):
        assert client.post(path, data={}).status_code == 400, path


def test_every_new_form_carries_its_csrf_token(app):
    officer = signed_in(app, "fg-fenna")
    worker = signed_in(app, "ehv-dirk")
    for client, path in (
        (officer, "/privacy/subject-requests/sr-1"),
        (officer, "/privacy/subject-data-report"),
        (worker, "/subject-requests/new"),
        (worker, "/cases/case-1/break-glass"),
    ):
        page = client.get(path).get_data(as_text=True)
        forms = page.count('method="post"')
        assert forms >= 2 and page.count('name="csrf_token"') == forms, path


def test_a_request_not_listed_answers_as_one_never_made(app):
    client = signed_in(app, "fg-fenna")
    r = client.get("/privacy/subject-requests/sr-1")
    assert r.status_code == 200 and "ps-123" in r.get_data(as_text=True)
    assert client.get("/privacy/subject-requests/sr-2").status_code == 404
    listed = client.get("/privacy/subject-requests").get_data(as_text=True)
    assert "/privacy/subject-requests/sr-1" in listed and "ps-123" not in listed


@pytest.fixture
def ticking_clock(monkeypatch):
    """Every CSRF token signed a second after the one before (itsdangerous signs the token with
    the second it is made): two pages compared are never made within the same second, as on a
    busy machine, whatever this machine's speed."""
    seconds = itertools.count(1_800_000_000)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: next(seconds))


def test_the_report_is_no_oracle_of_a_case(app, ticking_clock):
    client = signed_in(app, "fg-gijs")

    def report(case_id: str) -> tuple[int, str]:
        r = client.post(
            "/privacy/subject-data-report",
            data={"case_id": case_id, "csrf_token": csrf(client, "/privacy/subject-data-report")},
        )
        # The session's CSRF token carries the second it was signed, not the case: left out.
        page = re.sub(r'name="csrf_token" value="[^"]+"', "", r.get_data(as_text=True))
        return r.status_code, page.replace(case_id, "<case>")

    never, real = report("never"), report("real")
    assert never == real and "about" not in real[1]
    status, page = report("denied")
    assert status == 404 and "no controller" not in page
    status, page = report("by-role")  # the role table's reasons name no case: shown
    assert status == 403 and "may not call SubjectDataReport" in page


def test_a_refused_override_shows_its_reasons_and_article(app):
    client = signed_in(app, "ehv-dirk")
    r = client.post(
        "/cases/case-1/break-glass",
        data={
            "item_id": "item-1",
            "purpose": "safety",
            "csrf_token": csrf(client, "/cases/case-1/break-glass"),
        },
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and "art. 8.4c" in page


def test_another_partys_override_answers_as_one_never_made(app):
    """Recording that the client was informed of an override of another party answers exactly
    as for a decision number never given out: no oracle of what overrides exist."""
    client = signed_in(app, "ehv-dirk")
    answers = []
    for decision in ("d-other", "d-never"):
        r = client.post(
            f"/overrides/{decision}/informed",
            data={"how": "in person", "csrf_token": csrf(client, "/overrides")},
        )
        page = re.sub(r'name="csrf_token" value="[^"]+"', "", r.get_data(as_text=True))
        answers.append((r.status_code, page.replace(decision, "<n>")))
    assert answers[0] == answers[1] and answers[0][0] == 404
    assert "Bijlage 3" not in answers[0][1]


def _notice(n: int) -> Notice:
    return Notice(
        f"d-{n:04d}", f"item-{n}", "case-1", "000099", "000099", "ehv-dirk",
        None, "not_yet", "2030-01-01", None, False,
    )  # fmt: skip


def _rows(html: str, part: str) -> list[str]:
    """The decision numbers in the page's list ``part`` (the notices' table, the tasks)."""
    end = "</table>" if part == "notices" else "</section>"
    return re.findall(r"d-\d{4}", html.split(f'id="{part}"', 1)[1].split(end, 1)[0])


def _link(html: str, link_id: str) -> str:
    found = re.findall(rf'<a rel="(?:next|prev)" id="{link_id}" href="([^"]+)"', html)
    assert len(found) == 1, (link_id, found)
    return found[0].replace("&amp;", "&")


def test_the_overrides_page_pages_the_notices_and_the_tasks(app, office):
    """More override notices and informing tasks than one page holds: each list shows a page
    of disclosure's, with a link to the next (disclosure's page token) and back to the one
    before, every notice reachable once; the two lists are paged apart."""
    office.notices = tuple(_notice(n) for n in range(2 * PAGE_SIZE + 3))
    office.tasks = tuple(_notice(n) for n in range(5000, 5000 + PAGE_SIZE + 1))
    client = signed_in(app, "fg-fenna")

    def get(url: str) -> str:
        return shown(client, url)

    pages = [get("/overrides")]
    assert "notices-prev" not in pages[0] and "tasks-prev" not in pages[0]
    while "notices-next" in pages[-1]:
        pages.append(get(_link(pages[-1], "notices-next")))
    assert len(pages) == 3
    seen = [n for page in pages for n in _rows(page, "notices")]
    assert seen == [n.decision_id for n in office.notices]
    for page in pages:  # the tasks stay on their first page meanwhile
        assert _rows(page, "tasks") == [t.decision_id for t in office.tasks[:PAGE_SIZE]]
    assert _rows(get(_link(pages[2], "notices-prev")), "notices") == _rows(pages[1], "notices")
    assert _rows(get(_link(pages[1], "notices-prev")), "notices") == _rows(pages[0], "notices")
    tasks = get(_link(pages[1], "tasks-next"))
    assert _rows(tasks, "tasks") == [f"d-{5000 + PAGE_SIZE}"]
    assert _rows(tasks, "notices") == _rows(pages[1], "notices")  # and the notices theirs
    assert "tasks-next" not in tasks
    assert _rows(get(_link(tasks, "tasks-prev")), "tasks") == _rows(pages[0], "tasks")


def test_a_page_token_that_is_no_token_gives_the_first_page(app, office):
    office.notices = tuple(_notice(n) for n in range(3))
    client = signed_in(app, "fg-fenna")
    r = client.get("/overrides?notices=%3Cscript%3E")
    assert r.status_code == 200
    assert _rows(r.get_data(as_text=True), "notices") == ["d-0000", "d-0001", "d-0002"]


def test_a_refusal_for_a_task_past_the_first_page_shows_its_reasons(app, office):
    """The person's own informing task on disclosure's second page: its refusal is shown with
    the reasons, as on the first (only another party's override answers as one never made)."""
    office.tasks = (
        *(_notice(n) for n in range(PAGE_SIZE)),
        replace(_notice(0), decision_id="d-other"),
    )
    client = signed_in(app, "ehv-dirk")
    r = client.post(
        "/overrides/d-other/informed",
        data={"how": "in person", "csrf_token": csrf(client, "/overrides")},
    )
    assert r.status_code == 403 and "Bijlage 3" in r.get_data(as_text=True)


def test_the_privacy_officer_has_her_partys_correction_notices_in_her_menu(app):
    """All of her party's correction notices (Bijlage 3), from her menu and her start page,
    without the link to provide the corrected version, which is her party's workers' (the
    role table refuses her Provide); a worker keeps the link."""
    officer = signed_in(app, "fg-fenna")
    start = officer.get("/").get_data(as_text=True)
    nav = start.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert 'href="/corrections"' in nav
    assert 'href="/corrections"' in start.split("</nav>", 1)[1]  # a tile on the start page
    r = officer.get("/corrections")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "item-1" in html and 'href="/corrections/sr-1"' not in html
    worker = signed_in(app, "lh-bram")
    assert 'href="/corrections/sr-1"' in worker.get("/corrections").get_data(as_text=True)


BY_ROLE = PermissionDenied(
    ["The role auditor may not call RecordClientInformed (Bijlage 3, authorisation model)."],
    "d-8",
    "r",
    "zorgtafel.authz",
)


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/overrides/d-1/informed", {"how": "in person"}),
        ("/privacy/subject-requests/sr-1", {"outcome": "granted", "reason": "ok"}),
    ],
)
def test_a_form_refused_by_role_is_shown_without_reading_the_list_again(app, office, path, form):
    """The role table refuses the form's call before the service reads anything: its reasons
    are shown at once, without reading the person's tasks or requests after it (for a role
    the table does not let list them either, that read was a second refusal of the one action,
    in disclosure's access log and the person's budget of refusals); the same page for a
    number never given out."""
    client = signed_in(app, "fg-fenna")
    token = csrf(client, "/")
    office.refusal = answered(BY_ROLE)
    office.reads.clear()
    r = client.post(path, data={**form, "csrf_token": token})
    assert office.reads == []
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "may not call RecordClientInformed" in html
    never = client.post(
        path.replace("sr-1", "sr-9").replace("d-1", "d-9"), data={**form, "csrf_token": token}
    )
    assert re.sub(r'name="csrf_token" value="[^"]+"', "", never.get_data(as_text=True)) == re.sub(
        r'name="csrf_token" value="[^"]+"', "", html
    )


def test_a_form_refused_as_for_a_number_never_given_out_reads_nothing_after(app, office):
    client = signed_in(app, "fg-fenna")
    token = csrf(client, "/")
    never = client.get("/privacy/subject-requests/never")
    office.refusal = answered(NotShared("subject request", "subject_request_id"))
    office.reads.clear()
    for path, form in (
        ("/overrides/d-1/informed", {"how": "in person"}),
        ("/privacy/subject-requests/sr-1", {"outcome": "granted", "reason": "ok"}),
    ):
        r = client.post(path, data={**form, "csrf_token": token})
        assert r.status_code == never.status_code == 404, path
    assert office.reads == []


def _menu(client) -> str:  # noqa: ANN001 - a signed-in test client
    return client.get("/").get_data(as_text=True).split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("worker", ["lh-bram", "pd-anna"])
def test_a_worker_has_the_correction_notices_in_the_menu(app, worker):
    """The role table lets a worker of a party list its correction notices (the cases the
    person has a part in, art. 16.2, Bijlage 3) and provide the corrected version: the page
    is in the worker's menu, as it is on the start page and in the privacy officer's menu."""
    client = signed_in(app, worker)
    assert 'href="/corrections"' in _menu(client)
    r = client.get("/corrections")
    assert r.status_code == 200 and 'href="/corrections/sr-1"' in r.get_data(as_text=True)
