"""Issue #14: disclosure's part of the subject access report (its ``SubjectDataService``) on
SQLite and PostgreSQL, and the assembled report failing closed when the other services cannot
be asked (here disclosure runs alone: no peer is configured). The report across all four
services is tests/e2e/test_subject_access_report.py."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.disclosure.conftest import CELLO, FARENT, GGZ, denial, provide, request
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as sd_grpc
from zorgtafel.testing.services import channel

pytestmark = pytest.mark.integration

OFFICER = (GGZ, "privacy_officer", "fg-ggz")


def export(env, case_id: str, *who: str) -> sd.ExportSubjectDataResponse:
    stub = sd_grpc.SubjectDataServiceStub(channel(env.app))
    return stub.ExportSubjectData(
        sd.ExportSubjectDataRequest(case_id=case_id), metadata=env.md(*who)
    )


def records(reply: sd.ExportSubjectDataResponse, name: str) -> list[sd.SubjectRecord]:
    return [r for s in reply.sections if s.name == name for r in s.records]


def test_the_providers_officer_gets_items_consents_and_every_read(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    request(env, CELLO, [item])
    reply = export(env, case_id, *OFFICER)
    assert reply.service == "disclosure" and list(reply.case_ids) == [case_id]
    assert [(r.record_id, r.party) for r in records(reply, "items")] == [(item, GGZ)]
    assert CELLO in records(reply, "items")[0].fields["received_by"]
    reads = records(reply, "accesses")
    assert any(r.party == CELLO and r.fields["resource"] == item for r in reads)
    assert "content" not in records(reply, "items")[0].fields  # never the content itself

    # The recipient's officer gets the item it received (shared with it), not others' records.
    seen = export(env, case_id, CELLO, "privacy_officer", "fg-cello")
    assert [r.record_id for r in records(seen, "items")] == [item]

    # A party neither providing, receiving nor nominating: refused.
    code, _ = denial(lambda: export(env, case_id, FARENT, "privacy_officer", "fg-farent"))
    assert code == grpc.StatusCode.PERMISSION_DENIED


def test_the_report_is_unavailable_while_another_service_cannot_be_asked(env):
    case_id, _ = env.open_case()
    provide(env, case_id)
    code, _ = denial(
        lambda: env.stub.SubjectDataReport(
            pb.SubjectDataReportRequest(case_id=case_id), metadata=env.md(*OFFICER)
        )
    )
    assert code == grpc.StatusCode.UNAVAILABLE  # retryable; never a report with a silent gap
    code, _ = denial(
        lambda: env.stub.SubjectDataReport(pb.SubjectDataReportRequest(), metadata=env.md(*OFFICER))
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
