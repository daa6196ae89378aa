"""The cases awaiting a process director (12.3) in a real Chromium, against the console app with
a casework that lists two pages of them: a process director finds them from the menu, pages
through them, opens a case's take-over form and takes the case over by scheduling its meeting,
landing on the case meeting's page; each page checked by axe-core. No suite: the console is
served from this process with a stand-in for casework, which is what the test is not about."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from services.console.adapters.casework import AwaitingPage, AwaitingView
from tests.console.test_app import FakeGovernance
from tests.console.test_case_pages import a_case
from tests.console.test_walk import sign_in

pytestmark = pytest.mark.slow  # a browser, no suite

LUMENS = "00000099000000000053"
POLICE = "00000099000000000061"


class AwaitingCasework:
    """Casework's cases awaiting a director, one a page; the case taken over by scheduling its
    meeting, whose page then shows it."""

    def __init__(self) -> None:
        self.cases = ("case-0001", "case-0002")
        self.scheduled: list[tuple[str, dict]] = []

    def awaiting_director(self, call, page_token=""):  # noqa: ANN001, ANN201
        start = int(page_token.removeprefix("after-")) if page_token else 0
        rows = tuple(
            AwaitingView(c, LUMENS, datetime(2026, 12, 1, 9, 30)) for c in self.cases[start:][:1]
        )
        nxt = f"after-{start + 1}" if start + 1 < len(self.cases) else ""
        return AwaitingPage(rows, nxt)

    def schedule(self, call, case_id, **meeting):  # noqa: ANN001, ANN003, ANN201
        self.scheduled.append((case_id, meeting))
        return "meeting-1"

    def case(self, call, case_id):  # noqa: ANN001, ANN201
        return a_case("open")


class Parties(FakeGovernance):
    def party_names(self, call):  # noqa: ANN001, ANN201
        return {LUMENS: "Lumens", POLICE: "Politie Oost-Brabant"}


@pytest.fixture
def casework():
    return AwaitingCasework()


@pytest.fixture
def console(served_console, casework):
    return served_console(
        SimpleNamespace(
            intake=None,
            casework=casework,
            meeting=casework,
            governance=Parties(),
            disclosure=None,
        )
    )


def test_a_process_director_finds_a_case_awaiting_one_and_takes_it_over(
    browser, pages, console, casework
):
    ctx, page = sign_in(browser, console, "pd-anna")
    try:
        page.locator('nav a[href="/worklist/awaiting-director"]').click()
        page.wait_for_load_state()
        pages.check(page, "cases awaiting a director")
        assert page.locator("#awaiting tbody tr").count() == 1
        page.locator("#awaiting-next").click()
        page.wait_for_load_state()
        assert "case-0002" in page.locator("#awaiting").inner_text()
        page.locator('a[href="/cases/case-0002/take-over"]').click()
        page.wait_for_load_state()
        pages.check(page, "take a case over")
        page.check('input[name="themes"][value="safety"]')
        page.select_option("#invitee", POLICE)
        page.check('input[name="lawful_themes"][value="safety"]')
        page.locator("#take-over").click()
        page.wait_for_url(f"{console}/cases/case-0002/meeting")
        (case_id, meeting), *_ = casework.scheduled
        assert case_id == "case-0002"
        assert meeting["invitees"] == {POLICE: ["safety"]} and meeting["themes"] == ["safety"]
    finally:
        ctx.close()
