"""Oversight lists every record of the access log, not only the newest 1,000 (issue #16, the
lists): disclosure's AccessLog and the kernel's ``AccessLogService.ListAccess`` read the parties
concerned over the whole filter and page by key, newest first, with the ``restrict_to_party``
obligation in SQL. A party concerned only in old records is recognised (it was refused) and
finds them on a full first page; a walk shows each record once, newest first, also when records
are appended between pages; the SQL narrowing selects exactly what the Python rule
(``oversight.concerned_parties``) does; a page takes the same statements on the last page as on
the first; forged tokens are INVALID_ARGUMENT. Through the servicers, on the handler platform
(real database, embedded policy engine)."""

from __future__ import annotations

import dataclasses
import itertools
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import ASTEN, CELLO, FARENT, GGZ, GGZ_OFFICER
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as logpb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel import paging
from zorgtafel.kernel.accesslog import store
from zorgtafel.kernel.accesslog.oversight import LOOKS, concerned_parties
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.accesslog.servicer import AccessLogServicer
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.testing.statements import call, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)
FARENT_OFFICER = Caller(FARENT, "fg-3", "privacy_officer", party_status="active")
ASTEN_OFFICER = Caller(ASTEN, "fg-4", "privacy_officer", party_status="active")


def record(subject: str, *, party: str, provider: str, recipient: str, result: str, i: int):
    return AccessRecord(
        recorded_at=NOW - timedelta(seconds=10_000 - i),
        party=party,
        person=f"worker-{i % 7}",
        role="caseworker",
        rpc="RequestDisclosure",
        action="read",
        result=result,
        resource=f"item-{i:06d}",
        case_id=f"case-{subject}",
        subject_pseudonym=subject,
        provider=provider,
        purpose="care_coordination",
        processing_activity="ZT-VA-03@1",
        reasons=("test",),
        decision_id=uuid.uuid4().hex,
        policy_revision="rev-test",
        trace_id="a" * 32,
        span_id="b" * 16,
        recipient=recipient,
        input_digest="c" * 64,
    )


def append(platform, records: list[AccessRecord]) -> None:
    """Appended as the log appends (numbered, leaf hashes, the tree's head)."""
    with platform.uow_factory() as uow:
        store.append_batch(
            uow.session,
            store.LogTables.of(uow.tables),
            records,
            signer=None,
            log_id="test",
            now=NOW,
        )
        uow.commit()


def subject_with_old_farent_reads(platform, n: int = 1_300, old: int = 5) -> str:
    """``n`` looks at one subject at items GGZ provided: the ``old`` oldest by Farent's
    people, then Cello's (1 in 10 refused)."""
    subject = f"psn-{uuid.uuid4().hex[:12]}"
    append(
        platform,
        [
            record(
                subject,
                party=FARENT if i < old else CELLO,
                provider=GGZ,
                recipient=FARENT if i < old else CELLO,
                result="denied" if i >= old and i % 10 == 0 else "allowed",
                i=i,
            )
            for i in range(n)
        ],
    )
    return subject


def access_log(platform, caller: Caller, **fields) -> pb.AccessLogResponse:
    return call(pages.servicer(platform).AccessLog, pb.AccessLogRequest(**fields), caller)


def list_access(platform, caller: Caller, **fields) -> logpb.ListAccessResponse:
    servicer = AccessLogServicer("disclosure", platform.uow_factory, platform.policy)
    return call(servicer.ListAccess, logpb.ListAccessRequest(**fields), caller)


ASKS = {"AccessLog": access_log, "ListAccess": list_access}


@pytest.mark.parametrize("rpc", sorted(ASKS))
def test_every_record_of_a_subject_is_listed_newest_first_past_the_newest_1000(
    disclosure_platform, rpc
):
    platform, _ = disclosure_platform
    ask = ASKS[rpc]
    subject = subject_with_old_farent_reads(platform)
    shown = pages.walk(
        lambda **f: ask(platform, GGZ_OFFICER, **f),
        "entries",
        500,
        subject_pseudonym=subject,
    )
    seqs = [e.seq for e in shown]
    assert len(shown) == 1_300 and len(set(seqs)) == 1_300
    assert seqs == sorted(seqs, reverse=True)
    assert {e.party for e in shown[-5:]} == {FARENT}  # the oldest, on the last page


