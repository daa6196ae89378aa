"""Disclosure's reads are logged by the kernel (issue #15), reading the access log itself
included: each declared read, called once over real gRPC, leaves exactly one "allowed" record
that is there when the reply arrives; a read the control policy refuses (another party's privacy
officer) and a call the authz policy refuses (a caseworker's token) are logged denied; VerifyLog
is deliberately not a logged read (sizes and roots, and it must answer when the log takes no
appends); and no record holds content or free text. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from sqlalchemy import func, select

from tests.integration.disclosure.conftest import (
    CELLO,
    FARENT,
    GGZ,
    denial,
    provide,
    reasons_of,
    request,
)
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

pytestmark = pytest.mark.integration

# The controller's privacy officer: GGZ provides the items read here.
OFFICER = (GGZ, "privacy_officer")
CONTENT_NOTE = "logged-reads: sees a counsellor weekly"
JUSTIFICATION = "logged-reads: acute danger to the child"


@dataclass(frozen=True)
class Seen:
    """A case with an item read by CELLO and one released by break-glass (under review)."""

    case_id: str
    pseudonym: str
    decision_id: str


@pytest.fixture(scope="module")
def seen(env) -> Seen:
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id, content=json.dumps({"note": CONTENT_NOTE}).encode())
    decision_id = request(env, CELLO, [item]).items[0].decision_id
    consented = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    env.stub.BreakGlass(
        pb.BreakGlassRequest(
            item_ids=[consented],
            purpose="care_coordination",
            justification=JUSTIFICATION,
            consulted_colleague="person-9",
            client_informed="told in person",
            client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
        ),
        metadata=env.md(CELLO),
    )
    return Seen(case_id, pseudonym, decision_id)


# rpc -> (request, the case id its record names)
def reads(seen: Seen) -> dict[str, tuple[Any, str]]:
    return {
        "ListReviews": (pb.ListReviewsRequest(case_id=seen.case_id), seen.case_id),
        "AccessLog": (pb.AccessLogRequest(subject_pseudonym=seen.pseudonym), ""),
        "SubjectAccessReport": (
            pb.SubjectAccessReportRequest(subject_pseudonym=seen.pseudonym),
            "",
        ),
        "ListSubjectRequests": (
            pb.ListSubjectRequestsRequest(subject_pseudonym=seen.pseudonym),
            "",
        ),
        "ListProcessingActivities": (pb.ListProcessingActivitiesRequest(), ""),
        "ListBreaches": (pb.ListBreachesRequest(), ""),
        "ExportRegister": (pb.ExportRegisterRequest(register=pb.REGISTER_PROCESSING), ""),
    }


# The reads services/disclosure/bootstrap.py declares (VerifyLog deliberately not).
DECLARED = (
    "AccessLog",
    "ExportRegister",
    "ListBreaches",
    "ListProcessingActivities",
    "ListReviews",
    "ListSubjectRequests",
    "SubjectAccessReport",
)


def someone() -> str:
    """A person of one test's calls only: their records are counted by person."""
    return f"fg-{uuid.uuid4().hex[:10]}"


def records_of(env, person: str) -> list[dict]:
    t = env.tables["access_log"]
    with env.app.engine.connect() as conn:
        rows = conn.execute(select(t).where(t.c.person == person).order_by(t.c.seq))
        return [dict(r) for r in rows.mappings()]


def log_size(env) -> int:
    t = env.tables["access_log"]
    with env.app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t)).scalar_one())


@pytest.mark.parametrize("rpc", DECLARED)
def test_a_read_writes_one_allowed_record_before_its_reply_arrives(env, seen, rpc):
    asked, case_id = reads(seen)[rpc]
    person = someone()
    getattr(env.stub, rpc)(asked, metadata=env.md(*OFFICER, person))
    # Queried as soon as the reply is in: no waiting, the record was durable before it left.
    [record] = records_of(env, person)
    expected = {
        "party": GGZ,
        "person": person,
        "role": "privacy_officer",
        "rpc": rpc,
        "action": "read",
        "result": "allowed",
        "case_id": case_id,
        "recipient": GGZ,
    }
    assert {k: record[k] for k in expected} == expected
    assert record["decision_id"] and record["policy_revision"] and record["trace_id"]


