"""The console's other forms (not a case's: those are in test_case_pages.py) opened by their
address by a role the role table (policies/rego/authz/data.json) refuses the form's method
whatever the object: each answers the console's 403 page with the role table's words at once,
alike for any number in the address, and no service is asked in that person's name (the ask
could only be a refusal counted in the person's budget); a role the table allows gets the
form (or, for a number it has no part in, the one answer of a number never given out)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from services.console.adapters.calls import ServiceError
from tests.console.test_app import dev_console, signed_in
from tests.console.test_case_pages import ROOT, _page_text, role_table_people

# The form's address (``{}``: a number) and the one method its submit calls.
FORMS = {
    "/nominations/new": "intake.v1.IntakeService/Nominate",
    "/triage/{}": "intake.v1.IntakeService/AnswerTriage",
    "/privacy/breaches/new": "disclosure.v1.DisclosureService/RecordBreach",
    "/privacy/processing-activities/new": "disclosure.v1.DisclosureService/AddProcessingActivity",
    "/subject-requests/new": "disclosure.v1.DisclosureService/SubmitSubjectRequest",
    "/privacy/subject-data-report": "disclosure.v1.DisclosureService/SubjectDataReport",
    "/corrections/{}": "disclosure.v1.DisclosureService/Provide",
}


class Asked:
    """Every service the console asks: records the ask and answers as for a number never
    given out (or no parties), so an allowed role's form renders."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.privacy = self

    def party_status(self, call, party):  # noqa: ANN001, ANN201
        return "active"  # every page's check that the person's party is still in

    def party_names(self, call):  # noqa: ANN001, ANN201
        self.asked.append("party_names")
        return {}

    def triage_question(self, call, case_id):  # noqa: ANN001, ANN201
        self.asked.append("triage_question")
        raise ServiceError("NOT_FOUND")

    def nomination(self, call, case_id):  # noqa: ANN001, ANN201
        self.asked.append("nomination")
        raise ServiceError("NOT_FOUND")

    def meeting(self, call, meeting_id):  # noqa: ANN001, ANN201
        self.asked.append("meeting")
        raise ServiceError("NOT_FOUND")

    def proposal(self, call, proposal_id):  # noqa: ANN001, ANN201
        self.asked.append("proposal")
        raise ServiceError("NOT_FOUND")

    def correction_notice(self, call, request_id):  # noqa: ANN001, ANN201
        self.asked.append("correction_notice")
        return None

    # The lists: one empty page each (and the access log's check not done).
    def worklist(self, call, stage="", page=""):  # noqa: ANN001, ANN201
        self.asked.append("worklist")
        return SimpleNamespace(rows=(), next_page_token="")

    def override_notices(self, call, page_token=""):  # noqa: ANN001, ANN201
        self.asked.append("override_notices")
        return SimpleNamespace(rows=(), next_page_token="")

    def informing_tasks(self, call, page_token=""):  # noqa: ANN001, ANN201
        self.asked.append("informing_tasks")
        return SimpleNamespace(rows=(), next_page_token="")

    def access_log(self, call, **query):  # noqa: ANN001, ANN003, ANN201
        self.asked.append("access_log")
        return SimpleNamespace(rows=(), next_page_token="")

    def verify_log(self, call):  # noqa: ANN001, ANN201
        self.asked.append("verify_log")
        raise ServiceError("UNAVAILABLE")

    def overdue(self, call, page=""):  # noqa: ANN001, ANN201
        self.asked.append("overdue")
        return SimpleNamespace(rows=(), next_page_token="")

    def awaiting_director(self, call, page=""):  # noqa: ANN001, ANN201
        self.asked.append("awaiting_director")
        return SimpleNamespace(rows=(), next_page_token="")

    def subject_requests(self, call, overdue_only=False):  # noqa: ANN001, ANN201
        self.asked.append("subject_requests")
        return ()

    def reviews(self, call):  # noqa: ANN001, ANN201
        self.asked.append("reviews")
        return ()

    def breaches(self, call):  # noqa: ANN001, ANN201
        self.asked.append("breaches")
        return ()

    def correction_notices(self, call):  # noqa: ANN001, ANN201
        self.asked.append("correction_notices")
        return ()

    def activities(self, call):  # noqa: ANN001, ANN201
        self.asked.append("activities")
        return ()

    def activity_history(self, call):  # noqa: ANN001, ANN201
        self.asked.append("activity_history")
        return ()


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("console-form-roles")
    asked = Asked()
    services = SimpleNamespace(
        intake=asked, casework=asked, governance=asked, disclosure=asked, bodies=asked
    )
    return dev_console(data_dir, services), asked