@pytest.mark.parametrize("rpc", sorted(ASKS))
def test_a_party_concerned_only_in_old_records_finds_them_on_its_first_page(
    disclosure_platform, rpc
):
    platform, _ = disclosure_platform
    ask = ASKS[rpc]
    subject = subject_with_old_farent_reads(platform)
    first = ask(platform, FARENT_OFFICER, subject_pseudonym=subject, page_size=10)
    assert [e.party for e in first.entries] == [FARENT] * 5
    assert first.next_page_token == ""
    with pytest.raises(PermissionDenied):
        ask(platform, ASTEN_OFFICER, subject_pseudonym=subject)


def test_a_limit_caps_the_listing_over_all_its_pages(disclosure_platform):
    platform, _ = disclosure_platform
    subject = subject_with_old_farent_reads(platform, n=400)
    shown = pages.walk(
        lambda **f: access_log(platform, GGZ_OFFICER, **f),
        "entries",
        100,
        subject_pseudonym=subject,
        limit=250,
    )
    assert len(shown) == 250 and len({e.seq for e in shown}) == 250
    with pytest.raises(InvalidArgument) as err:
        access_log(platform, GGZ_OFFICER, subject_pseudonym=subject, limit=-1)
    assert [f for f, _ in err.value.violations] == ["limit"]


def test_records_appended_between_pages_neither_repeat_nor_push_rows_off(disclosure_platform):
    platform, _ = disclosure_platform
    subject = subject_with_old_farent_reads(platform, n=300)
    first = access_log(platform, GGZ_OFFICER, subject_pseudonym=subject, page_size=100)
    append(
        platform,
        [
            record(subject, party=CELLO, provider=GGZ, recipient=CELLO, result="allowed", i=i)
            for i in range(20)
        ],
    )
    rest = pages.walk(
        lambda **f: access_log(
            platform, GGZ_OFFICER, **({**f, "page_token": f["page_token"] or first.next_page_token})
        ),
        "entries",
        100,
        subject_pseudonym=subject,
    )
    seqs = [e.seq for e in first.entries] + [e.seq for e in rest]
    assert len(seqs) == 300 and len(set(seqs)) == 300
    assert seqs == sorted(seqs, reverse=True)


@pytest.mark.parametrize("rpc", sorted(ASKS))
def test_the_last_page_takes_the_statements_of_the_first(disclosure_platform, rpc):
    platform, _ = disclosure_platform
    ask = ASKS[rpc]
    subject = subject_with_old_farent_reads(platform)
    counts = []
    token = ""
    while True:
        with statements() as sent:
            reply = ask(platform, GGZ_OFFICER, subject_pseudonym=subject, page_token=token)
        counts.append(len(sent))
        token = reply.next_page_token
        if not token:
            break
    assert len(counts) == 13 and len(set(counts)) == 1


@pytest.mark.parametrize("rpc", sorted(ASKS))
def test_a_forged_or_old_token_is_refused_naming_page_token(disclosure_platform, rpc):
    platform, _ = disclosure_platform
    ask = ASKS[rpc]
    subject = subject_with_old_farent_reads(platform, n=30)
    request = (pb.AccessLogRequest if rpc == "AccessLog" else logpb.ListAccessRequest)(
        subject_pseudonym=subject, page_size=10
    )
    digest = paging._query_digest(request)
    forged = [paging._encode(10, digest, k) for k in (["x"], ["0"], ["-3"], ["07"], ["1", "2"], [])]
    forged.append(paging._encode(10, digest))  # an offset token of the listing before
    for token in forged:
        with pytest.raises(InvalidArgument) as err:
            ask(platform, GGZ_OFFICER, subject_pseudonym=subject, page_size=10, page_token=token)
        assert [f for f, _ in err.value.violations] == ["page_token"]


