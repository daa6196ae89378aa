"""An item is asked for within the case whose page asks for it (the request page and the safety
override): disclosure answers for an item of another case as for one it does not hold, so an
item of case B never appears on case A's page as if it were A's (art. 8.4c, 16.2)."""

from __future__ import annotations

from types import SimpleNamespace

from services.console.adapters.disclosure import Disclosure
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds


def recording_stub() -> tuple[SimpleNamespace, list]:
    asked: list = []

    def answer(response):  # noqa: ANN001, ANN202
        return lambda request: asked.append(request) or response

    stub = SimpleNamespace(
        RequestDisclosure=answer(ds.RequestDisclosureResponse()),
        BreakGlass=answer(ds.RequestDisclosureResponse()),
    )
    return stub, asked


def direct(method, request):  # noqa: ANN001, ANN201
    return method(request)


def test_an_item_is_asked_for_within_the_case_whose_page_asks_for_it():
    stub, asked = recording_stub()
    Disclosure(stub).request(direct, "case-a", "item-b", "care_coordination")
    assert [(r.case_id, list(r.item_ids)) for r in asked] == [("case-a", ["item-b"])]


def test_a_safety_override_is_asked_for_within_the_case_whose_page_asks_for_it():
    stub, asked = recording_stub()
    Disclosure(stub).privacy.break_glass(
        direct,
        case_id="case-a",
        item_id="item-b",
        purpose="safety",
        justification="acute danger",
        consulted_colleague="colleague",
        informed_status="",
        informed="",
        informed_by=None,
    )
    assert [(r.case_id, list(r.item_ids)) for r in asked] == [("case-a", ["item-b"])]
