"""ListCorrectionNotices pages in SQL (issue #16): the granted corrections of the items the
provider provided, newest decision first, filtered and paged by key (decided at, request id) in
the database, so a page takes the same statements however many corrections are held; a walk
over the pages shows each notice once and never another provider's; a token continues only its
own query. Through the servicer, on the same platform as ``test_disclosure_handlers.py`` (real
database, embedded policy engine)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.disclosure.domain.items import Item, Terms
from services.disclosure.domain.subject_rights import SubjectRequest
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import CELLO, GGZ, GGZ_OFFICER, OFFICER
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)

# The privacy officers list all of their party's notices; a worker only those of the cases it
# has a part in (``test_disclosure_notice_scope.py``).
PROVIDER = GGZ_OFFICER
CARER = OFFICER


def corrections_of(platform, provider: str, n: int, *, outcome: str = "granted") -> list[str]:
    """``n`` corrections of items ``provider`` provided, decided with ``outcome``: the item, the
    request (texts sealed as stored) and the decision through the repositories, several decided
    at the same second so the id breaks the tie."""
    ids = []
    with platform.uow_factory() as uow:
        case_id = f"case-{uuid.uuid4().hex[:12]}"
        key = uow.keys.get_or_create(uow.session, case_id)
        for i in range(n):
            item_id = f"itm-{uuid.uuid4().hex}"
            uow.items.add(
                Item(
                    item_id=item_id,
                    case_id=case_id,
                    provider=provider,
                    provided_by_person="behandelaar-1",
                    category="health",
                    classification="confidential",
                    legal_basis="public_task",
                    content_type="application/json",
                    terms=Terms(purposes=("care_coordination",)),
                    retracted=False,
                    erased=False,
                    provided_at=NOW - timedelta(days=9),
                ),
                key,
                b'{"note": "sees a counsellor weekly"}',
                {},
            )
            ref = f"sr-{uuid.uuid4().hex}"
            uow.subject_requests.add(
                SubjectRequest(
                    subject_request_id=ref,
                    kind="correction",
                    subject_pseudonym="p" * 64,
                    case_id=case_id,
                    item_id=item_id,
                    document_ref=f"doc:r/{i}",
                    submitted_by_party=CELLO,
                    submitted_at=NOW - timedelta(days=8),
                    controller=provider,
                )
            )
            decided_at = NOW - timedelta(days=2, seconds=i // 3)
            uow.subject_requests.decide(
                ref,
                outcome=outcome,
                refusal_ground=None if outcome == "granted" else "inaccurate_claim",
                reason="juist",
                party=provider,
                person="fg-2",
                now=decided_at,
            )
            if outcome == "granted":
                uow.items.mark_superseded(item_id, decided_at)
            ids.append(ref)
        uow.commit()
    return ids


def listed(platform, caller: Caller, **fields) -> pb.ListCorrectionNoticesResponse:
    return call(
        pages.servicer(platform).ListCorrectionNotices,
        pb.ListCorrectionNoticesRequest(**fields),
        caller,
    )


def walk(platform, caller: Caller, page_size: int, **fields) -> list[pb.CorrectionNotice]:
    return pages.walk(lambda **f: listed(platform, caller, **f), "notices", page_size, **fields)


def key(n: pb.CorrectionNotice) -> tuple[datetime, str]:
    return n.decided_at.ToDatetime(timezone.utc), n.subject_request_id


def test_10_or_200_corrections_take_the_same_statements_and_page_newest_first(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    ggz = corrections_of(platform, GGZ, 10)
    cello = corrections_of(platform, CELLO, 5)
    refused = corrections_of(platform, GGZ, 3, outcome="refused")
    counts = []
    for more in (0, 190):
        ggz += corrections_of(platform, GGZ, more)
        with statements() as sent:
            reply = listed(platform, PROVIDER, page_size=500)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]
    shown = [n.subject_request_id for n in reply.notices]
    assert set(shown) >= set(ggz)
    assert not set(shown) & set(cello + refused)
    assert {n.provider for n in reply.notices} == {GGZ}
    walked = walk(platform, PROVIDER, 7)
    assert [n.subject_request_id for n in walked] == shown
    assert [key(n) for n in walked] == sorted((key(n) for n in walked), reverse=True)
    assert len(set(shown)) == len(shown)


def test_another_partys_people_see_none_of_the_providers_notices_on_any_page(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    ggz = set(corrections_of(platform, GGZ, 12))
    cello = set(corrections_of(platform, CELLO, 4))
    seen_by_cello = {n.subject_request_id for n in walk(platform, CARER, 3)}
    assert cello <= seen_by_cello and not ggz & seen_by_cello
    assert {n.subject_request_id for n in walk(platform, PROVIDER, 5)} >= ggz
    with pytest.raises(PermissionDenied):  # another party's notices: refused, on any page
        listed(platform, CARER, provider=GGZ)
    token = listed(platform, PROVIDER, provider=GGZ, page_size=2).next_page_token
    assert token
    with pytest.raises(PermissionDenied):
        listed(platform, CARER, provider=GGZ, page_size=2, page_token=token)


def test_a_token_continues_only_its_own_query(disclosure_platform):
    platform, _ = disclosure_platform
    corrections_of(platform, GGZ, 6)
    token = listed(platform, PROVIDER, page_size=2).next_page_token
    assert token
    with pytest.raises(InvalidArgument) as err:  # another filter: the provider named
        listed(platform, PROVIDER, page_size=2, page_token=token, provider=GGZ)
    assert [f for f, _ in err.value.violations] == ["page_token"]
    # A token of this very query whose sort key is not (aware time, id): refused, not a crash.
    pages.refuses_forged_keys(
        lambda **f: listed(platform, PROVIDER, **f), pb.ListCorrectionNoticesRequest(page_size=2)
    )
