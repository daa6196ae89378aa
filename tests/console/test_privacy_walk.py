"""The privacy work through the console, in a real Chromium against the embedded suite: the
municipality's delegate uses the safety override (break-glass) on the shelter's health note
and later records that the client was informed; the shelter learns of the override and passes
on two of the client's requests; the shelter's privacy officer decides them (one granted, one
refused on a covenant ground), reviews the override, reads the registers and assembles the
subject data report; she records a data breach and adds an activity to the register (each
form first refused with the register's field error next to the field). The shelter provides
the corrected version of the item whose correction was granted. Another party's privacy
officer gets no trace of the subject, the case, the breach or the notice on any of these
pages, and no form to change the shelter's activity. axe-core checks every page, every form
carries its CSRF token.

The case itself (nomination to case meeting, the parties' items) is played over gRPC by the
demo's partner systems: the console's walk of that part is test_walk.py."""

from __future__ import annotations

import time
import uuid
from datetime import date, timedelta
from typing import Any

import pytest

from tests.console.test_walk import TIMEOUT_MS, _added, _refusals_of, expect, sign_in
from zorgtafel.demo import Story
from zorgtafel.demo.actors import PRIVACY_OFFICER
from zorgtafel.demo.plumbing import StoryFailed
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

FACTS: dict[str, Any] = {}
JUSTIFICATION = f"acute threat reported tonight {uuid.uuid4().hex[:6]}"
BREACH_TEXT = f"a letter to the wrong address {uuid.uuid4().hex[:6]}"


def csrf_on_every_form(page) -> None:  # noqa: ANN001 - a Playwright page
    forms = page.locator("form[method=post]")
    for i in range(forms.count()):
        assert forms.nth(i).locator("input[name=csrf_token]").count() == 1, (
            f"a form without its CSRF token on {page.url}"
        )


def check(pages, page, name: str) -> None:  # noqa: ANN001
    csrf_on_every_form(page)
    pages.check(page, name)


@pytest.fixture(scope="module")
def case(suite, endpoints) -> dict[str, Any]:
    """A case up to its meeting, with the shelter's consent-based health note, over gRPC."""
    _, keys = suite
    lines: list[str] = []
    story = Story(endpoints, keys.private, out=lines.append)
    facts: dict[str, Any] = {}
    try:
        story._appoint(facts)  # the managers designate the process director (12.1)
    except StoryFailed:
        pass  # designated already by an earlier walk in this suite
    story.failures.clear()
    try:
        story._nominate_and_assess(facts)
        story._triage(facts)
        story._meeting(facts)
    except StoryFailed:
        pass
    assert not story.failures, "\n".join(lines)
    # An activity of the register that the shelter maintains, for its privacy officer to change.
    activity = f"LH-VA-{uuid.uuid4().hex[:6].upper()}"
    story.disclosure.AddProcessingActivity(
        ds.AddProcessingActivityRequest(
            request_id=str(uuid.uuid4()),
            activity=ds.ProcessingActivity(
                id=activity,
                name="Shelter intake notes shared with the Zorgtafel",
                controller="Leger des Heils",
                purpose="Care coordination for the client (art. 15.1)",
                subject_categories=["clients of the shelter"],
                data_categories=["care history"],
                recipients=["the case's parties with a need (art. 8.4c)"],
                legal_basis="GDPR art. 6(1)(e)",
                transfers_outside_eea="none",
                retention="until the case is closed",
                maintainers=[PRIVACY_OFFICER.party],
            ),
            reason="the shelter's own processing in the Zorgtafel",
        ),
        metadata=story.md(PRIVACY_OFFICER),
        timeout=20,
    )
    facts["activity"] = activity
    facts["new_activity"] = f"LH-VA-{uuid.uuid4().hex[:6].upper()}"  # added in the console
    FACTS.update(facts)
    return facts


