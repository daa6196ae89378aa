"""ListReviews pages in SQL (issue #16): the break-glass reviews a privacy officer may see,
oldest first, narrowed and paged by key in the database, the case keys of a page read in one
statement and only the page's texts opened, so a page takes the same statements however many
reviews (and cases) are held; a walk shows each review once and nothing of a party not
concerned; one case's reviews only to a party it concerns. Through the servicer, on the same
platform as ``test_disclosure_handlers.py`` (real database, embedded policy engine)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.disclosure.domain.decisions import Review
from services.disclosure.domain.notices import NOT_YET, ClientInformed
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import ASTEN, CELLO, FARENT, GGZ, GGZ_OFFICER, OFFICER
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)
JUSTIFICATION = "acuut gevaar: de cliënt was niet bereikbaar"
STRANGER = Caller(ASTEN, "fg-9", "privacy_officer", party_status="active")


def overrides(
    platform,
    n: int,
    *,
    provider: str = GGZ,
    party: str = CELLO,
    cases: int = 0,
    told: ClientInformed | None = None,
):
    """``n`` reviews of ``party``'s overrides on ``provider``'s items, over ``cases`` cases
    (default: one case each), sealed under each case's key as break-glass stores them; several
    in the same second so the id breaks the tie; the client ``told`` (default: not yet, within
    30 days). Returns the review ids and the case ids."""
    told = told or ClientInformed(NOT_YET, "volgt", (NOW + timedelta(days=30)).date())
    case_ids = [f"case-{uuid.uuid4().hex[:12]}" for _ in range(cases or n)]
    ids = []
    with platform.uow_factory() as uow:
        keys = {c: uow.keys.create(uow.session, c) for c in case_ids}
        for i in range(n):
            case_id = case_ids[i % len(case_ids)]
            review_id = f"rev-{uuid.uuid4().hex}"
            review = Review(
                review_id,
                f"dec-{uuid.uuid4().hex}",
                case_id,
                f"item-{uuid.uuid4().hex[:12]}",
                provider,
                party,
                "zorgcoordinator-2",
                "collega-1",
                JUSTIFICATION,
                told.to_sealed().decode(),
                NOW - timedelta(hours=1, seconds=i // 3),
            )
            uow.reviews.add(review, keys[case_id])
            ids.append(review_id)
        uow.commit()
    return ids, case_ids


def listed(platform, caller: Caller, **fields) -> pb.ListReviewsResponse:
    return call(pages.servicer(platform).ListReviews, pb.ListReviewsRequest(**fields), caller)


def walk(platform, caller: Caller, page_size: int, **fields) -> list:
    return pages.walk(lambda **f: listed(platform, caller, **f), "reviews", page_size, **fields)


def test_10_or_200_reviews_over_as_many_cases_take_the_same_statements(disclosure_platform):
    platform, _ = disclosure_platform
    ids, _ = overrides(platform, 10)
    counts = []
    for more in (0, 190):
        ids += overrides(platform, more)[0] if more else []
        with statements() as sent:
            reply = listed(platform, GGZ_OFFICER, page_size=500)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]  # not a key lookup per review or per case
    assert set(ids) <= {r.review_id for r in reply.reviews}
    walked = walk(platform, GGZ_OFFICER, 7)
    assert [r.review_id for r in walked] == [r.review_id for r in reply.reviews]
    order = [(r.created_at.ToDatetime(timezone.utc), r.review_id) for r in walked]
    assert order == sorted(order) and len(set(order)) == len(order)
    mine = {r.review_id: r for r in walked}
    assert all(mine[i].justification == JUSTIFICATION for i in ids)  # the page's texts open


def test_a_page_of_one_cases_reviews_opens_its_texts_under_one_context(disclosure_platform):
    platform, _ = disclosure_platform
    ids, cases = overrides(platform, 12, cases=1)
    with pages.aes_gcm_opened() as opened:
        reply = listed(platform, GGZ_OFFICER, case_id=cases[0], page_size=20)
    assert {r.review_id for r in reply.reviews} == set(ids)
    assert all(r.justification == JUSTIFICATION for r in reply.reviews)
    # Two texts a review (its justification, the client's informing), the case's key's
    # AES-GCM context made once for the page, not once a text.
    assert len(opened.texts) == 2 * 12 and opened.contexts == 1


def test_a_party_not_concerned_sees_none_of_them_on_any_page(disclosure_platform):
    platform, _ = disclosure_platform
    ggz_on_cello, cases = overrides(platform, 9, provider=GGZ, party=CELLO, cases=3)
    farent_own, _ = overrides(platform, 4, provider=FARENT, party=FARENT)
    assert set(ggz_on_cello) <= {r.review_id for r in walk(platform, OFFICER, 2)}  # overrider
    assert not {r.review_id for r in walk(platform, STRANGER, 2)} & set(ggz_on_cello + farent_own)
    seen_by_ggz = {r.review_id for r in walk(platform, GGZ_OFFICER, 4)}
    assert set(ggz_on_cello) <= seen_by_ggz and not seen_by_ggz & set(farent_own)
    # One case: its reviews to a party it concerns, refused to one it does not.
    one = {r.review_id for r in walk(platform, GGZ_OFFICER, 2, case_id=cases[0])}
    assert len(one) == 3 and one <= set(ggz_on_cello)
    with pytest.raises(PermissionDenied):
        listed(platform, STRANGER, case_id=cases[0])
    caseworker = Caller(GGZ, "behandelaar-1", "caseworker", party_status="active")
    with pytest.raises(PermissionDenied):
        listed(platform, caseworker)  # not a reader of oversight, whatever its party holds


def test_a_token_continues_only_its_own_query(disclosure_platform):
    platform, _ = disclosure_platform
    _, cases = overrides(platform, 6, cases=1)
    token = listed(platform, GGZ_OFFICER, page_size=2).next_page_token
    assert token
    with pytest.raises(InvalidArgument) as err:  # another query: one case
        listed(platform, GGZ_OFFICER, page_size=2, page_token=token, case_id=cases[0])
    assert [f for f, _ in err.value.violations] == ["page_token"]
    pages.refuses_forged_keys(
        lambda **f: listed(platform, GGZ_OFFICER, **f), pb.ListReviewsRequest(page_size=2)
    )


def test_the_providers_override_notices_read_a_pages_case_keys_in_one_statement(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    provider = Caller(FARENT, "fg-3", "privacy_officer", party_status="active")  # sees all
    servicer = pages.servicer(platform)
    counts = []
    for n in (10, 190):
        overrides(platform, n, provider=FARENT, party=CELLO)  # each of its own case
        with statements() as sent:
            reply = call(
                servicer.ListOverrideNotices, pb.ListOverrideNoticesRequest(page_size=500), provider
            )
        counts.append(len(sent))
    assert len(reply.notices) >= 200
    assert counts[0] == counts[1]  # not a case key lookup per case shown
