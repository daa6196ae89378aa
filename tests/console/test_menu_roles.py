"""The menu and the start page against the role table (policies/rego/authz/data.json), for
every role in it: a page the role may not use (its list or form refused by role, whatever the
party or case) is offered nowhere, and every page it may use is offered in the menu or on the
start page. Bodies are left out (a person's seats decide there, not the role)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.console.adapters import identity
from tests.console.test_app import csrf, dev_console, fake_services
from zorgtafel.demo.actors import LEGER_DES_HEILS, Actor

ROOT = Path(__file__).resolve().parents[2]
METHODS = json.loads((ROOT / "policies/rego/authz/data.json").read_text())["method_roles"]
ROLES = sorted({r for m in METHODS.values() for r in m["roles"]})

# A link of the menu or the start page, and the method its page is refused by role without.
PAGES = {
    'href="/nominations/new"': "intake.v1.IntakeService/Nominate",
    'href="/worklist"': "intake.v1.IntakeService/ListNominations",
    'href="/worklist/overdue"': "casework.v1.CaseworkService/ListOverdueActions",
    'href="/worklist/awaiting-director"': "casework.v1.CaseworkService/ListCasesAwaitingDirector",
    'action="/open"': "casework.v1.CaseworkService/GetCase",
    'href="/privacy/access-log"': "disclosure.v1.DisclosureService/AccessLog",
    'href="/privacy/subject-requests"': "disclosure.v1.DisclosureService/ListSubjectRequests",
    'href="/privacy/reviews"': "disclosure.v1.DisclosureService/ListReviews",
    'href="/overrides"': "disclosure.v1.DisclosureService/ListOverrideNotices",
    'href="/corrections"': "disclosure.v1.DisclosureService/ListCorrectionNotices",
    'href="/privacy/processing-activities"': (
        "disclosure.v1.DisclosureService/ListProcessingActivities"
    ),
    'href="/privacy/breaches"': "disclosure.v1.DisclosureService/ListBreaches",
    'href="/privacy/subject-data-report"': "disclosure.v1.DisclosureService/SubjectDataReport",
    'href="/subject-requests/new"': "disclosure.v1.DisclosureService/SubmitSubjectRequest",
}


def _allowed(role: str, method: str) -> bool:
    return role in METHODS[f"/zorgtafel.{method}"]["roles"]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One console for the module: each test signs in a client of its own and only reads its
    start page (building the app, its keys and session store is most of a test's time)."""
    people = tuple(Actor(role, LEGER_DES_HEILS, role, f"p-{role}") for role in ROLES)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(identity, "DEMO_PEOPLE", identity.DEMO_PEOPLE + people)
        yield dev_console(tmp_path_factory.mktemp("menu-roles"), fake_services())


def _start(app, role: str) -> tuple[str, str]:  # noqa: ANN001 - the console app
    """The signed-in role's start page, whole, and its menu."""
    client = app.test_client()
    r = client.post("/login/dev", data={"person": f"p-{role}", "csrf_token": csrf(client)})
    assert r.status_code == 302
    start = client.get("/").get_data(as_text=True)
    return start, start.split("<nav", 1)[1].split("</nav>", 1)[0]


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_and_start_page_offer_nothing_the_role_table_refuses(app, role):
    start, _ = _start(app, role)
    refused = sorted(link for link, m in PAGES.items() if link in start and not _allowed(role, m))
    assert refused == [], role


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_or_start_page_offers_every_page_the_role_table_allows(app, role):
    start, _ = _start(app, role)
    missing = sorted(link for link, m in PAGES.items() if _allowed(role, m) and link not in start)
    assert missing == [], role