def test_break_glass_and_informing_the_client(browser, pages, console_url, case):
    case_id, item = case["case_id"], case["consent_item"]
    ctx, page = sign_in(browser, console_url, "ehv-dirk")
    page.goto(f"{console_url}/cases/{case_id}/request")
    expect(page, "#item_id")
    page.fill("#item_id", item)
    page.select_option("#purpose", "safety")
    page.locator("form[action$='/request'] button[type=submit]").click()
    expect(page, "section.refused")  # no consent: refused, with the way to the override
    page.locator(f"section.refused a[href='/cases/{case_id}/break-glass']").click()
    expect(page, "#justification")
    check(pages, page, "break-glass form")

    def override(status: str, informed: str, by: str = "") -> None:
        page.fill("#item_id", item)
        page.select_option("#purpose", "safety")
        page.fill("#justification", JUSTIFICATION)
        page.fill("#consulted_colleague", "ehv-colleague-7")
        page.check(f"input[name=informed_status][value={status}]")
        page.fill("#informed", informed)
        page.fill("#informed_by", by)
        page.locator("form[action$='/break-glass'] button[type=submit]").click()

    # Not yet informed without the date by which: the service names the field.
    override("not_yet", "telling now would warn the trafficker")
    expect(page, ".refused")
    assert "client_to_be_informed_by" in page.inner_text(".refused"), page.inner_text("main")
    check(pages, page, "break-glass refused")
    by = (date.today() + timedelta(days=1)).isoformat()
    deadline = time.monotonic() + 90
    while True:  # the municipality's part reaches disclosure as an event
        override("not_yet", "telling now would warn the trafficker", by)
        page.wait_for_selector("section.released, .refused", timeout=TIMEOUT_MS)
        if page.locator("section.released").count():
            break
        assert time.monotonic() < deadline, page.inner_text("main")
        time.sleep(0.5)
    obligations = page.inner_text("#obligations")
    assert obligations.count("\n") >= 2, obligations  # logged, provider told, reviewed, ...
    check(pages, page, "break-glass obligations")

    # The overriding party's task: tell the client, then record it.
    page.goto(f"{console_url}/overrides")
    task = page.locator(".task", has_text=item)
    assert task.count() == 1, page.inner_text("main")
    check(pages, page, "overrides informing task")
    task.locator("input[name=how]").fill("in a conversation at the shelter")
    task.locator("button[type=submit]").click()
    expect(page, "#informed-done")
    assert page.locator(".task", has_text=item).count() == 0
    check(pages, page, "overrides client informed")
    ctx.close()
    FACTS["overridden"] = True


def test_the_provider_learns_of_it_and_passes_on_requests(browser, pages, console_url, case):
    case_id, item = case["case_id"], case["care_item"]
    ctx, page = sign_in(browser, console_url, "lh-bram")
    page.goto(f"{console_url}/overrides")
    notices = page.inner_text("#notices")
    assert case["consent_item"] in notices and JUSTIFICATION not in page.content()
    check(pages, page, "overrides provider notices")
    ids = []
    for kind in ("complaint", "correction"):
        page.goto(f"{console_url}/subject-requests/new")
        page.select_option("#kind", kind)
        page.fill("#subject", case["pseudonym"])
        page.fill("#case_id", case_id)
        page.fill("#item_id", item)
        page.fill("#document_ref", "LH-AVG-2026-031")
        page.locator("form[action='/subject-requests/new'] button[type=submit]").click()
        expect(page, "#request-number")
        ids.append(page.inner_text("#request-number").strip())
        assert case["pseudonym"] not in page.url
    check(pages, page, "subject request passed on")
    ctx.close()
    FACTS["requests"] = ids


def test_the_privacy_officer_sees_every_override_notice_of_her_party(
    browser, pages, console_url, case
):
    """The shelter's privacy officer has no part in the case, yet lists every override on her
    party's items (Bijlage 3): the municipality's override of the shelter's note, which the
    shelter's worker of the case saw, with the fields disclosure gives (never the
    justification, nor any item's content), from her menu and without the workers' form. The
    police delegate, of another party though in the case, lists none of it."""
    if not FACTS.get("overridden"):
        pytest.skip("no override was made")
    case_id, item = case["case_id"], case["consent_item"]
    ctx, page = sign_in(browser, console_url, "fg-fenna")
    page.locator("nav a[href='/overrides']").click()
    expect(page, "#notices")
    notice = page.locator("#notices tbody tr", has_text=item)
    assert notice.count() == 1, page.inner_text("main")
    row = notice.inner_text()
    assert case_id in row and "ehv-dirk" in row, row
    assert JUSTIFICATION not in page.content()
    assert page.locator("form[action$='/informed']").count() == 0
    check(pages, page, "overrides privacy officer")
    ctx.close()
    ctx, page = sign_in(browser, console_url, "pol-carla")
    page.goto(f"{console_url}/overrides")
    expect(page, "#notices")
    assert item not in page.content() and JUSTIFICATION not in page.content()
    check(pages, page, "overrides worker of another party")
    ctx.close()


