"""Intake's reads in its access log (issue #15), over real gRPC on SQLite and PostgreSQL:
every call of GetNomination, GetTriageQuestion and ListProbingFlags leaves one record naming
who read what of which case and subject, durable before the reply arrives; a read the access
policy refuses (need to know) and a call the authz policy refuses are logged as denied with the
policy's reasons; writes are not logged as reads; no record holds personal data."""

from __future__ import annotations

import json

import grpc
import pytest

from services.intake.domain.subject import normalise_name
from tests.integration.intake.conftest import (
    ASTEN,
    DIRECTOR,
    FARENT,
    HELMOND,
    MANAGER,
    POLICE,
    SUBJECTS,
    unique_bsn,
    unique_subject,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import denial_reasons, rid

pytestmark = pytest.mark.integration


def records(env, by: str, value: str) -> list[dict]:
    """The access log's records of one case, subject or party, newest first, as they stand
    now (no waiting: a reply never precedes its record)."""
    with env.app.uow_factory() as uow:
        return reader(uow).latest(by, value)


def last_seq(env) -> int:
    """The newest record's number: what a call adds comes after it."""
    return max((r["seq"] for r in env.rows("access_log")), default=0)


def since(env, by: str, value: str, seq: int) -> list[dict]:
    return [r for r in records(env, by, value) if r["seq"] > seq]


def refused(call, *args, **kw) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call(*args, **kw)
    return err.value


def get(env, case_id: str, md):
    return env.stub.GetNomination(pb.GetNominationRequest(case_id=case_id), metadata=md)


def question(env, case_id: str, md):
    return env.stub.GetTriageQuestion(pb.GetTriageQuestionRequest(case_id=case_id), metadata=md)


def assert_allowed(rec: dict, *, rpc: str, party: str, person: str, role: str) -> None:
    assert (rec["rpc"], rec["action"], rec["result"]) == (rpc, "read", "allowed")
    assert (rec["party"], rec["person"], rec["role"]) == (party, person, role)
    assert rec["recipient"] == party
    assert rec["reasons"] == []
    for name in ("decision_id", "policy_revision", "trace_id", "span_id", "resource"):
        assert rec[name], name


# -- one record per read, there when the reply arrives --------------------------------------------
def test_reading_a_nomination_writes_one_record_naming_reader_case_and_subject(env):
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)
    before = len(records(env, "case_id", case_id))

    reply = get(env, case_id, env.director())

    after = records(env, "case_id", case_id)
    assert len(after) == before + 1
    rec = after[0]
    assert_allowed(
        rec, rpc="GetNomination", party=HELMOND, person=DIRECTOR, role="process_director"
    )
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case_id, pseudonym)
    assert reply.nomination.subject_pseudonym == pseudonym
    sections = rec["resource"].split(",")
    assert {"identity", "criteria", "triage", "pseudonym_and_links"} <= set(sections)


def test_the_nominators_read_is_logged_under_the_subject_it_does_not_see(env):
    case_id = env.nominate(ASTEN).case_id
    pseudonym = env.pseudonym(case_id)
    party, person = env.nominators[case_id]
    before = len(records(env, "subject_pseudonym", pseudonym))

    reply = get(env, case_id, env.nominator(case_id))

    assert reply.nomination.subject_pseudonym == ""  # the nominator's view leaves it out ...
    after = records(env, "subject_pseudonym", pseudonym)
    assert len(after) == before + 1  # ... the subject's access report still shows the read
    rec = after[0]
    assert_allowed(rec, rpc="GetNomination", party=party, person=person, role="caseworker")
    assert rec["case_id"] == case_id
    assert "identity" in rec["resource"].split(",")
    assert "pseudonym_and_links" not in rec["resource"]


def test_reading_the_triage_question_writes_one_record_naming_the_round(env):
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)
    before = len(records(env, "case_id", case_id))

    reply = question(env, case_id, env.md(POLICE, person="agent-7"))

    after = records(env, "case_id", case_id)
    assert len(after) == before + 1
    rec = after[0]
    assert_allowed(rec, rpc="GetTriageQuestion", party=POLICE, person="agent-7", role="caseworker")
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case_id, pseudonym)
    assert rec["resource"] == f"triage_question:{reply.round_id}"


def test_listing_probing_flags_writes_one_record_naming_the_flags_shown(env):
    subject = unique_subject()
    env.nominate(ASTEN, subject=subject)
    prober = f"prober-{rid()[-8:]}"
    for _ in range(3):  # ZORGTAFEL_INTAKE_PROBE_LIMIT, default 3 per day: the third flags
        env.nominate(POLICE, prober, subject=subject)
    [flagged] = [r for r in env.rows("outbox", type=ev.PROBING_FLAGGED) if prober in r["data"]]
    flag_id = json.loads(flagged["data"])["flag_id"]
    seq = last_seq(env)

    listed = env.stub.ListProbingFlags(pb.ListProbingFlagsRequest(), metadata=env.manager())

    new = since(env, "party", HELMOND, seq)
    assert len(new) == 1
    [rec] = new
    assert_allowed(rec, rpc="ListProbingFlags", party=HELMOND, person=MANAGER, role="manager")
    assert rec["resource"].split(",") == [f.flag_id for f in listed.flags]
    assert flag_id in rec["resource"].split(",")
    # About employees, not about a subject or a case.
    assert (rec["case_id"], rec["subject_pseudonym"]) == ("", "")


