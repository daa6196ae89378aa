"""The policy owner's and the secretaries' pages in a real Chromium against the embedded suite:
the rules by article, a decision explained, the policy in force; then the regional board's
secretary schedules a meeting, records who attended and puts a matter on its agenda, records
the absent party's written input, the chair and a member vote from their seats and the
secretary records the decision. People without the role get the service's refusal shown,
never a page of data. axe-core on every page, a screenshot of each.

The appointments the console has no page for yet (a party's representative appointing its
board seat, the chair appointing the secretary, art. 4.3) are played over gRPC, as a partner
system would."""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from services.console.adapters.identity import BOARD
from tests.console.test_walk import expect, sign_in
from zorgtafel.demo.actors import EINDHOVEN, POLICE_OFFICER
from zorgtafel.generated.governance.v1 import governance_pb2 as gv
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as gv_grpc

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

CHAIR, MEMBER, SECRETARY = BOARD
CHAIR_SEAT, MEMBER_SEAT, SECRETARY_SEAT = (
    "regional_board.01",
    "regional_board.02",
    "regional_board.05",
)


@pytest.fixture(scope="module")
def seated(suite, endpoints):
    """The board's seats appointed by their authorities (art. 4.3): each party's
    representative its own seat, the chair the secretary's."""
    _, keys = suite
    stub = gv_grpc.GovernanceServiceStub(grpc.insecure_channel(endpoints["governance"]))

    def appoint(party: str, role: str, person: str, seat: str, holder) -> None:  # noqa: ANN001
        stub.AssignSeat(
            gv.AssignSeatRequest(
                request_id=str(uuid.uuid4()),
                seat_id=seat,
                holder_person=holder.person,
                holder_party=holder.party,
            ),
            metadata=keys.metadata(party, role, person),
            timeout=30,
        )

    appoint(CHAIR.party, "party_representative", "grave-rep", CHAIR_SEAT, CHAIR)
    appoint(MEMBER.party, "party_representative", "best-rep", MEMBER_SEAT, MEMBER)
    appoint(CHAIR.party, CHAIR.role, CHAIR.person, SECRETARY_SEAT, SECRETARY)
    return True


def test_policy_owner_reads_the_rules_explains_a_decision_and_sees_the_revision(
    browser, pages, console_url
):
    ctx, page = sign_in(browser, console_url, SECRETARY.person)
    page.locator("header nav").get_by_role("link", name="Regels").click()
    expect(page, "h1:has-text('De regels per artikel')")
    body = page.inner_text("main")
    # Grouped by article, each with the policy's title from its METADATA and its reasons.
    assert "art. 16.2" in body and "Disclosure of an information item to a recipient" in body
    assert page.locator("section h2", has_text=re.compile(r"^art\. 8\.4c$")).count() == 1
    pages.check(page, "policy rules by article")

    page.get_by_role("link", name="Een besluit uitleggen").click()
    page.select_option("#policy", "zorgtafel.disclosure")
    page.fill("#input", json.dumps({"input": {"action": "read"}}))
    page.get_by_role("button", name="Uitleggen").click()
    expect(page, "pre.content")
    explained = page.inner_text("pre.content")
    # The decision, its reasons and the facts marked, as `zorgtafel policy explain` prints.
    assert "Decision:  DENIED" in explained and "art. 16.2" in explained
    assert "[!] requester has a part in the case (art. 8.4c, Bijlage 3)" in explained
    pages.check(page, "policy explain a decision")

    page.fill("#input", "{not json")
    page.get_by_role("button", name="Uitleggen").click()
    expect(page, "[role=alert]")
    assert "not JSON" in page.inner_text("[role=alert]")

    page.goto(f"{console_url}/policy/revision")
    expect(page, "h1:has-text('Het beleid dat geldt')")
    assert re.search(r"sha256:[0-9a-f]{64}", page.inner_text("main"))
    # The history (issue #19): the entry in force first, with its bundle's digest.
    first = page.inner_text("#revision-history tbody tr:first-child")
    assert "Geldt nu" in first and len(re.findall(r"sha256:[0-9a-f]{64}", first)) == 2
    pages.check(page, "policy in force")
    ctx.close()


