"""A case whose parties need different categories, and items of a category in it: for the
disclosure tests of need to know (art. 8.4c), by item id and in listings."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

from services.disclosure.service_layer.handlers import items
from tests.handlers.test_disclosure_handlers import CELLO, GGZ, PROVIDER, open_case, provide_cmd
from zorgtafel.contracts import events as ev
from zorgtafel.testing import deliver


def case_where_cello_needs_housing_only(disclosure_platform) -> str:
    platform, parts = disclosure_platform
    case_id = open_case(disclosure_platform)
    roles = {
        CELLO: {"role": "care_provider", "information_need": ["housing"]},
        GGZ: {"role": "mental_health", "information_need": ["health", "housing"]},
    }
    at = datetime.now(timezone.utc).isoformat()
    deliver(platform, parts, ev.ROLES_SET, {"case_id": case_id, "roles": roles, "changed_at": at})
    return case_id


def provide_of(platform, deps, case_id: str, category: str) -> str:
    """An item of ``category`` that GGZ's PROVIDER provides for the case: its id."""
    cmd = dataclasses.replace(provide_cmd(case_id), category=category)
    with platform.uow_factory() as uow:
        item_id = items.provide(deps, uow, cmd, PROVIDER)
        uow.commit()
    return item_id