def test_the_privacy_officer_decides_reviews_and_reports(browser, pages, console_url, case):
    if "requests" not in FACTS:
        pytest.skip("no requests were passed on")
    complaint, correction = FACTS["requests"]
    case_id = case["case_id"]
    ctx, page = sign_in(browser, console_url, "fg-fenna")
    check(pages, page, "start privacy officer")
    page.goto(f"{console_url}/privacy/subject-requests")
    rows = page.locator("#subject-requests tbody tr")
    assert page.locator(f"a[href='/privacy/subject-requests/{complaint}']").count() == 1
    assert case["pseudonym"] not in page.inner_text("#subject-requests")
    check(pages, page, "subject requests")
    page.goto(f"{console_url}/privacy/subject-requests?overdue=1")
    assert page.locator(f"a[href='/privacy/subject-requests/{complaint}']").count() == 0
    assert rows.count() >= 1
    check(pages, page, "subject requests overdue only")

    page.goto(f"{console_url}/privacy/subject-requests/{complaint}")
    check(pages, page, "subject request to decide")
    page.check("input[name=outcome][value=refused]")
    page.select_option("#ground", "required_by_law")
    page.fill("#reason", "the case file must be kept while the complaint procedure runs")
    page.locator("main form button[type=submit]").click()
    expect(page, "#decided")
    outcome = page.inner_text("#outcome")
    check(pages, page, "subject request refused")
    page.goto(f"{console_url}/privacy/subject-requests/{correction}")
    page.fill("#reason", "the stay began in April, not March")
    page.locator("main form button[type=submit]").click()
    expect(page, "#decided")
    assert page.inner_text("#outcome") != outcome  # granted, not refused
    check(pages, page, "subject request granted")

    page.goto(f"{console_url}/privacy/reviews")
    if FACTS.get("overridden"):
        assert JUSTIFICATION in page.inner_text("#reviews"), page.inner_text("main")
    check(pages, page, "break-glass reviews")
    page.goto(f"{console_url}/privacy/processing-activities")
    assert page.locator("main section").count() >= 1
    check(pages, page, "processing activities")
    # Adding an activity: the register names the field it misses, next to that field.
    page.locator("a[href='/privacy/processing-activities/new']").click()
    expect(page, "#activity_id")
    new = case["new_activity"]
    page.fill("#activity_id", new)
    for field, value in (
        ("#controller", "Leger des Heils"),
        ("#purpose", "Aftercare of the client once the case is closed (art. 15.1)"),
        ("#subject_categories", "clients of the shelter"),
        ("#data_categories", "care history\ncontact details"),
        ("#recipients", "the shelter's aftercare team"),
        ("#legal_basis", "GDPR art. 6(1)(e)"),
        ("#transfers_outside_eea", "none"),
        ("#retention", "a year after the case is closed"),
        ("#reason", "the shelter's aftercare"),
    ):
        page.fill(field, value)
    add = page.locator("form[action='/privacy/processing-activities/new'] button")
    add.click()
    expect(page, "#name-error")
    assert page.get_attribute("#name", "aria-describedby") == "name-error"
    assert page.input_value("#purpose").startswith("Aftercare")  # what was typed stays
    check(pages, page, "processing activity add refused")
    page.fill("#name", "Shelter aftercare notes")
    add.click()
    expect(page, "#added")
    check(pages, page, "processing activity added")
    page.fill("#retention", "a year after the case is closed, at most two")
    page.fill("#reason", "aligned with the covenant's retention")
    page.locator(f"form[action$='/processing-activities/{new}'] button").click()
    expect(page, "#changed")
    assert "retention" in page.inner_text("#history")
    check(pages, page, "processing activity changed")
    page.goto(f"{console_url}/privacy/processing-activities/{case['activity']}")
    page.fill("#retire_reason", "the shelter no longer keeps these notes")
    page.locator("form[action$='/retire'] button").click()
    expect(page, "#retired")
    assert page.locator(f"a[href='/privacy/processing-activities/{case['activity']}']").count() == 0
    assert page.locator(f"a[href='/privacy/processing-activities/{new}']").count() == 1
    check(pages, page, "processing activity retired")
    # Recording a breach: refused without the measures (named next to the field), then kept.
    page.goto(f"{console_url}/privacy/breaches")
    page.locator("a[href='/privacy/breaches/new']").click()
    expect(page, "#measures")
    check(pages, page, "breach form")
    page.select_option("#nature", "misdirected_post")
    page.check("input[name=data_categories][value=care_history]")
    page.fill("#subjects_affected", "1")
    page.fill("#case_ids", case_id)
    page.fill("#consequences", BREACH_TEXT)
    record = page.locator("form[action='/privacy/breaches/new'] button")
    record.click()
    expect(page, "#measures-error")
    assert page.input_value("#consequences") == BREACH_TEXT
    check(pages, page, "breach refused")
    page.fill("#measures", "the letter was collected unopened")
    record.click()
    expect(page, "#breach-number")
    breach = page.inner_text("#breach-number").strip()
    assert BREACH_TEXT in page.inner_text(f"[id='{breach}']")  # as the register returns it
    check(pages, page, "breaches")
    FACTS["breach"] = breach
    page.goto(f"{console_url}/privacy/subject-data-report")
    page.fill("#case_id", case_id)
    page.locator("main form button[type=submit]").click()
    expect(page, "section.report")
    assert page.locator("dl.record").count() >= 1, page.inner_text("main")
    assert case_id not in page.url
    check(pages, page, "subject data report")
    ctx.close()


