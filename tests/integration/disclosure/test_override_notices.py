"""The safety override with the client in view (issue #14, Bijlage 3, art. 16.2), over real gRPC
on SQLite and PostgreSQL: BreakGlass says how the client was informed or by when it will be;
the provider follows the overrides on its items through ListOverrideNotices (never the
justification); the overriding party lists its informing tasks and records the informing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import grpc
import pytest

from tests.integration.disclosure.conftest import (
    ASTEN,
    CELLO,
    GGZ,
    denial,
    field_violations,
    provide,
    reasons_of,
    wait_for,
)
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel import paging
from zorgtafel.testing import rid

NOT_YET = pb.CLIENT_INFORMED_STATUS_NOT_YET
INFORMED = pb.CLIENT_INFORMED_STATUS_INFORMED


def _in(days: int) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).date().isoformat()


def break_glass(item: str, **kw) -> pb.BreakGlassRequest:
    fields = dict(
        item_ids=[item],
        purpose="care_coordination",
        justification="threat of violence tonight",
        consulted_colleague="person-9",
        client_informed="told in person",
        client_informed_status=INFORMED,
    )
    fields.update(kw)
    return pb.BreakGlassRequest(**fields)


def override(env, item: str, **kw) -> pb.BreakGlassResponse:
    return env.stub.BreakGlass(break_glass(item, **kw), metadata=env.md(CELLO))


def notices(env, party: str = GGZ, **kw) -> list[pb.OverrideNotice]:
    return list(
        env.stub.ListOverrideNotices(
            pb.ListOverrideNoticesRequest(**kw), metadata=env.md(party)
        ).notices
    )


def tasks(env, party: str = CELLO) -> list[pb.OverrideNotice]:
    return list(
        env.stub.ListInformingTasks(pb.ListInformingTasksRequest(), metadata=env.md(party)).tasks
    )


def consent_item(env) -> tuple[str, str]:
    case_id, _ = env.open_case(age_band="16_plus")
    return case_id, provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)


def test_a_break_glass_without_client_informed_is_invalid_naming_the_field(env):
    _, item = consent_item(env)
    call = env.stub.BreakGlass
    md = env.md(CELLO)
    assert field_violations(lambda: call(break_glass(item, client_informed=""), metadata=md)) == [
        "client_informed"
    ]
    blank = break_glass(item, client_informed=" \u00a0\u200b ")
    assert field_violations(lambda: call(blank, metadata=md)) == ["client_informed"]
    unspecified = break_glass(item, client_informed_status=pb.CLIENT_INFORMED_STATUS_UNSPECIFIED)
    assert field_violations(lambda: call(unspecified, metadata=md)) == ["client_informed_status"]


def test_not_yet_informed_needs_a_valid_date_by_which(env):
    _, item = consent_item(env)
    md = env.md(CELLO)
    cases = {
        "": "client_to_be_informed_by",
        "tomorrow": "client_to_be_informed_by",
        "2026-02-30": "client_to_be_informed_by",
        "20261203": "client_to_be_informed_by",
        _in(-2): "client_to_be_informed_by",
        _in(400): "client_to_be_informed_by",
    }
    for by, field in cases.items():
        req = break_glass(item, client_informed_status=NOT_YET, client_to_be_informed_by=by)
        assert field_violations(lambda req=req: env.stub.BreakGlass(req, metadata=md)) == [field]
    # Informed now and a promised date as well is ambiguous: refused.
    both = break_glass(item, client_to_be_informed_by=_in(3))
    assert field_violations(lambda: env.stub.BreakGlass(both, metadata=md)) == [
        "client_to_be_informed_by"
    ]
    # Nothing was overridden by the refused calls.
    assert [n for n in notices(env) if n.item_id == item] == []


def test_the_provider_sees_the_notice_right_after_the_override_without_its_justification(env):
    case_id, item = consent_item(env)
    secret = f"the trafficker was seen at the door {uuid.uuid4().hex[:8]}"
    told = f"not yet, the client is hiding {uuid.uuid4().hex[:8]}"
    by = _in(5)
    released = override(
        env,
        item,
        justification=secret,
        client_informed=told,
        client_informed_status=NOT_YET,
        client_to_be_informed_by=by,
    ).items[0]
    reply = env.stub.ListOverrideNotices(pb.ListOverrideNoticesRequest(), metadata=env.md(GGZ))
    mine = [n for n in reply.notices if n.decision_id == released.decision_id]
    assert len(mine) == 1
    n = mine[0]
    assert (n.item_id, n.case_id, n.provider, n.party, n.person) == (
        item,
        case_id,
        GGZ,
        CELLO,
        "person-1",
    )
    assert n.client_informed_status == NOT_YET and n.client_to_be_informed_by == by
    assert not n.overdue and n.HasField("overridden_at")
    wire = reply.SerializeToString()
    assert secret.encode() not in wire and told.encode() not in wire
    # Newest first: an override made later comes before this one.
    _, later_item = consent_item(env)
    later = override(env, later_item).items[0]
    order = [x.decision_id for x in notices(env)]
    assert order.index(later.decision_id) < order.index(released.decision_id)
    assert next(x for x in notices(env) if x.decision_id == later.decision_id).HasField(
        "client_informed_at"
    )


def test_another_partys_people_do_not_see_the_providers_notices(env):
    _, item = consent_item(env)
    released = override(env, item).items[0]
    # Asking for the provider's notices as another party is refused by policy.
    for party in (CELLO, ASTEN):
        code, info = denial(lambda party=party: notices(env, party, provider=GGZ))
        assert code == grpc.StatusCode.PERMISSION_DENIED
        assert "art. 16.2" in reasons_of(info)
    # Their own notices do not include the provider's items.
    for party in (CELLO, ASTEN):
        assert released.decision_id not in {n.decision_id for n in notices(env, party)}
    # An auditor is not served this listing (it reads the reviews instead).
    code, _ = denial(
        lambda: env.stub.ListOverrideNotices(
            pb.ListOverrideNoticesRequest(), metadata=env.md(GGZ, "auditor")
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    # Nor is another party's privacy officer.
    code, _ = denial(
        lambda: env.stub.ListOverrideNotices(
            pb.ListOverrideNoticesRequest(provider=GGZ), metadata=env.md(CELLO, "privacy_officer")
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_a_worker_sees_the_notices_of_the_cases_the_person_has_a_part_in_the_officer_all(env):
    """Need to know within a party (art. 8.4c, 15.1): a notice names a case, an item and who
    overrode. The provider's worker ``person-1`` is GGZ's delegate in one case only; it lists
    that case's notices, a colleague with no part none, GGZ's privacy officer both (Bijlage 3).
    The same for the overriding party's informing tasks."""
    theirs, _ = env.open_case(delegates=(CELLO,))  # GGZ's person has no part in it
    mine, item_b = consent_item(env)
    item_a = provide(env, theirs, legal_basis=pb.LEGAL_BASIS_CONSENT)
    told_later = dict(client_informed="not yet", client_informed_status=NOT_YET)
    a = override(env, item_a, client_to_be_informed_by=_in(5), **told_later).items[0]
    b = override(env, item_b, client_to_be_informed_by=_in(5), **told_later).items[0]
    both = {a.decision_id, b.decision_id}

    def listed(party: str, role: str, person: str, rpc: str = "notices") -> set[str]:
        md = env.md(party, role, person)
        if rpc == "notices":
            reply = env.stub.ListOverrideNotices(pb.ListOverrideNoticesRequest(), metadata=md)
            return {n.decision_id for n in reply.notices} & both
        reply = env.stub.ListInformingTasks(pb.ListInformingTasksRequest(), metadata=md)
        return {n.decision_id for n in reply.tasks} & both

    assert listed(GGZ, "caseworker", "person-1") == {b.decision_id}
    assert listed(GGZ, "case_director", "person-2") == set()
    assert listed(GGZ, "privacy_officer", "fg-1") == both
    # The overriding party: its delegate in both cases lists both tasks, a colleague with no
    # part none, its privacy officer both.
    assert listed(CELLO, "caseworker", "person-1", "tasks") == both
    assert listed(CELLO, "caseworker", "person-2", "tasks") == set()
    assert listed(CELLO, "privacy_officer", "fg-2", "tasks") == both


