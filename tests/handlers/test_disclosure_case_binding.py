"""A request that names its case is bound to it (art. 8.4c, 12.2f): casework's pre-read set of
case A asks for each item with A's case id, and an item of another case is answered as an item
disclosure does not hold (NOT_FOUND to a person with a part in A, the refusal of an outsider
to anyone else): never decided on its own case, never logged as released for A's purpose.
Handlers called on a migrated database and the embedded policy engine."""

from __future__ import annotations

import uuid

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    FARENT,
    OUTSIDER,
    PROVIDER,
    open_case,
    provide_cmd,
)
from zorgtafel.kernel.errors import InvalidArgument, NotFound, PermissionDenied

disclosure_platform = base.disclosure_platform
deps = base.deps


def _provide_for_pre_reading(platform, deps, case_id: str) -> str:
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, provide_cmd(case_id, pre_read_allowed=True), PROVIDER)
        uow.commit()
    return item_id


def _pre_read(platform, deps, caller, case_id: str, *item_ids: str, **kw):
    with platform.uow_factory() as uow:
        return disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="pre_read",
                purpose="care_coordination",
                item_ids=item_ids,
                case_id=case_id,
                **kw,
            ),
            caller,
        )


def _logged(platform, party: str, item_id: str) -> list[dict]:
    with platform.uow_factory() as uow:
        return [r for r in uow.access_log.latest("party", party) if r["resource"] == item_id]


def test_an_item_of_another_case_is_not_found_in_the_named_case_and_not_logged(
    disclosure_platform, deps
):
    """CARER has a part in both cases; asked with case A, B's item is not found (as an unknown
    item is), nothing of it is decided or logged; A's own item is released as before."""
    platform, _ = disclosure_platform
    case_a, case_b = open_case(disclosure_platform), open_case(disclosure_platform)
    own = _provide_for_pre_reading(platform, deps, case_a)
    other = _provide_for_pre_reading(platform, deps, case_b)
    with pytest.raises(NotFound) as crossed:
        _pre_read(platform, deps, CARER, case_a, other)
    unknown = f"itm-{uuid.uuid4().hex}"
    with pytest.raises(NotFound) as missing:
        _pre_read(platform, deps, CARER, case_a, unknown)
    assert (crossed.value.resource_type, crossed.value.resource_name) == ("item", other)
    assert str(missing.value) == str(crossed.value).replace(other, unknown)
    with pytest.raises(NotFound):  # one item of another case: nothing of the request decided
        _pre_read(platform, deps, CARER, case_a, own, other)
    assert _logged(platform, CELLO, other) == [] and _logged(platform, CELLO, own) == []
    released = _pre_read(platform, deps, CARER, case_a, own).released
    assert [(r.item_id, r.case_id) for r in released] == [(own, case_a)]
    # Named with its own case, B's item is released as before.
    assert [r.item_id for r in _pre_read(platform, deps, CARER, case_b, other).released] == [other]


def test_an_outsider_naming_a_case_is_refused_alike_for_its_items_and_any_other(
    disclosure_platform, deps
):
    """FARENT has no part in case A: asked with A, A's item, B's item and an unknown id are
    refused with the same words (no oracle of which items belong to A), and the refusal of an
    item not of A is logged for A with no resource, never as a decision on B's item."""
    platform, _ = disclosure_platform
    case_a, case_b = open_case(disclosure_platform), open_case(disclosure_platform)
    own = _provide_for_pre_reading(platform, deps, case_a)
    other = _provide_for_pre_reading(platform, deps, case_b)
    answers = []
    for item_id in (own, other, f"itm-{uuid.uuid4().hex}"):
        with pytest.raises(PermissionDenied) as err:
            _pre_read(platform, deps, OUTSIDER, case_a, item_id)
        answers.append(err.value.reasons)
    assert answers[0] == answers[1] == answers[2]
    assert _logged(platform, FARENT, other) == []


def test_item_ids_with_a_category_are_still_refused_naming_the_category(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = _provide_for_pre_reading(platform, deps, case_id)
    with pytest.raises(InvalidArgument) as err:
        _pre_read(platform, deps, CARER, case_id, item_id, category="health")
    assert [f for f, _ in err.value.violations] == ["category"]
