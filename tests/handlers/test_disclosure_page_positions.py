"""Disclosure's registers listed by key take the statements of their first page on every page
and at every size (issue #16): each page of a walk, the last included, and a page of 1 or of
500 cost the statements of the first, so a page costs the same wherever a caller is in the list
and however many rows it asks for (a statement per row, per case or per page passed would show
as a count that grows). Through the servicer, on the same platform as
``test_disclosure_handlers.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.handlers import test_disclosure_breach_pages as breach_pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers import test_disclosure_review_pages as review_pages
from tests.handlers import test_disclosure_subject_request_pages as request_pages
from tests.handlers.test_disclosure_handlers import GGZ, GGZ_OFFICER
from zorgtafel.testing.statements import statements

disclosure_platform = base.disclosure_platform

HELD = 40
Ask = Callable[..., Any]


def _requests(platform) -> tuple[Ask, str]:
    request_pages.requests_to(platform, GGZ, HELD)
    return lambda **f: request_pages.listed(platform, GGZ_OFFICER, **f), "requests"


def _breaches(platform) -> tuple[Ask, str]:
    breach_pages.breaches_of(platform, GGZ, HELD)
    return lambda **f: breach_pages.listed(platform, GGZ_OFFICER, **f), "breaches"


def _one_cases_reviews(platform) -> tuple[Ask, str]:
    _, cases = review_pages.overrides(platform, HELD, cases=1)
    return (
        lambda **f: review_pages.listed(platform, GGZ_OFFICER, case_id=cases[0], **f),
        "reviews",
    )


def _reviews_of_many_cases(platform) -> tuple[Ask, str]:
    review_pages.overrides(platform, HELD, cases=HELD // 2)
    return lambda **f: review_pages.listed(platform, GGZ_OFFICER, **f), "reviews"


LISTS = {
    "ListSubjectRequests": _requests,
    "ListBreaches": _breaches,
    "ListReviews_one_case": _one_cases_reviews,
    "ListReviews_many_cases": _reviews_of_many_cases,
}


def _counted(ask: Ask, **fields: Any) -> tuple[int, Any]:
    with statements() as sent:
        reply = ask(**fields)
    return len(sent), reply


@pytest.mark.parametrize("rpc", sorted(LISTS))
def test_every_page_and_every_size_takes_the_statements_of_the_first_page(disclosure_platform, rpc):
    platform, _ = disclosure_platform
    ask, rows = LISTS[rpc](platform)
    walked, token = [], ""
    while True:
        count, reply = _counted(ask, page_size=7, page_token=token)
        walked.append(count)
        token = reply.next_page_token
        if not token:
            break
    assert len(walked) == -(-HELD // 7) and len(set(walked)) == 1  # the last as the first
    one, reply = _counted(ask, page_size=1)
    assert len(getattr(reply, rows)) == 1
    everything, reply = _counted(ask, page_size=500)
    assert len(getattr(reply, rows)) == HELD
    assert one == everything == walked[0]
