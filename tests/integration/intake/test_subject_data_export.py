"""Issue #14: intake's part of the subject access report (``SubjectDataService``), over real
gRPC on SQLite and PostgreSQL. The nominating party's privacy officer gets the identity, the
nomination, its assessment, triage and history; an asked party's contribution is withheld with
the ground named; the process director's party's officer gets it too (12.3). Another party's
privacy officer, a worker of the nominating party and an excluded party are refused; each
export is logged in intake's own access log."""

from __future__ import annotations

import uuid

import grpc
import pytest

from tests.integration.intake.conftest import (
    ASTEN,
    EXCLUDED,
    FARENT,
    GGZ,
    HELMOND,
    LUMENS,
    POLICE,
    unique_subject,
)
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as sd_grpc
from zorgtafel.testing import bad_fields, denial_reasons
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
    assert {r.kind for r in section(reply, "triage")} == {"triage_round"}
    assert {r.fields["step"] for r in section(reply, "history")} >= {"nominated", "triage_started"}
    # Who was asked, the police's answer and its contribution (its own note) are withheld from
    # ASTEN's officer with the ground named, each line naming the process director's party,
    # not the police (that it was consulted is not ASTEN's to know, 1.15, 16.2).
    assert [(w.kind, w.party) for w in reply.withheld] == [
        ("triage_asked", HELMOND),
        ("triage_answer", HELMOND),
        ("triage_contribution", HELMOND),
    ]
    assert all("art. 1.15" in w.ground for w in reply.withheld)
    assert POLICE not in repr(reply)

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


def test_the_request_is_validated_and_an_unknown_case_is_refused_as_held_by_others(env, export):
    with pytest.raises(grpc.RpcError) as missing:
        export.ExportSubjectData(sd.ExportSubjectDataRequest(), metadata=officer(env))
    assert missing.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(missing.value) == ["subject"]
    with pytest.raises(grpc.RpcError) as bad:
        export.ExportSubjectData(
            sd.ExportSubjectDataRequest(case_id="not a case id!"), metadata=officer(env)
        )
    assert bad_fields(bad.value) == ["case_id"]
    # Nothing held reads as held for another controller (8.4c): the officer's party is
    # controller of nothing here, whichever it is.
    with pytest.raises(grpc.RpcError) as unknown:
        export.ExportSubjectData(
            sd.ExportSubjectDataRequest(case_id="0" * 32), metadata=officer(env)
        )
    assert unknown.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "nothing held for party" in " ".join(denial_reasons(unknown.value))


def test_by_pseudonym_an_officer_gets_only_the_nominations_its_party_answers_for(env, export):
    """Two parties nominate the same subject (the second is linked to the first): the second
    party's officer, asking by the subject's pseudonym, gets its own nomination and nothing of
    the first's (its identity as given, problems, safety, triage), nor that it exists: that is
    the first nominating party's to answer for (Bijlage 3, art. 15.1, 8.4c)."""
    subject = unique_subject()
    first = env.nominate(ASTEN, subject=subject).case_id
    second = env.nominate(GGZ, subject=subject).case_id
    assert env.linked_to(second) == first
    pseudonym = env.pseudonym(first)
    reply = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(subject_pseudonym=pseudonym),
        metadata=officer(env, GGZ, "fg-ggz"),
    )
    assert list(reply.case_ids) == [second]
    shown = {r.case_id for s in reply.sections for r in s.records}
    withheld = {w.case_id for w in reply.withheld}
    assert first not in shown | withheld
    # Nor the other way round: the first nominating party gets its own only.
    mine = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(subject_pseudonym=pseudonym), metadata=officer(env)
    )
    assert list(mine.case_ids) == [first]


def test_the_nominating_partys_officer_is_not_told_whom_triage_asked_nor_their_answers(env, export):
    """GetNomination shows the nominating party only its own part in the triage round: who
    else was consulted and what they answered is the process director's working information
    (1.15, 12.2b, 16.2: the triage_view obligation). Its officer's export tells no more; the
    process director's party's officer gets them (12.3)."""
    case_id = env.in_triage(asked=(POLICE, LUMENS))
    env.answer(case_id, POLICE)  # "involved": the police know the subject
    reply = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env)
    )
    triage = section(reply, "triage")
    assert not [r for r in triage if r.kind == "triage_answer"]
    assert not [r for r in triage if POLICE in repr(dict(r.fields))]
    assert POLICE not in repr(reply) and LUMENS not in repr(reply)
    assert ("triage_answer", HELMOND) in {(w.kind, w.party) for w in reply.withheld}
    directors = export.ExportSubjectData(
        sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env, HELMOND, "fg-h")
    )
    kinds = {r.kind for r in section(directors, "triage")}
    assert kinds == {"triage_round", "triage_asked", "triage_answer"}


def refusal(export, request, metadata) -> tuple:
    """What a refused export tells the caller: status, words and the policy's reasons."""
    with pytest.raises(grpc.RpcError) as refused:
        export.ExportSubjectData(request, metadata=metadata)
    return refused.value.code(), refused.value.details(), denial_reasons(refused.value)