@pytest.mark.parametrize("rpc", ["AccessLog", "SubjectAccessReport", "ListSubjectRequests"])
def test_a_read_about_a_subject_names_the_subject_pseudonym(env, seen, rpc):
    asked, _ = reads(seen)[rpc]
    person = someone()
    getattr(env.stub, rpc)(asked, metadata=env.md(*OFFICER, person))
    [record] = records_of(env, person)
    assert record["subject_pseudonym"] == seen.pseudonym


def test_reading_the_access_log_adds_one_record_of_that_read(env, seen):
    """The log is personal data too: who looked at who looked is in it, once per call."""
    person = someone()
    before = log_size(env)
    entries = env.stub.AccessLog(
        pb.AccessLogRequest(decision_id=seen.decision_id), metadata=env.md(*OFFICER, person)
    ).entries
    assert [e.decision_id for e in entries] == [seen.decision_id]
    assert log_size(env) == before + 1
    [record] = records_of(env, person)
    assert (record["rpc"], record["result"]) == ("AccessLog", "allowed")
    # The next reader of the log sees that read among the records.
    again = env.stub.AccessLog(
        pb.AccessLogRequest(party=GGZ, limit=5), metadata=env.md(*OFFICER, someone())
    ).entries
    assert record["seq"] in {e.seq for e in again}


def test_another_partys_privacy_officer_reading_the_log_is_logged_denied(env, seen):
    """FARENT neither provided nor received anything of the read: the control policy refuses
    (Bijlage 3), and the attempt is in the log with the policy's reasons."""
    person = someone()
    code, info = denial(
        lambda: env.stub.AccessLog(
            pb.AccessLogRequest(decision_id=seen.decision_id),
            metadata=env.md(FARENT, "privacy_officer", person),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    [record] = records_of(env, person)
    assert (record["party"], record["rpc"], record["action"], record["result"]) == (
        FARENT,
        "AccessLog",
        "read",
        "denied",
    )
    assert record["decision_id"] == info["decision_id"] and record["policy_revision"]
    reasons = json.loads(record["reasons"])
    assert reasons and " ".join(reasons) == reasons_of(info)
    assert "own party as controller" in " ".join(reasons)


def test_a_caseworker_asking_for_the_log_is_refused_at_the_door_and_logged(env, seen):
    person = someone()
    code, info = denial(
        lambda: env.stub.AccessLog(
            pb.AccessLogRequest(subject_pseudonym=seen.pseudonym),
            metadata=env.md(CELLO, "caseworker", person),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    [record] = records_of(env, person)
    assert (record["rpc"], record["action"], record["result"]) == ("AccessLog", "call", "denied")
    assert record["decision_id"] == info["decision_id"] and json.loads(record["reasons"])


def test_verify_log_is_not_a_logged_read(env, seen):
    """VerifyLog reads sizes, roots and record numbers, no personal data, and must answer when
    the log is damaged and takes no appends: it adds no record."""
    person = someone()
    before = log_size(env)
    assert env.stub.VerifyLog(pb.VerifyLogRequest(), metadata=env.md(GGZ, "auditor", person)).intact
    assert log_size(env) == before
    assert records_of(env, person) == []


def test_no_record_of_a_read_holds_content_or_free_text(env, seen):
    for rpc, (asked, _) in reads(seen).items():
        getattr(env.stub, rpc)(asked, metadata=env.md(*OFFICER, someone()))
    t = env.tables["access_log"]
    with env.app.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(t)).mappings()]
    for row in rows:
        text = " ".join(str(v) for v in row.values())
        assert CONTENT_NOTE not in text and JUSTIFICATION not in text, row
