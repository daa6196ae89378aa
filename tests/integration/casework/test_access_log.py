"""Casework's access log (NEN 7513, issue #15) through the real gRPC API: every read of case
content (GetCase, GetPreReadSet, GetMinutes, ListOverdueActions, each delivered message of
WatchCase) leaves one record, durable before the reply arrives, naming who read which case of
which subject, what was shown (identifiers only) and the deciding policy decision; a read the
need-to-know policy refuses, or the authz policy refuses, is logged as denied with the
policy's reasons. No record holds personal data or content."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import grpc
import pytest

from tests.integration.casework.conftest import (
    DIRECTOR_PERSON,
    FARENT,
    GGD,
    LUMENS,
    MINUTES_MARKER,
    POLICE,
    SHELTER,
    SUBJECT_MARKER,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import denial_reasons

pytestmark = pytest.mark.integration

ACTION_TEXTS = ("Opvangplek regelen", "Risicotaxatie")
ROLES = {
    SHELTER: ("shelter", ["identity", "case_meetings"]),
    POLICE: ("safety", ["safety"]),
    FARENT: ("care", ["plan_of_approach"]),
}
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+-]*")


@pytest.fixture(scope="module")
def case(env):
    """A case with a held meeting (minutes), an overdue plan and a scheduled follow-up meeting
    (an empty pre-read set: casework answers it without asking disclosure)."""
    case_id = env.open_case()
    held, plan = env.plan_active(case_id, due=date.today() - timedelta(days=3))
    env.roles(case_id, held, ROLES)
    follow_up = env.schedule(case_id, invitees=(SHELTER, POLICE, FARENT))
    return {
        "case_id": case_id,
        "subject": f"{SUBJECT_MARKER}-{case_id[-6:]}",
        "held": held,
        "follow_up": follow_up.meeting_id,
        "actions": [a.action_id for a in plan.actions],
    }


def log(env, by: str, value: str) -> list[dict]:
    """The newest records first, as the service's own unit of work reads them."""
    with env.app.uow_factory() as uow:
        return reader(uow).latest(by, value)


def of_rpc(env, case_id: str, rpc: str) -> list[dict]:
    return [r for r in log(env, "case_id", case_id) if r["rpc"] == rpc]


def traced(md: tuple) -> tuple[tuple, str]:
    trace = uuid.uuid4().hex
    return md + (("traceparent", f"00-{trace}-{uuid.uuid4().hex[:16]}-01"),), trace


def one_new(env, case_id: str, rpc: str, call) -> tuple[object, dict]:
    """Calls once and returns the reply and the one record it wrote, read as soon as the reply
    is in (no waiting: the record is durable before the reply leaves)."""
    before = len(of_rpc(env, case_id, rpc))
    reply = call()
    after = of_rpc(env, case_id, rpc)
    assert len(after) == before + 1
    return reply, after[0]


def assert_allowed(rec: dict, *, party: str, person: str, role: str, rpc: str, trace: str):
    assert (rec["party"], rec["person"], rec["role"]) == (party, person, role)
    assert (rec["rpc"], rec["action"], rec["result"]) == (rpc, "read", "allowed")
    assert rec["recipient"] == party
    assert rec["decision_id"] and rec["policy_revision"] and rec["input_digest"]
    assert rec["trace_id"] == trace and rec["span_id"]


# -- every read, once ------------------------------------------------------------------------
def test_get_case_writes_one_record_naming_the_case_subject_and_sections_shown(env, case):
    md, trace = traced(env.director())
    reply, rec = one_new(
        env,
        case["case_id"],
        "GetCase",
        lambda: env.stub.GetCase(pb.GetCaseRequest(case_id=case["case_id"]), metadata=md),
    )
    assert_allowed(
        rec,
        party=LUMENS,
        person=DIRECTOR_PERSON,
        role="process_director",
        rpc="GetCase",
        trace=trace,
    )
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case["case_id"], case["subject"])
    shown = rec["resource"].split(",")
    assert {"status", "subject", "meetings", "roles", "plan"} <= set(shown)
    assert f"meeting:{case['held']}" in shown
    assert len(rec["resource"]) <= 256
    assert reply.case.case_id == case["case_id"]


def test_a_party_s_get_case_record_names_only_what_its_need_covers(env, case):
    md, trace = traced(env.md(POLICE))
    reply, rec = one_new(
        env,
        case["case_id"],
        "GetCase",
        lambda: env.stub.GetCase(pb.GetCaseRequest(case_id=case["case_id"]), metadata=md),
    )
    assert_allowed(
        rec, party=POLICE, person="person-1", role="caseworker", rpc="GetCase", trace=trace
    )
    shown = rec["resource"].split(",")
    assert "roles" not in shown and "plan" not in shown
    assert {f"action:{a.action_id}" for a in reply.case.actions} <= set(shown)
    # The record is about the subject even where the reader is not shown its pseudonym.
    assert reply.case.subject_pseudonym == "" and rec["subject_pseudonym"] == case["subject"]


