"""ListBreaches pages in SQL (issue #16): the breaches the caller's party recorded, oldest first,
narrowed to the party and paged by key (recorded at, breach id) in the database, and only the
page's texts unsealed, so a page takes the same statements however many breaches the register
holds; a walk over the pages shows each breach once and never another party's; a token
continues only its own query. Through the servicer, on the same platform as
``test_disclosure_handlers.py`` (real database, embedded policy engine). Who may call it at all
(auditors, privacy officers) is the authorisation interceptor's (``zorgtafel.authz``), not the
servicer's: tests/matrix covers that refusal."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.disclosure.domain.subject_rights import Breach
from services.disclosure.service_layer.handlers import registers
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import CELLO, GGZ, GGZ_OFFICER, OFFICER
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel import paging
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)


def breaches_of(platform, party: str, n: int) -> list[str]:
    """``n`` breaches ``party`` recorded, through the repository (texts sealed as stored),
    several at the same second so the id breaks the tie."""
    ids = []
    with platform.uow_factory() as uow:
        for i in range(n):
            breach_id = f"brc-{uuid.uuid4().hex}"
            recorded_at = NOW - timedelta(days=2, seconds=i // 3)
            uow.breaches.add(
                Breach(
                    breach_id=breach_id,
                    detected_at=recorded_at - timedelta(hours=1),
                    recorded_at=recorded_at,
                    recorded_by_party=party,
                    recorded_by_person="fg-9",
                    nature="misdirected_email",
                    data_categories=("contact_details",),
                    subjects_affected=1,
                    case_ids=(),
                    consequences=f"een e-mail ging naar een derde ({i})",
                    measures="de ontvanger heeft de e-mail verwijderd",
                    reported_to_authority=False,
                    reported_at=None,
                    subjects_informed=False,
                )
            )
            ids.append(breach_id)
        uow.commit()
    return ids


def listed(platform, caller: Caller, **fields) -> pb.ListBreachesResponse:
    return call(pages.servicer(platform).ListBreaches, pb.ListBreachesRequest(**fields), caller)


def walk(platform, caller: Caller, page_size: int, **fields) -> list[pb.Breach]:
    return pages.walk(lambda **f: listed(platform, caller, **f), "breaches", page_size, **fields)


def key(b: pb.Breach) -> tuple[datetime, str]:
    return b.recorded_at.ToDatetime(timezone.utc), b.breach_id


def test_10_or_200_breaches_take_the_same_statements_and_page_oldest_first(disclosure_platform):
    platform, _ = disclosure_platform
    ggz = breaches_of(platform, GGZ, 10)
    cello = breaches_of(platform, CELLO, 5)
    counts = []
    for more in (0, 190):
        ggz += breaches_of(platform, GGZ, more)
        with statements() as sent:
            reply = listed(platform, GGZ_OFFICER, page_size=500)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]
    shown = [b.breach_id for b in reply.breaches]
    assert set(shown) >= set(ggz)
    assert not set(shown) & set(cello)
    walked = walk(platform, GGZ_OFFICER, 7)
    assert [b.breach_id for b in walked] == shown
    assert [key(b) for b in walked] == sorted(key(b) for b in walked)
    assert len(set(shown)) == len(shown)
    assert all(b.measures == "de ontvanger heeft de e-mail verwijderd" for b in walked)


def test_only_the_pages_breaches_are_unsealed_both_texts_under_one_context(disclosure_platform):
    platform, _ = disclosure_platform
    breaches_of(platform, GGZ, 30)
    breaches_of(platform, CELLO, 30)
    with pages.aes_gcm_opened() as opened:
        reply = listed(platform, GGZ_OFFICER, page_size=4)
    # Two texts a breach, of the breaches fetched (the page and the one that says more follow),
    # each breach's two under one AES-GCM context made for its key.
    assert len(reply.breaches) == 4 and len(opened.texts) == 2 * 5
    assert opened.contexts == 5


def test_another_partys_officer_sees_none_of_them_on_any_page(disclosure_platform):
    platform, _ = disclosure_platform
    ggz = set(breaches_of(platform, GGZ, 12))
    cello = set(breaches_of(platform, CELLO, 4))
    seen_by_cello = {b.breach_id for b in walk(platform, OFFICER, 3)}
    assert cello <= seen_by_cello and not ggz & seen_by_cello
    stranger = Caller(base.ASTEN, "fg-9", "privacy_officer", party_status="active")
    assert walk(platform, stranger, 2) == []  # nothing recorded by it: nothing, not refused
    # GGZ's token in another party's hands continues that party's own register, not GGZ's.
    token = listed(platform, GGZ_OFFICER, page_size=2).next_page_token
    assert token
    continued = listed(platform, OFFICER, page_size=50, page_token=token).breaches
    assert not {b.breach_id for b in continued} & ggz
    # The export keeps reading the party's own register whole.
    with platform.uow_factory() as uow:
        exported = {b.breach_id for b in registers.own_breaches(uow, OFFICER)}
    assert cello <= exported and not ggz & exported


def test_a_token_continues_only_its_own_query(disclosure_platform):
    platform, _ = disclosure_platform
    breaches_of(platform, GGZ, 6)
    # A token of another list (its digest names the request type).
    other_digest = paging._query_digest(pb.ListCorrectionNoticesRequest(page_size=2))
    other = paging._encode(2, other_digest, ["2026-01-01T00:00:00Z", "sr-x"])
    with pytest.raises(InvalidArgument) as err:
        listed(platform, GGZ_OFFICER, page_size=2, page_token=other)
    assert [f for f, _ in err.value.violations] == ["page_token"]
    # A token of this very query whose sort key is not (aware time, id): refused, not a crash.
    pages.refuses_forged_keys(
        lambda **f: listed(platform, GGZ_OFFICER, **f), pb.ListBreachesRequest(page_size=2)
    )
