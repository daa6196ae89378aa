"""ListSubjectRequests pages in SQL (issue #16): the requests addressed to the caller's party,
oldest first, filtered and paged by key in the database, so a page takes the same statements
however many requests the register holds; a walk over the pages shows each request once and
never another controller's; a token continues only its own query. Through the servicer, on
the same platform as ``test_disclosure_handlers.py`` (real database, embedded policy engine)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.disclosure.domain.subject_rights import SubjectRequest, one_month_after
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import ASTEN, CELLO, GGZ, GGZ_OFFICER, OFFICER
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)


def requests_to(platform, controller: str, n: int, *, kind: str = "objection", **kw) -> list[str]:
    """``n`` undecided requests addressed to ``controller`` through the repository (texts
    sealed as stored), several at the same second so the id breaks the tie."""
    ids = []
    with platform.uow_factory() as uow:
        for i in range(n):
            ref = f"sr-{uuid.uuid4().hex}"
            submitted_at = kw.get("submitted_at", NOW - timedelta(days=2, seconds=i // 3))
            uow.subject_requests.add(
                SubjectRequest(
                    subject_request_id=ref,
                    kind=kind,
                    subject_pseudonym=kw.get("subject_pseudonym", "p" * 64),
                    case_id=None,
                    item_id=None,
                    document_ref=f"doc:r/{i}",
                    submitted_by_party=CELLO,
                    submitted_at=submitted_at,
                    controller=controller,
                )
            )
            ids.append(ref)
        uow.commit()
    return ids


def listed(platform, caller: Caller, **fields) -> pb.ListSubjectRequestsResponse:
    return call(
        pages.servicer(platform).ListSubjectRequests,
        pb.ListSubjectRequestsRequest(**fields),
        caller,
    )


def walk(platform, caller: Caller, page_size: int, **fields) -> list[pb.SubjectRequestRecord]:
    return pages.walk(lambda **f: listed(platform, caller, **f), "requests", page_size, **fields)


def key(r: pb.SubjectRequestRecord) -> tuple[datetime, str]:
    return r.submitted_at.ToDatetime(timezone.utc), r.subject_request_id


def test_10_or_200_requests_take_the_same_statements_and_page_oldest_first(disclosure_platform):
    platform, _ = disclosure_platform
    ggz = requests_to(platform, GGZ, 10)
    cello = requests_to(platform, CELLO, 5)
    counts = []
    for more in (0, 190):
        ggz += requests_to(platform, GGZ, more)
        with statements() as sent:
            reply = listed(platform, GGZ_OFFICER, page_size=500)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]
    assert {r.subject_request_id for r in reply.requests} >= set(ggz)
    assert not {r.subject_request_id for r in reply.requests} & set(cello)
    walked = walk(platform, GGZ_OFFICER, 7)
    assert [r.subject_request_id for r in walked] == [r.subject_request_id for r in reply.requests]
    assert [key(r) for r in walked] == sorted(key(r) for r in walked)
    assert len({r.subject_request_id for r in walked}) == len(walked)


def test_another_partys_officer_sees_only_its_own_on_every_page(disclosure_platform):
    platform, _ = disclosure_platform
    ggz = set(requests_to(platform, GGZ, 12))
    cello = set(requests_to(platform, CELLO, 4))
    seen_by_cello = {r.subject_request_id for r in walk(platform, OFFICER, 3)}
    assert cello <= seen_by_cello and not ggz & seen_by_cello
    stranger = Caller(ASTEN, "fg-9", "privacy_officer", party_status="active")
    assert walk(platform, stranger, 2) == []  # nothing addressed to it: nothing, not refused
    caseworker = Caller(GGZ, "behandelaar-1", "caseworker", party_status="active")
    with pytest.raises(PermissionDenied):
        listed(platform, caseworker)  # not a reader of oversight, whatever its party holds


def test_kind_and_overdue_are_filtered_before_the_page_is_cut(disclosure_platform):
    platform, _ = disclosure_platform
    long_ago = NOW - timedelta(days=45)
    late = requests_to(platform, GGZ, 5, kind="complaint", submitted_at=long_ago)
    fresh = requests_to(platform, GGZ, 5, kind="complaint")
    with platform.uow_factory() as uow:  # one late request answered: no longer overdue
        uow.subject_requests.decide(
            late[0],
            outcome="granted",
            refusal_ground=None,
            reason="done",
            party=GGZ,
            person="fg-2",
            now=NOW,
        )
        uow.commit()
    complaint = pb.SUBJECT_REQUEST_KIND_COMPLAINT
    overdue = walk(platform, GGZ_OFFICER, 2, kind=complaint, overdue_only=True)
    assert {r.subject_request_id for r in overdue} == set(late[1:])
    complaints = {r.subject_request_id for r in walk(platform, GGZ_OFFICER, 3, kind=complaint)}
    assert set(late + fresh) <= complaints
    assert all(r.kind == complaint for r in walk(platform, GGZ_OFFICER, 4, kind=complaint))
    for r in overdue:
        assert key(r)[0] < NOW - timedelta(days=31)
        assert one_month_after(key(r)[0]) < NOW


def test_a_token_continues_only_its_own_query(disclosure_platform):
    platform, _ = disclosure_platform
    requests_to(platform, GGZ, 6)
    token = listed(platform, GGZ_OFFICER, page_size=2).next_page_token
    assert token
    with pytest.raises(InvalidArgument) as err:  # another filter
        listed(platform, GGZ_OFFICER, page_size=2, page_token=token, overdue_only=True)
    assert [f for f, _ in err.value.violations] == ["page_token"]
    # A token of this very query whose sort key is not (time, id): refused, not a crash.
    pages.refuses_forged_keys(
        lambda **f: listed(platform, GGZ_OFFICER, **f), pb.ListSubjectRequestsRequest(page_size=2)
    )


def test_a_decided_requests_two_texts_open_under_one_context(disclosure_platform):
    platform, _ = disclosure_platform
    refs = requests_to(platform, GGZ, 3, subject_pseudonym="q" * 64)
    with platform.uow_factory() as uow:
        for ref in refs:
            uow.subject_requests.decide(
                ref,
                outcome="refused",
                refusal_ground="required_by_law",
                reason="bewaarplicht",
                party=GGZ,
                person="fg-2",
                now=NOW,
            )
        uow.commit()
    with pages.aes_gcm_opened() as opened:
        reply = listed(platform, GGZ_OFFICER, subject_pseudonym="q" * 64)
    assert [r.reason for r in reply.requests] == ["bewaarplicht"] * 3
    # Its document reference and its reason under the one context made for its own key.
    assert len(opened.texts) == 2 * 3 and opened.contexts == 3
