"""The pre-read set (12.2f) end to end: casework asks the real disclosure service over gRPC,
on behalf of the calling invitee, whether each item of a meeting's pre-read set may be read
before the meeting; only what disclosure releases is shown (the provider's agreement, 16.2)."""

from __future__ import annotations

import json
import uuid

import grpc
import pytest
from sqlalchemy import select

from services.casework.adapters.disclosure_client import DisclosureClient
from tests.integration.casework.conftest import (
    ACTIVE,
    DIRECTOR_PERSON,
    FARENT,
    LUMENS,
    POLICE,
    SHELTER,
    Env,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as dpb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as dpb_grpc
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.testing import (
    Keys,
    Publisher,
    bad_fields,
    channel,
    denial_reasons,
    precondition,
    rid,
    running_service,
    wait_for,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def both(broker, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("preread")
    keys = Keys(data_dir)
    publisher = Publisher(broker.bootstrap)
    try:
        with (
            running_service("disclosure", data_dir, broker.bootstrap) as dis,
            running_service(
                "casework",
                data_dir,
                broker.bootstrap,
                disclosure_address=f"127.0.0.1:{dis.grpc_port}",
            ) as cw,
        ):
            e = Env(cw, keys, publisher)
            e.register_parties(ACTIVE)
            e.appoint(LUMENS, DIRECTOR_PERSON)  # the managers designated the process director
            wait_for(lambda: all(_status(dis, p) == "active" for p in ACTIVE), timeout=60)
            yield e, dis
    finally:
        publisher.close()


def _status(dis, party: str) -> str | None:
    t = dis.definition.tables["party_directory"]
    with dis.engine.connect() as conn:
        return conn.execute(select(t.c.status).where(t.c.party_id == party)).scalar()


def provide(
    env, dis, case_id, party, content: bytes, *, pre_read: bool, category: str = "safety"
) -> str:
    stub = dpb_grpc.DisclosureServiceStub(channel(dis))
    terms = common_pb2.UsageTerms(purposes=["care_coordination"], pre_read_allowed=pre_read)
    return stub.Provide(
        dpb.ProvideRequest(
            request_id=rid(),
            case_id=case_id,
            category=category,
            classification=dpb.CLASSIFICATION_CONFIDENTIAL,
            legal_basis=dpb.LEGAL_BASIS_PUBLIC_TASK,
            content_type="text/plain",
            content=content,
            terms=terms,
        ),
        metadata=env.md(party),
    ).item_id


def test_invitee_reads_only_the_items_whose_provider_agreed_to_pre_reading(both):
    env, dis = both
    case_id = env.open_case()
    # Disclosure learns of the case, and of POLICE's part in it (its delegate), from intake's
    # and casework's events; until then POLICE provides nothing for it (art. 15.1, 8.4c).
    wait_for(lambda: _has_delegate(dis, case_id, POLICE), timeout=30)
    agreed = provide(env, dis, case_id, POLICE, b"risico: hoog", pre_read=True)
    refused = provide(env, dis, case_id, POLICE, b"bron: informant", pre_read=False)
    # The first meeting sets the roles (8.4c); the follow-up meeting has a pre-read set.
    first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
    env.roles(case_id, first, {SHELTER: ("shelter", ["safety"]), POLICE: ("safety", ["safety"])})
    wait_for(lambda: _involved(dis, case_id, SHELTER), timeout=30)
    meeting = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[agreed, refused])

    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
    )
    assert [i.item_id for i in reply.items] == [agreed]
    assert reply.items[0].content == b"risico: hoog" and reply.items[0].decision_id
    assert [w.item_id for w in reply.withheld] == [refused]
    assert any("12.2f" in r for r in reply.withheld[0].reasons)
    # The content passed through casework but is stored nowhere in it.
    for name, table in env.tables.items():
        with env.app.engine.connect() as conn:
            for row in conn.execute(table.select()).mappings():
                assert "risico: hoog" not in " ".join(str(v) for v in row.values()), name


def test_the_pre_read_s_access_log_record_names_the_items_released_and_no_other(both):
    """Casework's own record of the read (disclosure logs each item's decision itself): one,
    durable when the reply arrives, naming the meeting and the item released, not the one
    withheld, and the act policy's decision."""
    env, dis = both
    case_id = env.open_case()
    wait_for(lambda: _has_delegate(dis, case_id, POLICE), timeout=30)
    agreed = provide(env, dis, case_id, POLICE, b"risico", pre_read=True)
    withheld = provide(env, dis, case_id, POLICE, b"bron", pre_read=False)
    first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
    env.roles(case_id, first, {SHELTER: ("shelter", ["safety"]), POLICE: ("safety", ["safety"])})
    wait_for(lambda: _involved(dis, case_id, SHELTER), timeout=30)
    meeting = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[agreed, withheld])

    def records() -> list[dict]:
        with env.app.uow_factory() as uow:
            return [
                r for r in reader(uow).latest("case_id", case_id) if r["rpc"] == "GetPreReadSet"
            ]

    before = len(records())
    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
    )
    after = records()
    assert [i.item_id for i in reply.items] == [agreed] and len(after) == before + 1
    rec = after[0]
    assert (rec["party"], rec["person"], rec["result"]) == (SHELTER, "person-1", "allowed")
    assert rec["case_id"] == case_id and rec["subject_pseudonym"]
    assert rec["resource"] == f"meeting:{meeting.meeting_id},item:{agreed}"
    assert rec["decision_id"] and rec["policy_revision"] and rec["input_digest"]
    assert "risico" not in str(rec) and "bron" not in str(rec)


