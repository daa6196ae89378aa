"""The safety overrides page's paging in a real Chromium, against the console app with a
disclosure that pages a long list (more pages than the console keeps page tokens of in the
URL): every "previous page" leads to the page just before, all the way back to the first, and
"next page" from there on again, each page checked by axe-core. No suite: the console is
served from this process with a stand-in for disclosure, which is what the test is not about."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.console.adapters.privacy import Notice, NoticePage
from services.console.entrypoints.trails import TRAIL
from tests.console.test_app import FakeGovernance
from tests.console.test_walk import sign_in

pytestmark = pytest.mark.slow  # a browser, no suite

PAGES = TRAIL + 12  # more pages than the trail in the URL holds


def _notice(n: int) -> Notice:
    return Notice(
        f"d-{n:04d}", f"item-{n}", "case-1", "00000099000000000051", "00000099000000000013",
        "ehv-dirk", None, "not_yet", "2030-01-01", None, False,
    )  # fmt: skip


class PagingOffice:
    """Disclosure's override notices, one a page, each token continuing after the row it
    names (keyset: it says nothing of the page before); no informing tasks."""

    def __init__(self) -> None:
        self.notices = tuple(_notice(n) for n in range(PAGES))
        self.reads = 0

    def override_notices(self, call, page_token=""):  # noqa: ANN001, ANN201
        self.reads += 1
        start = int(page_token.removeprefix("after-")) if page_token else 0
        end = start + 1
        nxt = f"after-{end}" if end < len(self.notices) else ""
        return NoticePage(self.notices[start:end], nxt)

    def informing_tasks(self, call, page_token=""):  # noqa: ANN001, ANN201
        return NoticePage((), "")


@pytest.fixture
def console(served_console):
    return served_console(
        SimpleNamespace(
            intake=None,
            casework=None,
            governance=FakeGovernance(),
            disclosure=SimpleNamespace(privacy=PagingOffice()),
        )
    )


def _shown(page) -> list[str]:  # noqa: ANN001 - a Playwright page
    return [c.inner_text() for c in page.locator("#notices tbody tr td:nth-child(2)").all()]


def test_previous_page_leads_back_one_page_at_a_time_to_the_first(browser, pages, console):
    ctx, page = sign_in(browser, console, "fg-fenna")
    try:
        page.goto(f"{console}/overrides")
        pages.check(page, "overrides first page")
        assert _shown(page) == ["d-0000"]
        assert page.locator("#notices-prev").count() == 0
        for n in range(1, PAGES):
            page.locator("#notices-next").click()
            page.wait_for_load_state()
            assert _shown(page) == [f"d-{n:04d}"], n
        pages.check(page, "overrides last page")
        assert page.locator("#notices-next").count() == 0
        for n in range(PAGES - 2, -1, -1):
            page.locator("#notices-prev").click()
            page.wait_for_load_state()
            assert _shown(page) == [f"d-{n:04d}"], n  # the page just before, every time
        pages.check(page, "overrides back on the first page")
        assert page.locator("#notices-prev").count() == 0
        for n in range(1, 4):  # and on again from the first
            page.locator("#notices-next").click()
            page.wait_for_load_state()
            assert _shown(page) == [f"d-{n:04d}"], n
    finally:
        ctx.close()