def test_the_provider_gives_the_corrected_version(browser, pages, console_url, case):
    """The shelter is told of the granted correction of its item and provides the corrected
    version; the municipality's worker, whose party provided nothing here, sees no notice."""
    if "requests" not in FACTS:
        pytest.skip("no correction was granted")
    correction, item = FACTS["requests"][1], case["care_item"]
    ctx, page = sign_in(browser, console_url, "lh-bram")
    page.goto(f"{console_url}/corrections")
    assert item in page.inner_text("#corrections"), page.inner_text("main")
    check(pages, page, "correction notices")
    page.locator(f"a[href='/corrections/{correction}']").click()
    expect(page, "#content")
    check(pages, page, "correction form")
    page.select_option("#category", "care_history")
    page.fill("#content", "stay at the shelter since April")
    page.check("input[name=purposes][value=care_coordination]")
    page.locator(f"form[action='/corrections/{correction}'] button").click()
    expect(page, "#corrected")
    corrected = page.inner_text("#item-number").strip()
    assert corrected in page.inner_text("#corrections")  # the notice names its new version
    assert page.locator(f"a[href='/corrections/{correction}']").count() == 0
    check(pages, page, "correction provided")
    ctx.close()
    ctx, page = sign_in(browser, console_url, "ehv-dirk")
    page.goto(f"{console_url}/corrections")
    assert item not in page.content() and correction not in page.content()
    ctx.close()


def test_the_privacy_officer_lists_her_partys_correction_notices(browser, pages, console_url, case):
    """The shelter's privacy officer, who granted the correction, has the shelter's correction
    notices in her menu (all of her party's, Bijlage 3): the notice with the corrected version
    the shelter's worker provided, and no link to provide one, which is the workers' (the role
    table refuses her Provide)."""
    if "requests" not in FACTS:
        pytest.skip("no correction was granted")
    correction, item = FACTS["requests"][1], case["care_item"]
    ctx, page = sign_in(browser, console_url, "fg-fenna")
    page.locator("nav a[href='/corrections']").click()
    expect(page, "#corrections")
    notice = page.locator("#corrections tbody tr", has_text=item)
    assert notice.count() == 1, page.inner_text("main")
    assert correction in notice.inner_text()
    assert page.locator("a[href^='/corrections/']").count() == 0
    check(pages, page, "correction notices privacy officer")
    ctx.close()


def test_another_privacy_officer_gets_no_trace(browser, pages, console_url, case):
    """Best's privacy officer: its party neither provided nor received anything here."""
    if "requests" not in FACTS:
        pytest.skip("the walk did not get far enough")
    case_id, never = case["case_id"], uuid.uuid4().hex
    needles = {
        "case": case_id,
        "pseudonym": case["pseudonym"],
        "justification": JUSTIFICATION,
        **{f"request {i}": r for i, r in enumerate(FACTS["requests"])},
        "breach text": BREACH_TEXT,
        **({"breach": FACTS["breach"]} if "breach" in FACTS else {}),
    }
    ctx, page = sign_in(browser, console_url, "fg-gijs")
    for path in (
        "/",
        "/privacy/subject-requests",
        "/privacy/subject-requests?overdue=1",
        "/privacy/reviews",
        "/privacy/processing-activities",
        "/privacy/breaches",
        "/privacy/access-log",
        "/overrides",
        "/corrections",  # not the officer's list at all: as a page that shows nothing
    ):
        page.goto(f"{console_url}{path}")
        text = page.content()
        for what, needle in needles.items():
            assert needle not in text, f"{path} shows the {what} to another party's officer"
        check(pages, page, f"other officer {path.split('/')[-1] or 'start'}")
    # The register is shared (GDPR art. 30(4)), its maintenance is not: no form to change
    # or retire the shelter's activity.
    page.goto(f"{console_url}/privacy/processing-activities/{case['new_activity']}")
    expect(page, "#history")
    assert page.locator("main form[method=post]").count() == 0
    check(pages, page, "other officer shelter activity")
    # A request of another controller answers as one never made.
    page.goto(f"{console_url}/privacy/subject-requests/{never}")
    unknown = page.inner_text("main")
    page.goto(f"{console_url}/privacy/subject-requests/{FACTS['requests'][0]}")
    assert page.inner_text("main") == unknown
    # The report for the real case reads exactly as for a number never given out.
    seen = {}
    for number in (never, case_id):
        page.goto(f"{console_url}/privacy/subject-data-report")
        page.fill("#case_id", number)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        seen[number] = page.inner_text("main").replace(number, "<case>")
        for what, needle in needles.items():
            if what != "case":
                assert needle not in page.content(), f"the report shows the {what}"
    assert seen[case_id] == seen[never], seen
    check(pages, page, "other officer subject data report")
    ctx.close()