def test_an_item_of_another_case_in_a_pre_read_set_is_withheld_and_not_logged_as_released(both):
    """12.2f, 8.4c: a meeting's pre-read set naming an item of another case (one the reader
    has a part in too) gets nothing of it: casework asks disclosure with its own case, which
    answers as for an item it does not hold, so no decision on the other case is taken or
    logged as released for this meeting's pre-reading."""
    env, dis = both
    ready = []
    for _ in range(2):
        case_id = env.open_case()
        wait_for(lambda c=case_id: _has_delegate(dis, c, POLICE), timeout=30)
        first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
        env.roles(
            case_id, first, {SHELTER: ("shelter", ["safety"]), POLICE: ("safety", ["safety"])}
        )
        wait_for(lambda c=case_id: _involved(dis, c, SHELTER), timeout=30)
        ready.append(case_id)
    case_a, case_b = ready
    other = provide(env, dis, case_b, POLICE, b"andere casus", pre_read=True)
    meeting = env.schedule(case_a, invitees=(SHELTER, POLICE), pre_read=[other])
    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_a, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
    )
    assert list(reply.items) == [] and [w.item_id for w in reply.withheld] == [other]
    with dis.uow_factory() as uow:
        decided = [r for r in reader(uow).latest("party", SHELTER) if r["resource"] == other]
    assert decided == []


def _has_delegate(dis, case_id: str, party: str) -> bool:
    """Disclosure has applied the naming of ``party``'s delegate: the party has a part in the
    case there, so it may provide for it (its own projection, read as a test harness)."""
    t = dis.definition.tables["case_facts"]
    with dis.engine.connect() as conn:
        delegates = conn.execute(select(t.c.delegates).where(t.c.case_id == case_id)).scalar()
    return bool(json.loads(delegates or "{}").get(party))


def _involved(dis, case_id: str, party: str) -> bool:
    """Disclosure has applied casework's roles (its own projection, read as a test harness)."""
    t = dis.definition.tables["case_facts"]
    with dis.engine.connect() as conn:
        roles = conn.execute(select(t.c.roles).where(t.c.case_id == case_id)).scalar()
    return bool(roles) and party in json.loads(roles)


def test_pre_read_request_for_an_unknown_meeting_is_told_as_one_not_invited_to(both):
    """A delegate sees only the meetings its party was invited to (8.4c): it was told NOT_FOUND
    for a meeting id the case does not hold and "not invited" for one it holds; now both."""
    env, _dis = both
    case_id = env.open_case()
    other = env.schedule(case_id, invitees=(POLICE,)).meeting_id

    def told(meeting_id: str) -> tuple:
        with pytest.raises(grpc.RpcError) as err:
            env.stub.GetPreReadSet(
                pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting_id),
                metadata=env.md(SHELTER),
            )
        return err.value.code(), denial_reasons(err.value)

    real, fake = told(other), told(f"m-{uuid.uuid4()}")
    assert real[0] == grpc.StatusCode.PERMISSION_DENIED
    assert any("was not invited" in r for r in real[1])
    assert real == fake


