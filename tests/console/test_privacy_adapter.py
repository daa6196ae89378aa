"""The console's privacy adapter translating disclosure's answers, without the services: the
override notices and the informing tasks are one shape of list (a page of disclosure's at a
time, with its continuation), each read from its own RPC."""

from __future__ import annotations

from services.console.adapters.privacy import PAGE_SIZE, PrivacyOffice
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds


def _notice(decision_id: str) -> ds.OverrideNotice:
    return ds.OverrideNotice(
        decision_id=decision_id,
        item_id="itm-1",
        case_id="case-1",
        provider="00000099000000000051",
        party="00000099000000000013",
        person="ehv-dirk",
        client_informed_status=ds.CLIENT_INFORMED_STATUS_NOT_YET,
        client_to_be_informed_by="2030-01-01",
    )


class Stub:
    def __init__(self) -> None:
        self.asked: list[tuple[str, object]] = []

    def ListOverrideNotices(self, request):  # noqa: ANN001, ANN201, N802 - the stub's name
        self.asked.append(("ListOverrideNotices", request))
        return ds.ListOverrideNoticesResponse(notices=[_notice("d-n")], next_page_token="nx")

    def ListInformingTasks(self, request):  # noqa: ANN001, ANN201, N802
        self.asked.append(("ListInformingTasks", request))
        return ds.ListInformingTasksResponse(tasks=[_notice("d-t")], next_page_token="")


def call(method, request):  # noqa: ANN001, ANN201 - a Caller without a channel
    return method(request)


def test_the_notices_and_the_tasks_are_each_a_page_of_their_own_rpc():
    stub = Stub()
    office = PrivacyOffice(stub)  # type: ignore[arg-type]
    notices = office.override_notices(call, "tok-1")
    tasks = office.informing_tasks(call)
    assert [n.decision_id for n in notices.rows] == ["d-n"] and notices.next_page_token == "nx"
    assert [t.decision_id for t in tasks.rows] == ["d-t"] and tasks.next_page_token == ""
    assert tasks.rows[0].informed_status == "not_yet" and tasks.rows[0].person == "ehv-dirk"
    assert [(name, r.page_size, r.page_token) for name, r in stub.asked] == [
        ("ListOverrideNotices", PAGE_SIZE, "tok-1"),
        ("ListInformingTasks", PAGE_SIZE, ""),
    ]


class PagingStub:
    """Disclosure's lists, each in two pages (AIP-158): the second asked with the first's
    token."""

    ROWS = {
        "ListSubjectRequests": (
            "requests",
            lambda n: ds.SubjectRequestRecord(subject_request_id=n),
        ),
        "ListReviews": ("reviews", lambda n: ds.Review(review_id=n)),
        "ListCorrectionNotices": ("notices", lambda n: ds.CorrectionNotice(subject_request_id=n)),
        "ListBreaches": ("breaches", lambda n: ds.Breach(breach_id=n)),
        "ListProcessingActivities": ("activities", lambda n: ds.ProcessingActivity(id=n)),
        "ListProcessingActivityHistory": (
            "changes",
            lambda n: ds.ProcessingActivityChange(activity_id=n),
        ),
    }

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def __getattr__(self, rpc: str):  # noqa: ANN204 - the stub's methods, by name
        field, row = self.ROWS[rpc]
        response = getattr(ds, f"{rpc}Response")

        def method(request):  # noqa: ANN001, ANN202
            self.asked.append((rpc, request.page_token))
            if not request.page_token:
                return response(**{field: [row(f"{rpc}-1")], "next_page_token": "p2"})
            return response(**{field: [row(f"{rpc}-2")]})

        return method


def test_every_list_of_the_privacy_pages_is_read_to_its_last_page():
    """A privacy officer's (or auditor's) subject requests, reviews, breaches and register
    with its history, and the correction notices: disclosure pages them (at most 500 a page); each page of the console
    shows them all, not only disclosure's first page."""
    stub = PagingStub()
    office = PrivacyOffice(stub)  # type: ignore[arg-type]
    got = {
        "ListSubjectRequests": [r.request_id for r in office.subject_requests(call)],
        "ListReviews": [r.review_id for r in office.reviews(call)],
        "ListCorrectionNotices": [n.subject_request_id for n in office.correction_notices(call)],
        "ListBreaches": [b.breach_id for b in office.breaches(call)],
        "ListProcessingActivities": [a.activity_id for a in office.activities(call)],
        "ListProcessingActivityHistory": [c.activity_id for c in office.activity_history(call)],
    }
    assert got == {rpc: [f"{rpc}-1", f"{rpc}-2"] for rpc in PagingStub.ROWS}
    assert sorted(stub.asked) == sorted(
        (rpc, token) for rpc in PagingStub.ROWS for token in ("", "p2")
    )


def test_a_register_is_exported_by_its_number_and_comes_back_as_given():
    class ExportStub:
        asked: list[int] = []

        def ExportRegister(self, request):  # noqa: ANN001, ANN201, N802 - the stub's name
            self.asked.append(request.register)
            return ds.ExportRegisterResponse(media_type="application/json", document=b"[]")

    stub = ExportStub()
    office = PrivacyOffice(stub)  # type: ignore[arg-type]
    assert office.export_register(call, "processing") == ("application/json", b"[]")
    assert office.export_register(call, "breaches") == ("application/json", b"[]")
    assert stub.asked == [ds.REGISTER_PROCESSING, ds.REGISTER_BREACHES]