def test_every_read_is_logged_again_each_time(env):
    case_id = env.qualified()
    before = len(records(env, "case_id", case_id))
    for _ in range(3):
        get(env, case_id, env.director())
    after = records(env, "case_id", case_id)
    assert len(after) == before + 3
    assert len({r["trace_id"] for r in after[:3]}) == 3  # one call, one trace


def test_writes_are_not_logged_as_reads(env):
    case_id = env.nominate(ASTEN).case_id
    env.assess(case_id)
    env.start_triage(case_id, (POLICE,))
    env.answer(case_id, POLICE)
    assert records(env, "case_id", case_id) == []


# -- refusals ---------------------------------------------------------------------------------
def test_a_read_refused_for_lack_of_need_to_know_is_logged_as_denied_with_the_reasons(env):
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)
    before = len(records(env, "case_id", case_id))

    err = refused(get, env, case_id, env.md(FARENT, person="stranger-1"))

    after = records(env, "case_id", case_id)
    assert len(after) == before + 1
    rec = after[0]
    assert (rec["rpc"], rec["action"], rec["result"]) == ("GetNomination", "read", "denied")
    assert (rec["party"], rec["person"], rec["role"]) == (FARENT, "stranger-1", "caseworker")
    assert (rec["case_id"], rec["subject_pseudonym"]) == (case_id, pseudonym)
    # FARENT has no part: told what an unknown id is told (8.4c); the record keeps the
    # policy's decision and its reasons.
    assert denial_reasons(err) == list(NotShared("nomination", "case_id").reasons)
    assert rec["reasons"] and set(rec["reasons"]) != set(denial_reasons(err))
    assert rec["decision_id"] and rec["policy_revision"] and rec["trace_id"]
    assert rec["resource"] == ""  # nothing was let out

    # A party that was not asked in the triage round is refused the question alike.
    err = refused(question, env, case_id, env.md(FARENT, person="stranger-1"))
    rec = records(env, "case_id", case_id)[0]
    assert (rec["rpc"], rec["result"], rec["case_id"]) == ("GetTriageQuestion", "denied", case_id)
    assert rec["subject_pseudonym"] == pseudonym
    assert rec["reasons"] and rec["decision_id"]
    assert denial_reasons(err) == list(NotShared("nomination", "case_id").reasons)


def test_a_read_refused_for_the_wrong_role_is_logged_as_denied(env):
    case_id = env.nominate(ASTEN).case_id
    before = len(records(env, "case_id", case_id))

    err = refused(get, env, case_id, env.md(ASTEN, "manager", "wrong-role-1"))

    after = records(env, "case_id", case_id)
    assert len(after) == before + 1
    rec = after[0]
    assert (rec["rpc"], rec["action"], rec["result"]) == ("GetNomination", "call", "denied")
    assert (rec["party"], rec["person"], rec["role"]) == (ASTEN, "wrong-role-1", "manager")
    assert set(rec["reasons"]) == set(denial_reasons(err)) and rec["reasons"]
    assert rec["decision_id"] and rec["trace_id"]

    # The managers' list, asked for by a caseworker: logged, without a case to name.
    seq = last_seq(env)
    refused(env.stub.ListProbingFlags, pb.ListProbingFlagsRequest(), metadata=env.md(FARENT))
    [rec] = since(env, "party", FARENT, seq)
    assert (rec["rpc"], rec["action"], rec["result"]) == ("ListProbingFlags", "call", "denied")
    assert rec["reasons"]


# -- identifiers only -------------------------------------------------------------------------------
def test_no_record_holds_personal_data(env):
    subject = unique_subject(bsn=unique_bsn())
    case_id = env.nominate(ASTEN, subject=subject).case_id
    env.assess(case_id)
    env.start_triage(case_id, (POLICE,))
    question(env, case_id, env.md(POLICE))
    env.answer(case_id, POLICE)
    get(env, case_id, env.director())
    get(env, case_id, env.nominator(case_id))
    refused(get, env, case_id, env.md(FARENT))
    refused(get, env, case_id, env.md(ASTEN, "manager"))
    assert len(records(env, "case_id", case_id)) == 5  # the scan below sees them

    # Every subject nominated in this module, and the free text the flows carry.
    secrets = [
        "dakloos",
        "bedreigd",
        "uitbuiting",
        "besproken met de aanmelder",
        "voldoet",
        "Is deze persoon bij u bekend?",
        "wij kennen haar",
    ]
    for s in SUBJECTS:
        secrets += [
            v
            for v in (
                s.family_name,
                s.given_names,
                s.date_of_birth,
                s.bsn,
                s.v_number,
                normalise_name(s.family_name),
            )
            if v
        ]
    stored = repr(env.rows("access_log"))
    assert case_id in stored  # the scan sees the records
    for secret in secrets:
        for form in {secret, json.dumps(secret)[1:-1]}:
            assert form not in stored, secret
    with env.app.uow_factory() as uow:
        report = reader(uow).verify(env.app.access_log.keys)
    assert report.intact, report.problems
