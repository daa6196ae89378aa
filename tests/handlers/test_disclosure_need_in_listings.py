"""Asked for a case's items (of a category or all), a person with a part in the case is shown
none its party does not need (art. 8.4c): not released, and not listed among the refused either
(their ids, categories and the provider's terms are case information it has no need for), and a
category outside its need is answered as one the case holds none of. Every refusal is in the
access log all the same. Handlers on a migrated database and the embedded policy engine."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import disclosure, items
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import (
    CARER,
    CELLO,
    GGZ,
    PROVIDER,
    open_case,
    provide_cmd,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.errors import NotFound, PermissionDenied
from zorgtafel.testing import deliver

disclosure_platform = base.disclosure_platform
deps = base.deps


def _case_where_cello_needs_housing_only(disclosure_platform) -> str:
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    roles = {
        CELLO: {"role": "care_provider", "information_need": ["housing"]},
        GGZ: {"role": "mental_health", "information_need": ["health", "housing"]},
    }
    at = datetime.now(timezone.utc).isoformat()
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles, "changed_at": at})
    return case_id


def _provide(platform, deps, case_id: str, category: str) -> str:
    cmd = dataclasses.replace(provide_cmd(case_id), category=category)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, cmd, PROVIDER)
        uow.commit()
    return item_id


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
    case_id = _case_where_cello_needs_housing_only(disclosure_platform)
    health = _provide(platform, deps, case_id, "health")
    housing = _provide(platform, deps, case_id, "housing")
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
    case_id = _case_where_cello_needs_housing_only(disclosure_platform)
    health = _provide(platform, deps, case_id, "health")
    with pytest.raises(NotFound) as held:
        _read(platform, deps, case_id, "health")
    with pytest.raises(NotFound) as none:
        _read(platform, deps, case_id, "legal")
    assert str(held.value) == str(none.value)
    assert len(_logged_denied(platform, health)) == 1
    # A case holding only items the party does not need: as a case holding none.
    only_health = _case_where_cello_needs_housing_only(disclosure_platform)
    _provide(platform, deps, only_health, "health")
    with pytest.raises(NotFound) as listed:
        _read(platform, deps, only_health)
    assert str(listed.value) == str(none.value)


def test_an_item_the_party_needs_refused_on_other_grounds_is_still_listed_as_refused(
    disclosure_platform, deps
):
    """Within its need the refusal stays (the person may ask the provider or break the glass)."""
    platform, _ = disclosure_platform
    case_id = _case_where_cello_needs_housing_only(disclosure_platform)
    cmd = dataclasses.replace(provide_cmd(case_id, purposes=("safety",)), category="housing")
    with platform.uow_factory() as uow:
        housing = items.provide(deps, uow, cmd, PROVIDER)
        uow.commit()
    with pytest.raises(PermissionDenied) as refused:
        _read(platform, deps, case_id, "housing")
    assert any("purpose" in r for r in refused.value.reasons)
    assert housing