def test_get_minutes_writes_one_record_naming_the_meeting(env, case):
    md, trace = traced(env.md(SHELTER))
    reply, rec = one_new(
        env,
        case["case_id"],
        "GetMinutes",
        lambda: env.stub.GetMinutes(
            pb.GetMinutesRequest(case_id=case["case_id"], meeting_id=case["held"]), metadata=md
        ),
    )
    assert reply.minutes.startswith(MINUTES_MARKER)
    assert_allowed(
        rec, party=SHELTER, person="person-1", role="caseworker", rpc="GetMinutes", trace=trace
    )
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case["case_id"], case["subject"])
    assert rec["resource"] == f"minutes:{case['held']}"


def test_get_pre_read_set_writes_one_record_naming_the_meeting_and_purpose(env, case):
    md, trace = traced(env.md(SHELTER))
    reply, rec = one_new(
        env,
        case["case_id"],
        "GetPreReadSet",
        lambda: env.stub.GetPreReadSet(
            pb.GetPreReadSetRequest(case_id=case["case_id"], meeting_id=case["follow_up"]),
            metadata=md,
        ),
    )
    assert not reply.items and not reply.withheld  # nothing to ask disclosure about
    assert_allowed(
        rec, party=SHELTER, person="person-1", role="caseworker", rpc="GetPreReadSet", trace=trace
    )
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case["case_id"], case["subject"])
    assert rec["resource"] == f"meeting:{case['follow_up']}"
    assert rec["purpose"] == "care_coordination"


def test_overdue_actions_of_one_case_write_one_record_naming_the_actions(env, case):
    md, trace = traced(env.case_director())
    reply, rec = one_new(
        env,
        case["case_id"],
        "ListOverdueActions",
        lambda: env.stub.ListOverdueActions(
            pb.ListOverdueActionsRequest(case_id=case["case_id"]), metadata=md
        ),
    )
    assert_allowed(
        rec,
        party=FARENT,
        person="casusregisseur-1",
        role="case_director",
        rpc="ListOverdueActions",
        trace=trace,
    )
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case["case_id"], case["subject"])
    assert sorted(rec["resource"].split(",")) == sorted(f"action:{a}" for a in case["actions"])
    assert {a.action_id for a in reply.actions} == set(case["actions"])


def test_overdue_actions_of_every_directed_case_write_one_record_naming_the_cases(env, case):
    def mine() -> list[dict]:
        return [r for r in log(env, "party", LUMENS) if r["rpc"] == "ListOverdueActions"]

    md, trace = traced(env.director())
    before = len(mine())
    reply = env.stub.ListOverdueActions(pb.ListOverdueActionsRequest(page_size=3), metadata=md)
    after = mine()
    assert len(after) == before + 1
    rec = after[0]
    assert_allowed(
        rec,
        party=LUMENS,
        person=DIRECTOR_PERSON,
        role="process_director",
        rpc="ListOverdueActions",
        trace=trace,
    )
    # Many cases, many subjects: the cases listed, no single case or subject.
    assert rec["case_id"] == "" and rec["subject_pseudonym"] == ""
    assert rec["resource"].split(",") == list(dict.fromkeys(a.case_id for a in reply.actions))
    assert case["case_id"] in {a.case_id for a in reply.actions} or reply.next_page_token


def test_a_watch_stream_of_n_events_writes_n_records_each_before_its_message_arrives(env, case):
    case_id = case["case_id"]
    md, trace = traced(env.director())
    before = len(of_rpc(env, case_id, "WatchCase"))
    stream = env.stub.WatchCase(pb.WatchCaseRequest(case_id=case_id), metadata=md)
    delivered = []
    for k, message in enumerate(stream, start=1):
        delivered.append(f"{message.kind}:{message.sequence}")
        records = of_rpc(env, case_id, "WatchCase")
        # Message k is in: its record (and those of the k-1 before it) exists already.
        assert len(records) >= before + k
        assert delivered[-1] in {r["resource"] for r in records[: len(records) - before]}
    records = of_rpc(env, case_id, "WatchCase")[: len(delivered)]
    assert len(delivered) >= 5
    assert len(of_rpc(env, case_id, "WatchCase")) == before + len(delivered)
    assert [r["resource"] for r in reversed(records)] == delivered
    for rec in records:
        assert_allowed(
            rec,
            party=LUMENS,
            person=DIRECTOR_PERSON,
            role="process_director",
            rpc="WatchCase",
            trace=trace,
        )
        assert (rec["case_id"], rec["subject_pseudonym"]) == (case_id, case["subject"])