def test_the_notices_page_by_key_and_a_token_holds_only_for_its_query(env):
    for _ in range(3):
        override(env, consent_item(env)[1])
    first = env.stub.ListOverrideNotices(
        pb.ListOverrideNoticesRequest(page_size=2), metadata=env.md(GGZ)
    )
    assert len(first.notices) == 2 and first.next_page_token
    second = env.stub.ListOverrideNotices(
        pb.ListOverrideNoticesRequest(page_size=2, page_token=first.next_page_token),
        metadata=env.md(GGZ),
    )
    seen = [n.decision_id for n in first.notices] + [n.decision_id for n in second.notices]
    assert len(seen) == len(set(seen))
    assert seen[:3] == [n.decision_id for n in notices(env)][:3]
    assert field_violations(
        lambda: env.stub.ListOverrideNotices(
            pb.ListOverrideNoticesRequest(provider=GGZ, page_token=first.next_page_token),
            metadata=env.md(GGZ),
        )
    ) == ["page_token"]


def test_a_forged_page_token_is_invalid_not_internal(env):
    query = pb.ListOverrideNoticesRequest(page_size=1)
    forged = paging._encode(1, paging._query_digest(query), ["not a time", "rev-x"])
    query.page_token = forged
    assert field_violations(lambda: env.stub.ListOverrideNotices(query, metadata=env.md(GGZ))) == [
        "page_token"
    ]