def test_secretary_meeting_proposal_votes_written_input_and_decision(
    browser, pages, console_url, seated
):
    # The secretary opens the board's meeting as it sits and records who attended (art. 4.5):
    # attendance is recorded from the meeting's start, so it began an hour ago (the form's time
    # is the Netherlands', an hour or two ahead of UTC: begun either way).
    ctx, page = sign_in(browser, console_url, SECRETARY.person)
    page.locator("header nav").get_by_role("link", name="Organen").click()
    expect(page, "h1:has-text('Organen van het convenant')")
    pages.check(page, "bodies")
    page.select_option("#body", "regional_board")
    begun = datetime.now(timezone.utc) - timedelta(hours=1)
    page.fill("#when", begun.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Plannen").click()
    expect(page, "h1:has-text('Vergadering')")
    meeting_url = page.url
    for party in (CHAIR.party, MEMBER.party, SECRETARY.party):
        page.check(f"input[name=present][value='{party}']")
    page.get_by_role("button", name="Aanwezigheid vastleggen").click()
    expect(page, "input[name=present][value='00000099000000000016']:checked")
    pages.check(page, "board meeting with attendance")

    # A matter that may significantly affect Eindhoven, absent (art. 5.3).
    page.fill("#subject_code", "jaarplan-2027")
    page.check(f"input[name=affects][value='{EINDHOVEN}']")
    page.get_by_role("button", name="Voorstellen").click()
    expect(page, "#status")
    proposal_url = page.url
    assert "/governance/proposals/" in proposal_url
    assert page.inner_text("#status") == "In stemming"
    pages.check(page, "proposal under vote")

    # Without Eindhoven's written input the decision waits (5.3): the service says why.
    page.get_by_role("button", name="Stemmen tellen en besluiten").click()
    expect(page, "[role=alert]")
    pages.check(page, "decision refused without written input")
    page.select_option("#party", EINDHOVEN)
    page.check("input[name=kind][value=written]")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page, "#status")
    assert "Eindhoven" in page.inner_text("main")
    ctx.close()

    # The chair and the member vote from their seats (art. 5).
    for voter, seat in ((CHAIR, CHAIR_SEAT), (MEMBER, MEMBER_SEAT)):
        ctx, page = sign_in(browser, console_url, voter.person)
        page.goto(proposal_url)
        expect(page, "#seat_id")
        assert page.input_value("#seat_id") == seat
        page.check("input[name=choice][value=for]")
        page.get_by_role("button", name="Stem uitbrengen").click()
        expect(page, "#votes-for")
        assert page.locator("[role=alert]").count() == 0, page.inner_text("main")[:1500]
        # The votes cast so far, as governance answered the vote.
        assert page.inner_text("#votes-for") == ("1" if voter is CHAIR else "2")
        if voter is CHAIR:
            pages.check(page, "proposal with a vote")
        ctx.close()

    # The secretary records the decision: adopted, by consensus (5.2).
    ctx, page = sign_in(browser, console_url, SECRETARY.person)
    page.goto(proposal_url)
    page.get_by_role("button", name="Stemmen tellen en besluiten").click()
    expect(page, "#decision-heading")
    assert page.inner_text("#status") == "Aangenomen"
    assert page.inner_text("#votes-for") == "2"
    pages.check(page, "decision")
    ctx.close()

    # The member may vote but not record a decision or schedule a meeting: the refusal shows.
    ctx, page = sign_in(browser, console_url, MEMBER.person)
    page.goto(meeting_url)
    page.fill("#subject_code", "nog-een-punt")
    page.get_by_role("button", name="Voorstellen").click()  # a member may propose (art. 5)
    expect(page, "#status")
    page.get_by_role("button", name="Stemmen tellen en besluiten").click()
    expect(page, "[role=alert]")
    assert "Niet toegestaan" in page.inner_text("[role=alert]")
    pages.check(page, "decision refused to a member")
    page.goto(f"{console_url}/governance")
    page.get_by_role("button", name="Plannen").click()
    expect(page, "[role=alert]")
    assert "Niet toegestaan" in page.inner_text("[role=alert]")
    ctx.close()

    # A caseworker, no member of any body: the role table refuses her the proposal and the
    # meeting before governance reads anything, so the page shows that refusal's reasons,
    # which name her role and the method only, the same for a number never given out (it
    # shows nothing of the proposal); scheduling is refused with its reason.
    ctx, page = sign_in(browser, console_url, POLICE_OFFICER.person)
    for url in (proposal_url, meeting_url):
        number = url.rsplit("/", 1)[-1]
        seen = []
        for asked in (url, url.replace(number, uuid.uuid4().hex)):
            response = page.goto(asked)
            assert response is not None and response.status == 403
            assert "jaarplan" not in page.inner_text("main")
            assert "caseworker" in page.inner_text("[role=alert]")
            seen.append(page.inner_text("main").replace(asked.rsplit("/", 1)[-1], "<n>"))
        assert seen[0] == seen[1], seen
    pages.check(page, "proposal refused to a caseworker by role")
    page.goto(f"{console_url}/governance")
    page.get_by_role("button", name="Plannen").click()
    expect(page, "[role=alert]")
    assert "Niet toegestaan" in page.inner_text("[role=alert]")
    pages.check(page, "scheduling refused to a caseworker")
    ctx.close()