# -- refusals --------------------------------------------------------------------------------
def test_a_read_refused_by_need_to_know_writes_one_denied_record_with_the_reasons(env, case):
    case_id = case["case_id"]
    for rpc, call in (
        (
            "GetCase",
            lambda: env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.md(GGD)),
        ),
        (
            "WatchCase",
            lambda: list(
                env.stub.WatchCase(pb.WatchCaseRequest(case_id=case_id), metadata=env.md(GGD))
            ),
        ),
    ):
        before = len(of_rpc(env, case_id, rpc))
        with pytest.raises(grpc.RpcError) as err:
            call()
        reasons = denial_reasons(err.value)
        records = of_rpc(env, case_id, rpc)
        assert len(records) == before + 1, rpc
        rec = records[0]
        assert (rec["party"], rec["result"], rec["action"]) == (GGD, "denied", "read")
        assert (rec["case_id"], rec["subject_pseudonym"]) == (case_id, case["subject"])
        # GGD has no part in the case: it is told what an unknown id is told (8.4c), and the
        # record keeps the policy's decision and reasons for the privacy officers.
        assert reasons == list(NotShared("case", "case_id").reasons)
        assert any("not involved" in r for r in rec["reasons"])
        assert rec["decision_id"] and rec["policy_revision"]
        assert rec["resource"] == ""  # nothing was shown


def test_minutes_refused_to_a_party_that_did_not_attend_are_logged_denied(env, case):
    """The act policy refuses (art. 9.2): the record names the case, the meeting and the
    policy's decision."""
    case_id = case["case_id"]
    before = len(of_rpc(env, case_id, "GetMinutes"))
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetMinutes(
            pb.GetMinutesRequest(case_id=case_id, meeting_id=case["held"]),
            metadata=env.md(GGD),
        )
    records = of_rpc(env, case_id, "GetMinutes")
    assert len(records) == before + 1
    rec = records[0]
    assert (rec["party"], rec["result"], rec["case_id"]) == (GGD, "denied", case_id)
    assert rec["subject_pseudonym"] == case["subject"]
    assert rec["resource"] == f"minutes:{case['held']}"
    # Told as of an unknown case (GGD has no part, 8.4c); the record keeps the policy's words.
    assert denial_reasons(err.value) == list(NotShared("case", "case_id").reasons)
    assert rec["reasons"] and any("art. 9.2" in r for r in rec["reasons"])
    assert rec["decision_id"] and rec["policy_revision"]


def test_a_read_refused_by_the_authz_policy_is_logged_denied_with_its_reasons(env, case):
    """The front desk may not follow a case, a caseworker may not list overdue actions: the
    kernel logs the refused call before any handler runs."""
    case_id = case["case_id"]
    for rpc, md, call in (
        (
            "WatchCase",
            env.md(SHELTER, "front_desk", "desk-1"),
            lambda md: list(env.stub.WatchCase(pb.WatchCaseRequest(case_id=case_id), metadata=md)),
        ),
        (
            "ListOverdueActions",
            env.md(SHELTER),
            lambda md: env.stub.ListOverdueActions(
                pb.ListOverdueActionsRequest(case_id=case_id), metadata=md
            ),
        ),
    ):
        before = len(of_rpc(env, case_id, rpc))
        with pytest.raises(grpc.RpcError) as err:
            call(md)
        records = of_rpc(env, case_id, rpc)
        assert len(records) == before + 1, rpc
        rec = records[0]
        assert (rec["party"], rec["action"], rec["result"]) == (SHELTER, "call", "denied")
        assert rec["case_id"] == case_id
        assert rec["reasons"] == denial_reasons(err.value) and rec["reasons"]
        assert rec["decision_id"] and rec["policy_revision"]


# -- what a record may hold --------------------------------------------------------------------
def test_no_record_holds_personal_data_or_content(env, case):
    case_id = case["case_id"]
    env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director())
    list(env.stub.WatchCase(pb.WatchCaseRequest(case_id=case_id), metadata=env.md(SHELTER)))
    env.stub.GetMinutes(
        pb.GetMinutesRequest(case_id=case_id, meeting_id=case["held"]), metadata=env.director()
    )
    records = log(env, "case_id", case_id)
    assert {r["rpc"] for r in records} >= {"GetCase", "WatchCase", "GetMinutes"}
    for rec in records:
        # The subject's pseudonym in its own field, and nowhere else.
        others = " ".join(str(v) for k, v in rec.items() if k != "subject_pseudonym")
        assert SUBJECT_MARKER not in others, rec
        for text in (MINUTES_MARKER, *ACTION_TEXTS, "16_plus", "stabilise_and_protect"):
            assert text not in others, (text, rec)
        assert all(IDENTIFIER.fullmatch(i) for i in rec["resource"].split(",") if i), rec
        assert len(rec["resource"]) <= 256
