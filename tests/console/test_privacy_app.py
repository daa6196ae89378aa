"""The privacy pages' own guarantees, without a browser or the suite: every new POST needs its
CSRF token, a request this officer may not read answers as one never made, the subject data
report for a case the officer is no controller of reads as for a number never given out, and a
refused override shows the policy's reasons with their articles."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from services.console.adapters.calls import ServiceError, refusals
from services.console.adapters.privacy import Report, ServicePart, SubjectRequest
from services.console.app import create_app
from services.console.settings import ConsoleSettings
from tests.console.test_app import FakeGovernance, csrf, signed_in
from zorgtafel.kernel.devkeys import ensure_dev_keys

REQUEST = SubjectRequest(
    "sr-1", "correction", "ps-123", "case-1", "item-1", "ref", "000099", "", "", "",
    None, None, None, False,
)  # fmt: skip


class FakeOffice:
    def subject_requests(self, call, overdue_only=False):  # noqa: ANN001, ANN201
        return [] if overdue_only else [REQUEST]

    def subject_request(self, call, request_id):  # noqa: ANN001, ANN201
        return REQUEST if request_id == "sr-1" else None

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

    def override_notices(self, call):  # noqa: ANN001, ANN201
        return []

    def informing_tasks(self, call):  # noqa: ANN001, ANN201
        return []  # none of this person's party: "d-other" is another party's override

    def client_informed(self, call, decision_id, how):  # noqa: ANN001, ANN201
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
def app(tmp_path):
    ensure_dev_keys(tmp_path)
    settings = ConsoleSettings.from_env(
        {"ZORGTAFEL_ENV": "dev", "ZORGTAFEL_DATA_DIR": str(tmp_path)}
    )
    services = SimpleNamespace(
        intake=None,
        casework=FakeCasework(),
        governance=FakeGovernance(),
        disclosure=SimpleNamespace(privacy=FakeOffice()),
    )
    return create_app(settings, services)


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


def test_the_report_is_no_oracle_of_a_case(app):
    client = signed_in(app, "fg-gijs")

    def report(case_id: str) -> tuple[int, str]:
        r = client.post(
            "/privacy/subject-data-report",
            data={"case_id": case_id, "csrf_token": csrf(client, "/privacy/subject-data-report")},
        )
        return r.status_code, r.get_data(as_text=True).replace(case_id, "<case>")

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
