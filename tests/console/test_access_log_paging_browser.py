"""The access log's paging in a real Chromium, against the console app with a disclosure that
pages a long log (more pages than the console keeps page tokens of in the URL): the party's
listing by links, a subject's by forms that post the pseudonym; every "previous page" leads to
the page just before, back to the first, each page checked by axe-core, and no address the
browser visits names the pseudonym. No suite: the console is served from this process with a
stand-in for disclosure, which is what the test is not about."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.console.entrypoints.trails import TRAIL
from tests.console.test_access_log_paging import PSEUDONYM, PagingLog, _entry
from tests.console.test_app import FakeGovernance
from tests.console.test_walk import sign_in

pytestmark = pytest.mark.slow  # a browser, no suite

PAGES = TRAIL + 12  # more pages than the trail in the URL holds
PARTY = "00000099000000000051"  # fg-fenna's, Leger des Heils


@pytest.fixture
def log():
    log = PagingLog(size=1)
    log.rows[f"p:{PARTY}"] = tuple(_entry(n) for n in range(PAGES))
    log.rows[f"s:{PSEUDONYM}"] = tuple(_entry(n) for n in range(5000, 5000 + 6))
    return log


@pytest.fixture
def console(served_console, log):
    return served_console(
        SimpleNamespace(intake=None, casework=None, governance=FakeGovernance(), disclosure=log)
    )


def _shown(page) -> list[str]:  # noqa: ANN001 - a Playwright page
    return [c.inner_text().split(" ")[0] for c in page.locator("tbody tr td:nth-child(2)").all()]


def _go(page, rel: str) -> None:  # noqa: ANN001
    page.locator(f"#log-{rel}").click()
    page.wait_for_load_state()


def test_the_partys_access_log_pages_back_one_page_at_a_time_to_the_first(browser, pages, console):
    ctx, page = sign_in(browser, console, "fg-fenna")
    try:
        page.goto(f"{console}/privacy/access-log")
        pages.check(page, "access log first page")
        assert _shown(page) == ["r-0000"]
        assert page.locator("#log-prev").count() == 0
        for n in range(1, PAGES):
            _go(page, "next")
            assert _shown(page) == [f"r-{n:04d}"], n
        pages.check(page, "access log last page")
        assert page.locator("#log-next").count() == 0
        for n in range(PAGES - 2, -1, -1):
            _go(page, "prev")
            assert _shown(page) == [f"r-{n:04d}"], n  # the page just before, every time
        assert page.locator("#log-prev").count() == 0
    finally:
        ctx.close()


def test_a_subjects_access_log_pages_without_the_pseudonym_in_an_address(browser, pages, console):
    ctx, page = sign_in(browser, console, "fg-fenna")
    visited: list[str] = []
    page.on("request", lambda r: visited.append(r.url))
    try:
        page.goto(f"{console}/privacy/access-log")
        page.fill("#subject", PSEUDONYM)
        page.locator("form:has(#subject) button[type=submit]").click()
        page.wait_for_load_state()
        pages.check(page, "subject's access log first page")
        assert _shown(page) == ["r-5000"]
        for n in range(5001, 5006):
            _go(page, "next")
            assert _shown(page) == [f"r-{n}"], n
        pages.check(page, "subject's access log last page")
        assert page.locator("#log-next").count() == 0
        for n in range(5004, 4999, -1):
            _go(page, "prev")
            assert _shown(page) == [f"r-{n}"], n
        assert page.locator("#log-prev").count() == 0
        assert visited and not [u for u in visited if PSEUDONYM in u or "after-" in u]
    finally:
        ctx.close()
