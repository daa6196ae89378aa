"""Every page the menu and the start page offer, opened as the people the need to know is
about (Asten's worker, whose party has no part in any case here; Best's privacy officer; the
police's case delegate; the shelter's auditor), in a real Chromium against the embedded suite:
each answers 200 with no refusal on it and none in the services' records in that person's
name (a menu entry that leads to a refusal offers what the APIs refuse), and passes axe-core.
"""

from __future__ import annotations

import json

import pytest

from tests.console.test_walk import _added, _refusals_of, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.mark.parametrize("person", ["ast-eva", "fg-gijs", "pol-carla", "au-aart"])
def test_every_page_offered_opens_without_a_refusal(browser, pages, console_url, suite, person):
    s, _ = suite
    ctx, page = sign_in(browser, console_url, person)
    try:
        offered = page.eval_on_selector_all(
            "nav a[href], main ul.tiles a[href]", "links => links.map(a => a.getAttribute('href'))"
        )
        paths = sorted({p for p in offered if p.startswith("/") and p != "/"})
        assert paths, person
        before = _refusals_of(s.data_dir, person)
        for path in paths:
            r = page.goto(f"{console_url}{path}")
            assert r is not None and r.status == 200, (person, path, r and r.status)
            assert page.locator(".refused").count() == 0, (path, page.inner_text("main"))
            pages.check(page, f"{person} {path}")
        assert _added(before, _refusals_of(s.data_dir, person)) == {"calls": [], "records": []}
    finally:
        ctx.close()


@pytest.mark.parametrize("person", ["fg-gijs", "au-aart"])
def test_the_officer_and_the_auditor_download_the_registers(
    browser, pages, console_url, suite, person
):
    """Best's privacy officer and the shelter's auditor (ExportRegister, Bijlage 3): the page of
    each register offers its download, which is disclosure's JSON document as an attachment,
    with no refusal in the services' records in their name; each page passes axe-core."""
    s, _ = suite
    ctx, page = sign_in(browser, console_url, person)
    try:
        before = _refusals_of(s.data_dir, person)
        for register, path in (
            ("processing", "/privacy/processing-activities"),
            ("breaches", "/privacy/breaches"),
        ):
            page.goto(f"{console_url}{path}")
            pages.check(page, f"{person} {register} register with its download")
            href = page.get_attribute("a#export", "href")
            assert href == f"/privacy/registers/{register}/export", (person, href)
            r = page.request.get(f"{console_url}{href}")
            assert r.status == 200, (person, register, r.status)
            assert r.headers["content-type"].startswith("application/json")
            assert r.headers["content-disposition"].startswith("attachment;")
            json.loads(r.body())
        added = _added(before, _refusals_of(s.data_dir, person))
        assert added == {"calls": [], "records": []}, (person, added)
    finally:
        ctx.close()