def test_an_override_outside_the_need_is_answered_as_an_unknown_item(browser, console_url, case):
    """A police colleague with no part in the case gets the case as if it did not exist; the
    police delegate's override of the shelter's care history, outside its party's need, is
    answered as an item id never given out (8.4c: neither its category nor its terms told)."""
    case_id = case["case_id"]
    ctx, page = sign_in(browser, console_url, "pol-gert")
    page.goto(f"{console_url}/cases/{case_id}/break-glass")
    assert page.locator("#justification").count() == 0
    ctx.close()
    ctx, page = sign_in(browser, console_url, "pol-carla")
    page.goto(f"{console_url}/cases/{case_id}/break-glass")
    expect(page, "#justification")
    page.fill("#item_id", case["care_item"])
    page.select_option("#purpose", "enforcement")
    page.fill("#justification", "no real reason")
    page.fill("#consulted_colleague", "pol-gert")
    page.check("input[name=informed_status][value=informed]")
    page.fill("#informed", "told by phone")
    page.locator("form[action$='/break-glass'] button[type=submit]").click()
    # The care history is outside the police's need (8.4c): the override is answered as for an
    # item id never given out, naming neither its category nor its terms (since 64244e6).
    page.wait_for_selector("text=Niet gevonden, of u mag het niet zien", timeout=TIMEOUT_MS)
    assert page.locator("section.released").count() == 0, page.inner_text("main")
    assert "shelter stay" not in page.inner_text("main")
    ctx.close()


def test_a_registers_form_refused_by_role_is_one_refusal(browser, console_url, suite, case):
    """The shelter's worker posts the retirement of the entry the shelter's officer added (a
    privacy officer's form): the role table refuses it before disclosure reads anything, and the
    console shows the reasons without reading the entry's history after it, which her role
    may not list either: one refusal of the one action in the services' records and her
    budget of refusals."""
    s, _ = suite
    ctx, page = sign_in(browser, console_url, "lh-bram")
    page.goto(f"{console_url}/subject-requests/new")  # a form, for its CSRF token
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    before = _refusals_of(s.data_dir, "lh-bram")
    r = page.request.post(
        f"{console_url}/privacy/processing-activities/{case['new_activity']}/retire",
        form={"csrf_token": token or "", "reason": "no longer done"},
    )
    added = _added(before, _refusals_of(s.data_dir, "lh-bram"))
    assert added == {
        "calls": ["RetireProcessingActivity"],
        "records": ["disclosure.RetireProcessingActivity"],
    }, added
    assert r.status == 403 and "RetireProcessingActivity" in r.text()
    ctx.close()


def test_a_worker_opens_an_entry_of_the_register(browser, pages, console_url, suite, case):
    """The shelter's worker opens the entry the shelter's officer added from the register
    (every party's to read): the entry, without its history (the privacy officers'), and no
    refusal in her name (the page asked for the history, which the role table refuses her)."""
    s, _ = suite
    ctx, page = sign_in(browser, console_url, "lh-bram")
    page.goto(f"{console_url}/privacy/processing-activities")
    before = _refusals_of(s.data_dir, "lh-bram")
    entry = case["new_activity"]
    page.locator(f"a[href='/privacy/processing-activities/{entry}']").click()
    expect(page, "dl.facts, main h1")
    assert page.locator(".refused").count() == 0, page.inner_text("main")
    assert entry in page.inner_text("main")
    assert page.locator("#history").count() == 0
    assert page.locator("main form[method=post]").count() == 0  # the officers' forms
    assert _added(before, _refusals_of(s.data_dir, "lh-bram")) == {"calls": [], "records": []}
    check(pages, page, "register entry worker")
    ctx.close()