def test_policy_owner_sees_what_the_proposal_under_vote_would_change(
    browser, pages, console_url, endpoints, suite, seated
):
    """A work-process proposal naming a revision and its impact report (the subject code
    `zorgtafel policy propose --impact-report` gives it), put to the partner council over gRPC
    as a partner system would (6.6c: the council's, the board's only on referral, 7.3); the
    policy owner, the board secretary who also holds the council secretary seat it appointed
    (6.4), opens it from the page of the policy in force."""
    from zorgtafel.policy.bundle import revision_of
    from zorgtafel.policy.loop import impact_code
    from zorgtafel.policy.sources import default_policy_dir

    _, keys = suite
    stub = gv_grpc.GovernanceServiceStub(grpc.insecure_channel(endpoints["governance"]))
    digest = "sha256:" + "ab" * 32
    metadata = keys.metadata(SECRETARY.party, SECRETARY.role, SECRETARY.person)
    stub.AssignSeat(
        gv.AssignSeatRequest(
            request_id=str(uuid.uuid4()),
            seat_id="partner_council.secretary",
            holder_person=SECRETARY.person,
            holder_party=SECRETARY.party,
        ),
        metadata=metadata,
        timeout=30,
    )
    proposal = stub.Propose(
        gv.ProposeRequest(
            request_id=str(uuid.uuid4()),
            body=gv.BODY_PARTNER_COUNCIL,
            kind=gv.PROPOSAL_KIND_WORK_PROCESS,
            subject_code=impact_code(digest),
            work_process_version="2027.1",
            policy_revision=revision_of(default_policy_dir()),
        ),
        metadata=metadata,
        timeout=30,
    ).proposal

    ctx, page = sign_in(browser, console_url, SECRETARY.person)
    page.goto(f"{console_url}/policy/revision")
    page.fill("#proposal_id", proposal.proposal_id)
    page.get_by_role("button", name="Openen").click()
    expect(page, "#change-heading")
    change = page.inner_text("main")
    assert proposal.policy_revision in change and "2027.1" in change
    assert "sha256:" + "ab" * 24 in change  # the impact report's digest, as the code holds it
    pages.check(page, "proposal what it would change")
    ctx.close()
