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
