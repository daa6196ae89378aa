"""Issue #14: intake's part of the subject access report (``SubjectDataService``), over real
gRPC on SQLite and PostgreSQL. The nominating party's privacy officer gets the identity, the
nomination, its assessment, triage and history; an asked party's contribution is withheld with
the ground named; the process director's party's officer gets it too (12.3). Another party's
privacy officer, a worker of the nominating party and an excluded party are refused; each
export is logged in intake's own access log."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.intake.conftest import ASTEN, EXCLUDED, FARENT, HELMOND, POLICE
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as sd_grpc
from zorgtafel.testing import bad_fields
from zorgtafel.testing.services import channel

pytestmark = pytest.mark.integration


@pytest.fixture
def export(env) -> sd_grpc.SubjectDataServiceStub:
    return sd_grpc.SubjectDataServiceStub(channel(env.app))


def officer(env, party: str = ASTEN, person: str = "fg-1") -> tuple:
    return env.md(party, "privacy_officer", person=person)


def section(reply: sd.ExportSubjectDataResponse, name: str) -> list[sd.SubjectRecord]:
    return [r for s in reply.sections if s.name == name for r in s.records]


def test_the_nominating_partys_officer_gets_intakes_data_about_the_subject(env, export):
    case_id = env.in_triage(asked=(POLICE,))
    env.answer(case_id, POLICE)
    reply = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env)
    )
    assert reply.service == "intake" and list(reply.case_ids) == [case_id]
    identity = section(reply, "identity")
    assert identity and identity[0].fields["family_name"] and identity[0].party == ASTEN
    assert section(reply, "nomination")[0].fields["status"] == "triage"
    assert {r.kind for r in section(reply, "triage")} == {"triage_round", "triage_answer"}
    assert {r.fields["step"] for r in section(reply, "history")} >= {"nominated", "triage_started"}
    # The police's contribution is its own note: withheld from ASTEN's officer, ground named.
    assert [(w.kind, w.party) for w in reply.withheld] == [("triage_contribution", POLICE)]
    assert "art. 15.1" in reply.withheld[0].ground

    # By pseudonym: the same nomination.
    pseudonym = env.pseudonym(case_id)
    by_subject = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(subject_pseudonym=pseudonym), metadata=officer(env)
    )
    assert case_id in by_subject.case_ids

    # The process director's party answers for the process-direction dossier (12.3).
    assert export.ExportSubjectData(
        sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env, HELMOND, "fg-h")
    ).case_ids

    # The export is a logged read in intake's own access log.
    logs = al_grpc.AccessLogServiceStub(channel(env.app))
    entries = logs.ListAccess(al.ListAccessRequest(case_id=case_id), metadata=officer(env)).entries
    mine = [e for e in entries if e.rpc == "ExportSubjectData" and e.person == "fg-1"]
    assert mine and mine[0].result == "allowed" and mine[0].subject_pseudonym == pseudonym


def test_others_are_refused(env, export):
    case_id = env.nominate().case_id
    request = sd.ExportSubjectDataRequest(case_id=case_id)
    for metadata in (
        officer(env, FARENT, "fg-farent"),  # no controller of this nomination
        env.md(ASTEN, "caseworker", person="cw-1"),  # the controller's worker: not its FG
        officer(env, EXCLUDED, "fg-x"),  # art. 23.2
    ):
        with pytest.raises(grpc.RpcError) as refused:
            export.ExportSubjectData(request, metadata=metadata)
        assert refused.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_the_request_is_validated_and_an_unknown_case_is_not_found(env, export):
    with pytest.raises(grpc.RpcError) as missing:
        export.ExportSubjectData(sd.ExportSubjectDataRequest(), metadata=officer(env))
    assert missing.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(missing.value) == ["subject"]
    with pytest.raises(grpc.RpcError) as bad:
        export.ExportSubjectData(
            sd.ExportSubjectDataRequest(case_id="not a case id!"), metadata=officer(env)
        )
    assert bad_fields(bad.value) == ["case_id"]
    with pytest.raises(grpc.RpcError) as unknown:
        export.ExportSubjectData(
            sd.ExportSubjectDataRequest(case_id="0" * 32), metadata=officer(env)
        )
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