def test_the_overriding_party_lists_its_informing_task_until_it_records_the_client_informed(env):
    case_id, item = consent_item(env)
    second = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    reply = env.stub.BreakGlass(
        pb.BreakGlassRequest(
            case_id=case_id,
            purpose="care_coordination",
            justification="acute danger",
            consulted_colleague="person-9",
            client_informed="the client is in hospital",
            client_informed_status=NOT_YET,
            client_to_be_informed_by=_in(2),
        ),
        metadata=env.md(CELLO),
    )
    decisions = {i.decision_id for i in reply.items}
    assert {i.item_id for i in reply.items} == {item, second}
    assert decisions <= {t.decision_id for t in tasks(env)}
    # Not the provider's task, nor another party's.
    assert not decisions & {t.decision_id for t in tasks(env, GGZ)}
    code, _ = denial(
        lambda: env.stub.ListInformingTasks(
            pb.ListInformingTasksRequest(party=CELLO), metadata=env.md(GGZ)
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    # Another party may not record the informing.
    record = pb.RecordClientInformedRequest(
        request_id=rid(), decision_id=sorted(decisions)[0], how="told by phone"
    )
    code, _ = denial(lambda: env.stub.RecordClientInformed(record, metadata=env.md(GGZ)))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    # In the future: refused, naming the field.
    future = pb.RecordClientInformedRequest(
        request_id=rid(), decision_id=sorted(decisions)[0], how="told by phone"
    )
    future.informed_at.FromDatetime(datetime.now(timezone.utc) + timedelta(days=1))
    assert field_violations(
        lambda: env.stub.RecordClientInformed(future, metadata=env.md(CELLO))
    ) == ["informed_at"]
    # A colleague without a part in the case is refused as for an id of no override (8.4c);
    # a delegate of the overriding party in the case records it once for the whole override.
    unscoped = pb.RecordClientInformedRequest(
        request_id=rid(), decision_id=sorted(decisions)[0], how="told by phone"
    )
    code, _ = denial(
        lambda: env.stub.RecordClientInformed(unscoped, metadata=env.md(CELLO, person="person-2"))
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    env.name_delegate(case_id, CELLO, "person-2")
    wait_for(lambda: "person-2" in env.delegates(case_id, CELLO))
    done = env.stub.RecordClientInformed(record, metadata=env.md(CELLO, person="person-2"))
    assert {n.decision_id for n in done.notices} == decisions
    assert {n.client_informed_status for n in done.notices} == {INFORMED}
    assert not decisions & {t.decision_id for t in tasks(env)}
    # The provider's notice says so; the repeat with the same request id is the same answer.
    shown = {n.decision_id: n for n in notices(env) if n.decision_id in decisions}
    assert {n.client_informed_status for n in shown.values()} == {INFORMED}
    assert all(n.HasField("client_informed_at") for n in shown.values())
    again = env.stub.RecordClientInformed(record, metadata=env.md(CELLO, person="person-2"))
    assert again == done
    code, _ = denial(
        lambda: env.stub.RecordClientInformed(
            pb.RecordClientInformedRequest(
                request_id=rid(), decision_id=sorted(decisions)[0], how="again"
            ),
            metadata=env.md(CELLO),
        )
    )
    assert code == grpc.StatusCode.FAILED_PRECONDITION
    # The privacy officer's review still reads both: why not yet, and how it was done.
    reviews = env.stub.ListReviews(
        pb.ListReviewsRequest(case_id=case_id), metadata=env.md(GGZ, "privacy_officer")
    ).reviews
    assert reviews and all(
        "told by phone" in r.client_informed and "hospital" in r.client_informed for r in reviews
    )


@pytest.mark.parametrize("how", ["", " \t "])
def test_recording_the_client_informed_needs_how(env, how):
    _, item = consent_item(env)
    released = override(
        env, item, client_informed_status=NOT_YET, client_to_be_informed_by=_in(1)
    ).items[0]
    req = pb.RecordClientInformedRequest(
        request_id=rid(), decision_id=released.decision_id, how=how
    )
    assert field_violations(lambda: env.stub.RecordClientInformed(req, metadata=env.md(CELLO))) == [
        "how"
    ]
