"""The policy owner's page of the policy in force shows the history of the revisions before it
(issue #19), Dutch first, paged by governance's token; without a browser or the suite: the
console app with governance replaced by a fake that answers as the adapter does."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

from services.console.adapters.calls import ServiceError, refusals
from services.console.adapters.governance import HistoryEntryView, HistoryPage, RevisionView
from tests.console.test_app import dev_console

AT = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)
HELMOND = "00000099000000000018"
IN_FORCE = RevisionView("sha256:" + "a" * 64, "2026.2", "prop-1", "dec-1", AT, False)
BASELINE = RevisionView("sha256:" + "b" * 64, "baseline", "", "", AT, True)


class FakeBodies:
    def __init__(self, refuse: bool = False) -> None:
        self.asked: list[str] = []
        self.refuse = refuse

    def adopted_revision(self, call):  # noqa: ANN001, ANN201
        if self.refuse:
            raise ServiceError("PERMISSION_DENIED", refusals(["Not a party (art. 6.6c)."]))
        return IN_FORCE

    def revision_history(self, call, page, size=20):  # noqa: ANN001, ANN201
        self.asked.append(page)
        return HistoryPage(
            (
                HistoryEntryView(
                    IN_FORCE, "sha256:" + "c" * 64, HELMOND, True, (("intake", "intake-0"),)
                ),
                HistoryEntryView(BASELINE, "sha256:" + "d" * 64, "", False, ()),
            ),
            "" if page else "next-token_1",
        )


def app_with(bodies: FakeBodies, tmp_path):  # noqa: ANN201
    governance = SimpleNamespace(
        party_names=lambda call: {HELMOND: "Gemeente Helmond"},
        party_status=lambda call, party: "active",
    )
    services = SimpleNamespace(
        intake=None, casework=None, disclosure=None, governance=governance, bodies=bodies
    )
    app = dev_console(tmp_path, services)
    client = app.test_client()
    login = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', login).group(1)
    r = client.post("/login/dev", data={"person": "lh-bram", "csrf_token": token})
    assert r.status_code == 302
    return client


def test_the_policy_page_shows_the_history_newest_first_and_pages_by_token(tmp_path):
    bodies = FakeBodies()
    client = app_with(bodies, tmp_path)
    page = client.get("/policy/revision").get_data(as_text=True)
    history = page[page.index('id="revision-history"') :]
    assert "Geschiedenis van het geldende beleid" in page
    assert history.index("a" * 64) < history.index("b" * 64)  # newest first
    assert "Geldt nu" in history and "intake (intake-0)" in history
    assert "Gemeente Helmond" in history and "c" * 64 in history
    assert "De basislijn van de release: geen besluit." in history
    assert "Geen service-instantie meldt haar." in history
    assert 'href="/policy/revision?page=next-token_1"' in page and "Terug naar" not in page
    earlier = client.get("/policy/revision?page=next-token_1").get_data(as_text=True)
    assert "Eerdere revisies" not in earlier and "Terug naar de nieuwste" in earlier
    # A token that is no token of governance's starts at the newest (nothing else is sent).
    client.get("/policy/revision?page=%3Cscript%3E")
    assert bodies.asked == ["", "next-token_1", ""]


def test_a_refused_reader_sees_the_reasons_and_no_history(tmp_path):
    client = app_with(FakeBodies(refuse=True), tmp_path)
    r = client.get("/policy/revision")
    page = r.get_data(as_text=True)
    assert r.status_code == 403 and "art. 6.6c" in page and "revision-history" not in page
