"""Asked for a case's items (of a category or all), a person with a part in the case is shown
none its party does not need (art. 8.4c): not released, and not listed among the refused either
(their ids, categories and the provider's terms are case information it has no need for), and a
category outside its need is answered as one the case holds none of. Every refusal is in the
access log all the same. Handlers on a migrated database and the embedded policy engine."""

from __future__ import annotations

import dataclasses

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.disclosure_need import case_where_cello_needs_housing_only, provide_of
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    PROVIDER,
    provide_cmd,
)
from zorgtafel.kernel.errors import NotFound, PermissionDenied

disclosure_platform = base.disclosure_platform
deps = base.deps


def _read(platform, deps, case_id: str, category: str = ""):
    with platform.uow_factory() as uow:
        return disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="read", purpose="care_coordination", case_id=case_id, category=category
            ),
            CARER,
        )


def _logged_denied(platform, item_id: str) -> list[dict]:
    with platform.uow_factory() as uow:
        return [
            r
            for r in uow.access_log.latest("party", CELLO)
            if r["resource"] == item_id and r["result"] == "denied"
        ]


def test_a_case_listing_shows_no_item_the_party_does_not_need_not_even_as_refused(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    health = provide_of(platform, deps, case_id, "health")
    housing = provide_of(platform, deps, case_id, "housing")
    outcome = _read(platform, deps, case_id)
    assert [r.item_id for r in outcome.released] == [housing]
    assert [d.item_id for d in outcome.denied] == []
    assert not any(health in str(x) or "health" in str(x) for x in outcome.released)
    # The refusal is logged all the same (NEN 7513: every decision, refused or not).
    assert len(_logged_denied(platform, health)) == 1


def test_a_category_outside_the_need_is_answered_as_one_the_case_holds_none_of(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    health = provide_of(platform, deps, case_id, "health")
    with pytest.raises(NotFound) as held:
        _read(platform, deps, case_id, "health")
    with pytest.raises(NotFound) as none:
        _read(platform, deps, case_id, "legal")
    assert str(held.value) == str(none.value)
    assert len(_logged_denied(platform, health)) == 1
    # A case holding only items the party does not need: as a case holding none.
    only_health = case_where_cello_needs_housing_only(disclosure_platform)
    provide_of(platform, deps, only_health, "health")
    with pytest.raises(NotFound) as listed:
        _read(platform, deps, only_health)
    assert str(listed.value) == str(none.value)


def test_an_item_the_party_needs_refused_on_other_grounds_is_still_listed_as_refused(
    disclosure_platform, deps
):
    """Within its need the refusal stays (the person may ask the provider or break the glass)."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    cmd = dataclasses.replace(provide_cmd(case_id, purposes=("safety",)), category="housing")
    with platform.uow_factory() as uow:
        housing = items.provide(deps, uow, cmd, PROVIDER)
        uow.commit()
    with pytest.raises(PermissionDenied) as refused:
        _read(platform, deps, case_id, "housing")
    assert any("purpose" in r for r in refused.value.reasons)
    assert housing


def _pre_read(platform, deps, case_id: str, *item_ids: str):
    with platform.uow_factory() as uow:
        return disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="pre_read", purpose="care_coordination", case_id=case_id, item_ids=item_ids
            ),
            CARER,
        )


def _provide_for_pre_read(platform, deps, case_id: str, category: str, allowed: bool) -> str:
    cmd = dataclasses.replace(provide_cmd(case_id, pre_read_allowed=allowed), category=category)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, cmd, PROVIDER)
        uow.commit()
    return item_id


def test_a_pre_read_of_an_item_outside_the_need_is_marked_so_and_names_nothing_of_it(
    disclosure_platform, deps
):
    """Casework asks a pre-read set item by item on the reader's behalf and lists what is
    withheld: the refusal of an item the reader's party does not need says so (the flag casework
    leaves it out by) and names nothing of it, neither its category nor the provider's terms
    (art. 8.4c); the refusal is logged all the same."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    health = _provide_for_pre_read(platform, deps, case_id, "health", allowed=True)
    housing = _provide_for_pre_read(platform, deps, case_id, "housing", allowed=True)
    with pytest.raises(PermissionDenied) as refused:
        _pre_read(platform, deps, case_id, health)
    assert refused.value.flags == {"outside_need": "true"}
    assert refused.value.reasons == (disclosure.OUTSIDE_NEED,)
    assert "health" not in str(refused.value.reasons) and "12.2f" not in str(refused.value)
    assert len(_logged_denied(platform, health)) == 1
    # Asked together with one released: the refused one is marked, its reasons name nothing.
    outcome = _pre_read(platform, deps, case_id, housing, health)
    assert [r.item_id for r in outcome.released] == [housing]
    [denied] = outcome.denied
    assert (denied.item_id, denied.outside_need) == (health, True)
    assert denied.reasons == (disclosure.OUTSIDE_NEED,)
    assert len(_logged_denied(platform, health)) == 2


def test_a_pre_read_refused_on_other_grounds_within_the_need_keeps_its_reasons_unmarked(
    disclosure_platform, deps
):
    """An item the party needs whose provider did not agree to pre-reading (12.2f) is refused
    with that reason and no outside_need flag: casework still lists it as withheld."""
    platform, _ = disclosure_platform
    case_id = case_where_cello_needs_housing_only(disclosure_platform)
    housing = _provide_for_pre_read(platform, deps, case_id, "housing", allowed=False)
    agreed = _provide_for_pre_read(platform, deps, case_id, "housing", allowed=True)
    with pytest.raises(PermissionDenied) as refused:
        _pre_read(platform, deps, case_id, housing)
    assert refused.value.flags == {}
    assert any("12.2f" in r for r in refused.value.reasons)
    outcome = _pre_read(platform, deps, case_id, agreed, housing)
    [denied] = outcome.denied
    assert (denied.item_id, denied.outside_need) == (housing, False)
    assert any("12.2f" in r for r in denied.reasons)