def test_no_pre_read_for_a_meeting_of_a_case_being_deescalated(both):
    """12.2f, 8.4d: a meeting scheduled before the de-escalation can no longer be held, so
    nothing is released "before" it; an invitee is told the case's state, an outsider is not."""
    env, dis = both
    case_id = env.open_case()
    wait_for(lambda: _has_delegate(dis, case_id, POLICE), timeout=30)
    item = provide(env, dis, case_id, POLICE, b"risico: hoog", pre_read=True)
    first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
    env.roles(case_id, first, {SHELTER: ("shelter", ["safety"]), POLICE: ("safety", ["safety"])})
    wait_for(lambda: _involved(dis, case_id, SHELTER), timeout=30)
    d = env.director()
    env.stub.SetDeescalationCriteria(
        pb.SetDeescalationCriteriaRequest(
            request_id=rid(), case_id=case_id, meeting_id=first, criteria=["safe_housing"]
        ),
        metadata=d,
    )
    env.stub.AdoptPlan(
        pb.AdoptPlanRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=first,
            actions=[pb.NewAction(party=SHELTER, what="x", due_date="2030-01-01")],
        ),
        metadata=d,
    )
    follow_up = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[item]).meeting_id
    env.stub.Deescalate(
        pb.DeescalateRequest(
            request_id=rid(), case_id=case_id, meeting_id=first, criteria_met=["safe_housing"]
        ),
        metadata=d,
    )

    def pre_read(party: str) -> grpc.RpcError:
        with pytest.raises(grpc.RpcError) as err:
            env.stub.GetPreReadSet(
                pb.GetPreReadSetRequest(case_id=case_id, meeting_id=follow_up),
                metadata=env.md(party),
            )
        return err.value

    v = precondition(pre_read(SHELTER))
    assert v.subject == "case.state" and v.description.endswith("(state: deescalating)")
    # FARENT is not invited to the follow-up: refused before any state is named.
    assert pre_read(FARENT).code() == grpc.StatusCode.PERMISSION_DENIED


def test_a_purpose_that_is_no_code_is_the_callers_mistake_naming_the_field(both):
    """16.2: the purpose is compared with the provider's; one that is no code is refused as
    disclosure refuses it, INVALID_ARGUMENT naming ``purpose``, never UNAVAILABLE."""
    env, _dis = both
    case_id = env.open_case()
    meeting = env.schedule(case_id, invitees=(SHELTER, POLICE))
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetPreReadSet(
            pb.GetPreReadSetRequest(
                case_id=case_id, meeting_id=meeting.meeting_id, purpose="Care Coordination"
            ),
            metadata=env.md(SHELTER),
        )
    assert bad_fields(err.value) == ["purpose"]


def test_disclosures_invalid_argument_is_passed_on_naming_its_field(both):
    """A request disclosure finds malformed is the caller's mistake, not disclosure being down."""
    env, dis = both
    client = DisclosureClient(f"127.0.0.1:{dis.grpc_port}")
    try:
        with pytest.raises(InvalidArgument) as err:
            client.pre_read(
                f"c-{uuid.uuid4()}",
                [f"i-{uuid.uuid4()}"],
                "Care Coordination",
                dict(env.md(SHELTER)),
            )
    finally:
        client.close()
    assert [f for f, _ in err.value.violations] == ["purpose"]


def test_an_invitee_is_told_nothing_of_an_item_its_party_does_not_need(both):
    """8.4c, 15.1: a pre-read set holding an item outside the reader's information need (the
    shelter needs housing only, the item is a safety item) shows the reader nothing of it: not
    released, not listed as withheld (no id, no category, no provider's terms, no count), and
    disclosure's access log holds the refusal. An item within the need that the provider did
    not agree to pre-read is still listed as withheld with its reason (12.2f)."""
    env, dis = both
    case_id = env.open_case()
    wait_for(lambda: _has_delegate(dis, case_id, POLICE), timeout=30)
    safety = provide(env, dis, case_id, POLICE, b"dreiging", pre_read=True)
    housing = provide(env, dis, case_id, POLICE, b"adres", pre_read=True, category="housing")
    refused = provide(env, dis, case_id, POLICE, b"huur", pre_read=False, category="housing")
    first = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT))
    env.roles(
        case_id,
        first,
        {SHELTER: ("shelter", ["housing"]), POLICE: ("safety", ["safety", "housing"])},
    )
    wait_for(lambda: _involved(dis, case_id, SHELTER), timeout=30)
    meeting = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[safety, housing, refused])
    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
    )
    assert [i.item_id for i in reply.items] == [housing]
    assert [w.item_id for w in reply.withheld] == [refused]
    assert any("12.2f" in r for r in reply.withheld[0].reasons)
    told = str(reply)
    assert safety not in told and "safety" not in told and "dreiging" not in told
    with dis.uow_factory() as uow:
        decided = [r for r in reader(uow).latest("party", SHELTER) if r["resource"] == safety]
    assert [r["result"] for r in decided] == ["denied"]
    # Alone in the set, the item is answered as an empty set, as one holding nothing.
    alone = env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=[safety])
    reply = env.stub.GetPreReadSet(
        pb.GetPreReadSetRequest(case_id=case_id, meeting_id=alone.meeting_id),
        metadata=env.md(SHELTER),
    )
    assert list(reply.items) == [] and list(reply.withheld) == []