def test_a_form_the_role_may_never_use_answers_the_role_tables_refusal_at_once(shared, monkeypatch):
    _every_role_opens(shared, monkeypatch, FORMS)


# A page that shows one thing with its forms, by the one read the role table refuses the other
# roles whatever the thing (a nomination, a body's meeting, a proposal).
READS = {
    "/nominations/{}": "intake.v1.IntakeService/GetNomination",
    "/governance/meetings/{}": "governance.v1.GovernanceService/GetMeeting",
    "/governance/proposals/{}": "governance.v1.GovernanceService/GetProposal",
}


def test_a_page_whose_read_the_role_may_never_make_answers_the_refusal_at_once(shared, monkeypatch):
    _every_role_opens(shared, monkeypatch, READS)


# A list whose every read the role table refuses the other roles whatever the party: its first
# read's method (the overrides' informing tasks and the access log's check have the same roles).
LISTS = {
    "/worklist": "intake.v1.IntakeService/ListNominations",
    "/overrides": "disclosure.v1.DisclosureService/ListOverrideNotices",
    "/privacy/access-log": "disclosure.v1.DisclosureService/AccessLog",
    "/worklist/overdue": "casework.v1.CaseworkService/ListOverdueActions",
    "/worklist/awaiting-director": "casework.v1.CaseworkService/ListCasesAwaitingDirector",
    "/privacy/subject-requests": "disclosure.v1.DisclosureService/ListSubjectRequests",
    "/privacy/reviews": "disclosure.v1.DisclosureService/ListReviews",
    "/privacy/breaches": "disclosure.v1.DisclosureService/ListBreaches",
    "/corrections": "disclosure.v1.DisclosureService/ListCorrectionNotices",
    "/privacy/processing-activities": "disclosure.v1.DisclosureService/ListProcessingActivities",
}


def test_a_list_the_role_may_never_read_answers_the_refusal_at_once(shared, monkeypatch):
    table = json.loads((ROOT / "policies/rego/authz/data.json").read_text())["method_roles"]
    # Every read of each list is refused alike (else one refusal would still be asked for).
    for other in (
        "disclosure.v1.DisclosureService/ListInformingTasks",
        "disclosure.v1.DisclosureService/VerifyLog",
    ):
        assert table[f"/zorgtafel.{other}"]["roles"] in (
            table[f"/zorgtafel.{m}"]["roles"] for m in LISTS.values()
        ), other
    _every_role_opens(shared, monkeypatch, LISTS)


def _every_role_opens(shared, monkeypatch, forms: dict[str, str]) -> None:  # noqa: ANN001
    app, asked = shared
    table, roles = role_table_people(monkeypatch)
    refused = 0
    for role in roles:
        client = signed_in(app, f"p-{role}")
        for path, method in forms.items():
            asked.asked.clear()
            if role in table[f"/zorgtafel.{method}"]["roles"]:
                r = client.get(path.format("never"))
                assert r.status_code in (200, 404), (role, path, r.status_code)
                assert "may not call" not in r.get_data(as_text=True), (role, path)
                continue
            refused += 1
            pages = [client.get(path.format(number)) for number in ("case-0001", "never")]
            assert [p.status_code for p in pages] == [403, 403], (role, path)
            assert _page_text(pages[0], "case-0001") == _page_text(pages[1], "never"), path
            html = pages[0].get_data(as_text=True)
            assert f"may not call /zorgtafel.{method}" in html, (role, path)
            assert asked.asked == [], (role, path)
    assert refused >= len(forms) * 5
