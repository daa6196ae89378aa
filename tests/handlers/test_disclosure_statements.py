"""One audited disclosure reads its facts with the same few statements however many items it
asks for and however many cases they belong to (issue #16): the items with their cases, the
cases' keys and the requester's functions on the roster in one statement, the consents in
another, never once per item or per case. Counted as
SQLAlchemy sends them in the caller's thread (the access-log append is the group committer's
one transaction, beside it)."""

from __future__ import annotations

import pytest

from services.disclosure.domain import commands as c
from services.disclosure.service_layer.handlers import disclosure
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import CARER, open_case, provide
from zorgtafel.kernel.errors import FailedPrecondition
from zorgtafel.testing.statements import statements

disclosure_platform = base.disclosure_platform
deps = base.deps

# The items with their cases, the cases' keys and the requester's functions (the roster);
# the cases' consents.
MOST = 2


def _read_all(platform, deps, item_ids: list[str]) -> tuple[int, list[str]]:
    with platform.uow_factory() as uow, statements() as sent:
        outcome = disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="read", purpose="care_coordination", item_ids=tuple(item_ids)
            ),
            CARER,
        )
    return len(outcome.released), sent


def test_six_items_of_two_cases_are_read_with_the_statements_of_one(disclosure_platform, deps):
    platform, _ = disclosure_platform
    case_a, case_b = open_case(disclosure_platform), open_case(disclosure_platform)
    of_a = [provide(disclosure_platform, deps, case_a) for _ in range(3)]
    of_b = [provide(disclosure_platform, deps, case_b) for _ in range(3)]
    released_one, one = _read_all(platform, deps, of_a[:1])
    released_six, six = _read_all(platform, deps, of_a + of_b)
    assert (released_one, released_six) == (1, 6)
    assert len(six) == len(one) <= MOST, six


def test_a_category_of_a_case_is_read_with_the_requesters_functions_beside_its_items(
    disclosure_platform, deps
):
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    provide(disclosure_platform, deps, case_id)
    with platform.uow_factory() as uow, statements() as sent:
        outcome = disclosure.request_disclosure(
            deps,
            uow,
            c.RequestDisclosure(
                action="read", purpose="care_coordination", case_id=case_id, category="health"
            ),
            CARER,
        )
    assert len(outcome.released) == 1
    assert len(sent) <= MOST, sent


def test_an_allowed_item_whose_case_key_is_gone_is_not_released(disclosure_platform, deps):
    """The key read beside the item: destroyed (crypto-shredded), the allowed read fails as
    final (FAILED_PRECONDITION case_erased), nothing released."""
    platform, _ = disclosure_platform
    case_id = open_case(disclosure_platform)
    item_id = provide(disclosure_platform, deps, case_id)
    with platform.uow_factory() as uow:
        uow.keys.destroy(uow.session, case_id)
        uow.commit()
    with pytest.raises(FailedPrecondition) as err:
        _read_all(platform, deps, [item_id])
    assert err.value.state == "case_erased"