@pytest.mark.parametrize("concern_by", ["subject_pseudonym", "party"])
def test_the_sql_narrowing_selects_what_the_oversight_rule_selects(disclosure_platform, concern_by):
    """Every combination of reader, recipient, provider and result, for every party."""
    platform, _ = disclosure_platform
    subject = f"psn-{uuid.uuid4().hex[:12]}"
    parties = (GGZ, CELLO, FARENT)
    combos = itertools.product(parties, (*parties, ""), (*parties, ""), (*LOOKS, "denied"))
    append(
        platform,
        [
            record(subject, party=p, recipient=r, provider=v, result=res, i=i)
            for i, (p, r, v, res) in enumerate(combos)
        ],
    )
    with platform.uow_factory() as uow:
        t = store.LogTables.of(uow.tables)
        whole = store.page_newest(uow.session, t, "subject_pseudonym", subject, limit=10_000)
        assert len(whole) == 3 * 4 * 4 * (len(LOOKS) + 1)
        for party in (*parties, ASTEN):
            in_sql = store.page_newest(
                uow.session,
                t,
                "subject_pseudonym",
                subject,
                limit=10_000,
                where=store.concerning(t, party, concern_by, LOOKS),
            )
            by_rule = [r for r in whole if party in concerned_parties(r, concern_by)]
            assert [r["seq"] for r in in_sql] == [r["seq"] for r in by_rule], party


def test_a_case_unknown_here_reports_every_read_and_shows_the_newest(disclosure_platform):
    """Disclosure's part of a subject's report by a case it never opened (no subject known):
    its reads by case id counted in full, and the newest shown (it counted at most 1,000 and,
    read newest first, kept the oldest)."""
    from services.disclosure.service_layer import subject_data

    platform, _ = disclosure_platform
    case = f"case-{uuid.uuid4().hex[:12]}"
    n = subject_data.MAX_ACCESSES + 5
    records = [
        record("", party=CELLO, provider=GGZ, recipient=CELLO, result="denied", i=i)
        for i in range(n)
    ]
    append(platform, [dataclasses.replace(r, case_id=case) for r in records])
    with platform.uow_factory() as uow:
        holding = subject_data.export(uow, "case_id", case)
    assert holding is not None
    (accesses,) = [s for s in holding.sections if s.name == "accesses"]
    assert f"of {n}" in accesses.description
    shown = [r.fields["resource"] for r in accesses.records]
    assert len(shown) == subject_data.MAX_ACCESSES
    assert f"item-{n - 1:06d}" in shown and "item-000000" not in shown


@pytest.mark.parametrize("rpc", sorted(ASKS))
def test_another_partys_token_continues_only_into_the_callers_own_records(disclosure_platform, rpc):
    """A page token taken from the provider's listing (it carries a record number, and is bound
    to the query, not the caller) lets another party's officer continue below that number, and
    only into records that concern its own party: every page is decided and narrowed again."""
    platform, _ = disclosure_platform
    ask = ASKS[rpc]
    subject = subject_with_old_farent_reads(platform, n=300)
    provider_page = ask(platform, GGZ_OFFICER, subject_pseudonym=subject, page_size=10)
    assert provider_page.next_page_token
    continued = pages.walk(
        lambda **f: ask(
            platform,
            FARENT_OFFICER,
            **{**f, "page_token": f["page_token"] or provider_page.next_page_token},
        ),
        "entries",
        10,
        subject_pseudonym=subject,
    )
    assert [e.party for e in continued] == [FARENT] * 5
    with pytest.raises(PermissionDenied):
        ask(
            platform,
            ASTEN_OFFICER,
            subject_pseudonym=subject,
            page_size=10,
            page_token=provider_page.next_page_token,
        )