def test_an_officer_of_no_controller_is_told_of_a_held_subject_what_of_one_never_held(env, export):
    """Need to know (8.4c): that intake holds data about a person (a nomination to a care
    table for victims of trafficking) is itself that person's data. Another party's privacy
    officer asking by a real case id or pseudonym gets the same answer, status and words, as
    for an id or pseudonym of nothing held; so does an officer of a controller elsewhere (a
    nominating party asking about another party's case), and her own party's access log tells
    her no more (the subject a case id resolves to is recorded for a look that is allowed)."""
    case_id = env.nominate(GGZ).case_id
    pseudonym = env.pseudonym(case_id)
    real_case = sd.ExportSubjectDataRequest(case_id=case_id)
    no_case = sd.ExportSubjectDataRequest(case_id=uuid.uuid4().hex)
    real_subject = sd.ExportSubjectDataRequest(subject_pseudonym=pseudonym)
    no_subject = sd.ExportSubjectDataRequest(subject_pseudonym="psn-" + uuid.uuid4().hex)
    for party, person in ((FARENT, "fg-farent"), (ASTEN, "fg-asten")):
        answers = [
            refusal(export, request, officer(env, party, f"{person}-{n}"))
            for n, request in enumerate((real_case, no_case, real_subject, no_subject))
        ]
        assert answers[0][0] == grpc.StatusCode.PERMISSION_DENIED
        assert all(a == answers[0] for a in answers), answers
        assert f"nothing held for party {party} as controller" in " ".join(answers[0][2])
        assert case_id not in repr(answers) and pseudonym not in repr(answers)

    # Her party's access log: the looks by case id read alike, the subject unnamed.
    logs = al_grpc.AccessLogServiceStub(channel(env.app))
    entries = logs.ListAccess(
        al.ListAccessRequest(party=FARENT), metadata=officer(env, FARENT, "fg-farent-log")
    ).entries
    looks = {e.person: e for e in entries if e.rpc == "ExportSubjectData"}
    real, none = looks["fg-farent-0"], looks["fg-farent-1"]
    assert (real.result, list(real.reasons), real.subject_pseudonym, real.resource) == (
        none.result,
        list(none.reasons),
        none.subject_pseudonym,
        none.resource,
    )
    assert pseudonym not in repr([real, none])

    # The controller's officer still gets the subject's data.
    assert list(
        export.ExportSubjectData(real_case, metadata=officer(env, GGZ, "fg-ggz")).case_ids
    ) == [case_id]


def test_intakes_access_log_by_case_or_subject_tells_an_officer_of_no_controller_nothing_either(
    env, export
):
    """The same oracle checked on the kernel's other subject RPC (8.4c): FARENT's privacy
    officer listing intake's access log by a real case id or pseudonym, looked at by others,
    is refused as for an id or pseudonym of nothing held, in the same words."""
    case_id = env.nominate(ASTEN).case_id
    pseudonym = env.pseudonym(case_id)
    export.ExportSubjectData(sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env))
    logs = al_grpc.AccessLogServiceStub(channel(env.app))
    answers = []
    for n, request in enumerate(
        (
            al.ListAccessRequest(case_id=case_id),
            al.ListAccessRequest(case_id=uuid.uuid4().hex),
            al.ListAccessRequest(subject_pseudonym=pseudonym),
            al.ListAccessRequest(subject_pseudonym="psn-" + uuid.uuid4().hex),
        )
    ):
        with pytest.raises(grpc.RpcError) as refused:
            logs.ListAccess(request, metadata=officer(env, FARENT, f"fg-log-{n}"))
        answers.append((refused.value.code(), refused.value.details()))
    assert answers[0][0] == grpc.StatusCode.PERMISSION_DENIED
    assert all(a == answers[0] for a in answers), answers


def test_the_nominating_partys_officer_learns_no_more_of_a_link_than_its_nominator(env, export):
    """Issue 13 point 7, 8.4c: a nominating party is told "received" of a nomination not yet
    assessed, linked to another party's nomination of the same subject or not, so that a
    nomination is no oracle for "is this person known?". Its privacy officer's export read
    "linked" for one and "nominated" for the other: the party learnt by another route that
    someone else had nominated the subject. Both now read as GetNomination tells the
    nominating party: received."""
    subject = unique_subject()
    env.nominate(GGZ, subject=subject)
    linked = env.nominate(ASTEN, subject=subject).case_id
    fresh = env.nominate(ASTEN).case_id
    shown = {}
    for case_id in (linked, fresh):
        reply = export.ExportSubjectData(
            sd.ExportSubjectDataRequest(case_id=case_id), metadata=officer(env)
        )
        [record] = section(reply, "nomination")
        steps = {r.fields["step"] for r in section(reply, "history")}
        shown[case_id] = (record.fields["status"], steps, [w.kind for w in reply.withheld])
    assert shown[linked] == shown[fresh], shown
    assert shown[fresh][0] == "received"
