"""Issue #14: one subject access report across the four services. A case goes through intake,
casework and disclosure (the story of ``zorgtafel demo``, before its purge); the nominating
party's privacy officer asks disclosure for the report, which asks every other service over
real gRPC with that officer's token relayed, and gets each service's data about the subject.
Another party's privacy officer is refused in every service that holds subject data, and by the
report; a service that does not answer makes the report UNAVAILABLE (fail closed)."""

from __future__ import annotations

import contextlib
import io
import json
import uuid

import grpc
import pytest

from tests.e2e.test_life_cycle import endpoint, wait_for_parties
from zorgtafel import cli
from zorgtafel.demo import Story
from zorgtafel.demo.actors import OTHER_PRIVACY_OFFICER, PRIVACY_OFFICER
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as ds
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as sd_grpc
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.devkeys import mint_token
from zorgtafel.launcher import Suite
from zorgtafel.testing import Keys, drop_schema

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


@pytest.fixture(scope="module")
def suite(tmp_path_factory, pg_url):
    data_dir = tmp_path_factory.mktemp("subject-report")
    keys = Keys(data_dir)
    prefix = f"s{uuid.uuid4().hex[:8]}_"
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    s = Suite(
        data_dir,
        database_url=pg_url,
        schema_prefix=prefix,
        ports=ports,
        broker=broker,
        extra_env={"ZORGTAFEL_POLICY_TIMEOUT_MS": "3000"},
    )
    try:
        s.start(timeout=120)
        wait_for_parties(pg_url, prefix)
        yield s, keys
    finally:
        s.stop()
        broker.stop()
        for service in SERVICES:
            drop_schema(pg_url, f"{prefix}{service}")


def md(keys: Keys, actor) -> tuple[tuple[str, str], ...]:
    token = mint_token(keys.private, party=actor.party, role=actor.role, person=actor.person)
    return (("authorization", f"Bearer {token}"),)


def records(section: sd.ServiceSection, name: str) -> list[sd.SubjectRecord]:
    return [r for s in section.data.sections if s.name == name for r in s.records]


def test_the_report_of_a_case_lists_each_services_data_about_the_subject(suite):
    s, keys = suite
    story = Story({svc: endpoint(s, svc) for svc in SERVICES}, keys.private, out=lambda _: None)
    facts: dict = {}
    story._appoint(facts)
    story._nominate_and_assess(facts)
    story._triage(facts)
    story._meeting(facts)
    story._disclosures(facts)
    assert not story.failures, story.failures
    case_id = facts["case_id"]

    disclosure = ds_grpc.DisclosureServiceStub(grpc.insecure_channel(endpoint(s, "disclosure")))
    report = disclosure.SubjectDataReport(
        ds.SubjectDataReportRequest(case_id=case_id), metadata=md(keys, PRIVACY_OFFICER), timeout=60
    )
    by_service = {x.service: x for x in report.services}
    assert set(by_service) == {"intake", "casework", "governance", "disclosure"}
    for name in ("intake", "casework", "disclosure"):
        assert by_service[name].status == sd.SECTION_STATUS_ANSWERED, by_service[name].reasons
        assert case_id in by_service[name].data.case_ids

    intake = by_service["intake"]
    identity = records(intake, "identity")
    assert identity and identity[0].fields["family_name"]  # the identity as nominated
    assert records(intake, "nomination") and records(intake, "history")
    assert records(intake, "triage")  # the round and the answers of the asked parties
    casework = by_service["casework"]
    meetings = records(casework, "meetings")
    assert meetings and any(m.fields.get("minutes") for m in meetings)
    assert records(casework, "roles") and records(casework, "plan")
    disclosure_part = by_service["disclosure"]
    assert records(disclosure_part, "items") or disclosure_part.data.withheld
    assert records(disclosure_part, "accesses")  # every logged read about the subject
    # Governance holds nothing about a subject and says so (not an error).
    governance = by_service["governance"]
    assert governance.status == sd.SECTION_STATUS_ANSWERED
    assert "no data about data subjects" in governance.data.note
    assert not governance.data.sections
    # Another party's internal notes are withheld with the ground named, never silently dropped.
    for part in by_service.values():
        for w in part.data.withheld:
            assert w.ground and w.party and w.party != PRIVACY_OFFICER.party

    # Another party's privacy officer: refused by every service holding subject data, and by
    # the report.
    for service in ("intake", "casework", "disclosure"):
        stub = sd_grpc.SubjectDataServiceStub(grpc.insecure_channel(endpoint(s, service)))
        with pytest.raises(grpc.RpcError) as refused:
            stub.ExportSubjectData(
                sd.ExportSubjectDataRequest(case_id=case_id),
                metadata=md(keys, OTHER_PRIVACY_OFFICER),
                timeout=30,
            )
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED, service
    with pytest.raises(grpc.RpcError) as refused:
        disclosure.SubjectDataReport(
            ds.SubjectDataReportRequest(case_id=case_id),
            metadata=md(keys, OTHER_PRIVACY_OFFICER),
            timeout=60,
        )
    assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # ... in the same words as for a case number of nothing held (8.4c): the report tells her
    # no more than that nothing is held for her party as controller.
    with pytest.raises(grpc.RpcError) as nothing:
        disclosure.SubjectDataReport(
            ds.SubjectDataReportRequest(case_id=uuid.uuid4().hex),
            metadata=md(keys, OTHER_PRIVACY_OFFICER),
            timeout=60,
        )
    assert (nothing.value.code(), nothing.value.details()) == (
        refused.value.code(),
        refused.value.details(),
    )
    assert case_id not in (refused.value.details() or "")

    # The same report from the command line, as JSON.
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main(
            [
                "subject-report",
                "--case",
                case_id,
                "--party",
                PRIVACY_OFFICER.party,
                "--data-dir",
                str(s.data_dir),
                "--address",
                endpoint(s, "disclosure"),
            ]
        )
    assert code == 0
    assert {x["service"] for x in json.loads(printed.getvalue())["services"]} == set(by_service)

    # A service that does not answer: no report with a silent gap (fail closed, retryable).
    s.kill("casework")
    with pytest.raises(grpc.RpcError) as unavailable:
        disclosure.SubjectDataReport(
            ds.SubjectDataReportRequest(case_id=case_id),
            metadata=md(keys, PRIVACY_OFFICER),
            timeout=60,
        )
    assert unavailable.value.code() == grpc.StatusCode.UNAVAILABLE
