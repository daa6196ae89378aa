"""Intake over real gRPC, the real broker, SQLite and PostgreSQL and the real Rego policies:
nomination (1.1), assessment against Bijlage 2 (12.2a, 1.4), triage and routing (1.15,
12.2b-e), withdrawal, purge, every refused transition and the absence of personal data outside
the service. The refusals of issue 13 (the process director by relationship, 12.3; the judged
criteria, 1.4; refused consent, Bijlage 3; no oracle and no probing, point 7) are in
``test_need_to_know``."""

from __future__ import annotations

import itertools
import json
import time
import urllib.request
from datetime import date, datetime, timedelta, timezone

import grpc
import pytest
from prometheus_client.parser import text_string_to_metric_families

from services.intake.domain.subject import normalise_name
from tests.integration.intake.conftest import (
    ASTEN,
    EXCLUDED,
    FARENT,
    GGZ,
    HELMOND,
    LUMENS,
    POLICE,
    SUBJECTS,
    judged,
    nominate_request,
    unique_bsn,
    unique_subject,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import bad_fields, denial_reasons, rid, wait_for

pytestmark = pytest.mark.integration

_v = itertools.count(1_000_000_000 + int(time.time()) % 1_000_000 * 1000)


def refused(call, *args, **kw) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call(*args, **kw)
    return err.value


def meeting(invitees, themes=("safety",)) -> pb.CaseMeetingPlan:
    return pb.CaseMeetingPlan(
        goal_code="safe_housing",
        goal="veilig wonen binnen drie maanden",
        themes=list(themes),
        decision_types=["plan_of_approach"],
        invitees=list(invitees),
    )


def route(env, case_id, routing=pb.ROUTING_CASE_MEETING, plan=None, reason_code=""):
    req = pb.DecideRoutingRequest(
        request_id=rid(), case_id=case_id, routing=routing, reason_code=reason_code
    )
    if plan is not None:
        req.meeting.CopyFrom(plan)
    return env.stub.DecideRouting(req, metadata=env.director())


def get(env, case_id, md):
    return env.stub.GetNomination(pb.GetNominationRequest(case_id=case_id), metadata=md)


# -- 1.1 nomination ------------------------------------------------------------------------
def test_nomination_gives_a_keyed_pseudonym_and_the_age_band_from_the_date_of_birth(env):
    dob = date.today().replace(year=date.today().year - 14)
    reply = env.nominate(subject=unique_subject(date_of_birth=dob.isoformat()))
    assert len(reply.case_id) == 32
    assert reply.age_band == pb.AGE_BAND_12_TO_16
    # The nominator is told "received" only: no pseudonym, no link (issue 13 point 7).
    assert reply.status == pb.NOMINATION_STATUS_RECEIVED
    assert reply.subject_pseudonym == "" and reply.linked_to_case_id == ""
    pseudonym = env.pseudonym(reply.case_id)
    assert len(pseudonym) == 64
    [nominated] = env.events(reply.case_id, ev.CASE_NOMINATED)
    assert nominated["subject_pseudonym"] == pseudonym
    assert nominated["age_band"] == "12_to_16"
    assert nominated["nominating_party"] == ASTEN


def test_age_band_without_date_of_birth_is_unknown_or_as_stated(env):
    s = unique_subject(date_of_birth="")
    assert env.nominate(subject=s).age_band == pb.AGE_BAND_UNKNOWN
    s = unique_subject(date_of_birth="")
    assert env.nominate(subject=s, age_band=pb.AGE_BAND_UNDER_12).age_band == pb.AGE_BAND_UNDER_12


def test_duplicate_nomination_of_the_same_subject_is_linked_not_doubled(env):
    subject = unique_subject()
    first = env.nominate(ASTEN, subject=subject)
    # Another party spells the name differently (case, accents, spacing): the same person.
    variant = pb.SubjectIdentity(
        given_names=subject.given_names.upper(),
        family_name="  " + subject.family_name.replace("ś", "s") + " ",
        date_of_birth=subject.date_of_birth,
    )
    second = env.nominate(GGZ, subject=variant)
    assert env.linked_to(second.case_id) == first.case_id
    assert env.pseudonym(second.case_id) == env.pseudonym(first.case_id)
    assert get(env, second.case_id, env.director()).nomination.status == (
        pb.NOMINATION_STATUS_LINKED
    )
    [event] = env.events(second.case_id, ev.CASE_NOMINATED)
    assert event["linked_to_case_id"] == first.case_id
    # The process director sees the link on the open nomination.
    nom = get(env, first.case_id, env.director()).nomination
    assert list(nom.linked_case_ids) == [second.case_id]


def test_a_bsn_links_nominations_that_name_the_subject_differently(env):
    bsn = unique_bsn()
    first = env.nominate(subject=unique_subject(bsn=bsn))
    second = env.nominate(GGZ, subject=pb.SubjectIdentity(bsn=bsn))
    assert env.linked_to(second.case_id) == first.case_id
    assert env.pseudonym(second.case_id) == env.pseudonym(first.case_id)


def test_different_subjects_get_different_pseudonyms(env):
    a, b = env.nominate(), env.nominate()
    assert env.pseudonym(a.case_id) != env.pseudonym(b.case_id)
    assert env.linked_to(b.case_id) == ""


def test_subject_identity_is_encrypted_at_rest(env):
    bsn = unique_bsn()
    subject = unique_subject(bsn=bsn)
    reply = env.nominate(subject=subject)
    [row] = env.rows("nominations", case_id=reply.case_id)
    blob = repr(row).encode()
    for secret in (
        subject.family_name,
        subject.given_names,
        subject.date_of_birth,
        bsn,
        "dakloos",
        "uitbuiting",
    ):
        for form in (secret, json.dumps(secret)[1:-1]):
            assert form.encode() not in blob
            assert form.encode() not in row["sealed_identity"]
            assert form.encode() not in row["sealed_details"]
    assert env.count("case_keys", case_id=reply.case_id) == 1
    # The pseudonym is keyed: not a plain hash of the normalised identity.
    import hashlib

    plain = [
        hashlib.sha256(k.encode()).hexdigest()
        for k in (f"bsn:{bsn}", bsn, normalise_name(subject.family_name))
    ]
    assert env.pseudonym(reply.case_id) not in plain


def test_nominating_party_and_process_director_read_the_nomination(env):
    subject = unique_subject(bsn=unique_bsn())
    case_id = env.nominate(ASTEN, subject=subject).case_id
    mine = get(env, case_id, env.nominator(case_id)).nomination
    assert mine.subject.family_name == subject.family_name
    assert mine.subject.bsn == subject.bsn
    assert mine.nominating_party == ASTEN
    assert list(mine.usage_terms.purposes) == ["care_coordination"]
    assert [p.description for p in mine.problems] == ["dakloos", "bedreigd"]
    director = get(env, case_id, env.director()).nomination
    assert director.subject.date_of_birth == subject.date_of_birth


def test_other_parties_see_nothing_of_a_nomination(env):
    case_id = env.nominate(ASTEN).case_id
    err = refused(get, env, case_id, env.md(FARENT))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "art. 8.4c" in err.details()
    # A role the authorisation table does not name is refused before the service is reached.
    err = refused(get, env, case_id, env.md(ASTEN, "front_desk"))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


def test_excluded_party_cannot_nominate(env):
    err = refused(env.nominate, EXCLUDED)
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "art. 23.2" in err.details()


def test_repeated_nomination_request_returns_the_same_answer_and_changes_nothing(env):
    req = nominate_request()
    first = env.stub.Nominate(req, metadata=env.md(ASTEN))
    again = env.stub.Nominate(req, metadata=env.md(ASTEN))
    assert again == first
    assert env.count("nominations", case_id=first.case_id) == 1
    assert len(env.events(first.case_id)) == 1
    other = nominate_request()
    other.request_id = req.request_id
    err = refused(env.stub.Nominate, other, metadata=env.md(ASTEN))
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


# -- Bijlage 2 criteria, through the real Rego -------------------------------------------------
# (A, B, C, D) -> qualifies iff (A or B) and C and D.
COMBINATIONS = list(itertools.product([True, False], repeat=4))


@pytest.mark.parametrize(
    "a,b,c,d",
    COMBINATIONS,
    ids=[
        "".join(n if v else "-" for n, v in zip("ABCD", combo, strict=True))
        for combo in COMBINATIONS
    ],
)
def test_criteria_advise_on_every_annex_2_combination(env, a, b, c, d):
    case_id = env.nominate(a=a, b=b, c=c, d=d).case_id
    # The process director judges the facts as stated; the rule decides (art. 1.4).
    reply = env.assess(
        case_id,
        criteria=judged(a, b, c, d),
        qualifies=False,
        rejection_reason=pb.REJECTION_REASON_OTHER,
    )
    expected = (a or b) and c and d
    assert reply.advice.qualifies is expected
    assert list(reply.advice.criteria_held) == [
        n for n, v in zip("ABCD", (a, b, c, d), strict=True) if v
    ]
    assert list(reply.criteria_judged_held) == list(reply.advice.criteria_held)
    assert reply.advice.policy_revision.startswith("sha256:")
    assert any("Bijlage 2" in r for r in reply.advice.reasons)


def test_criterion_c_needs_coercion_and_pressure_among_the_chains(env):
    case_id = env.nominate(a=True, c=True, d=True, coercion=False).case_id
    reply = env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=False,
            rejection_reason=pb.REJECTION_REASON_CRITERIA_NOT_MET,
            reasons="geen dwang en drang",
            nominating_party_consulted=True,
            criteria=judged(c=False),
        ),
        metadata=env.director(),
    )
    assert reply.advice.qualifies is False
    assert "C" not in reply.advice.criteria_held


def test_the_judged_criteria_decide_and_advice_judgement_and_grounds_are_recorded(env):
    case_id = env.nominate(a=False, b=False).case_id  # the stated facts advise against
    reply = env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=True,
            reasons="toch nodig: broertje",
            nominating_party_consulted=True,
            criteria=judged(a=True),  # the process director judges A to hold after all
        ),
        metadata=env.director(),
    )
    assert reply.advice.qualifies is False and reply.qualifies is True
    assert reply.status == pb.NOMINATION_STATUS_QUALIFIED
    assert list(reply.criteria_judged_held) == ["A", "C", "D"]
    nom = get(env, case_id, env.director()).nomination
    assert nom.advice.qualifies is False and nom.qualifies is True
    assert nom.assessment_reasons == "toch nodig: broertje"
    # The judged criteria and their grounds: for the process director and the nominator.
    assert nom.criteria.a.holds and nom.criteria.a.grounds == "besproken met de aanmelder"
    assert nom.process_director_person == "zorgcoordinator-1"
    mine = get(env, case_id, env.nominator(case_id)).nomination
    assert mine.criteria == nom.criteria and mine.process_director_party == HELMOND
    [assessed] = env.events(case_id, ev.CASE_ASSESSED)
    assert assessed["advice"] == "does_not_qualify" and assessed["qualifies"] is True


def test_rejection_tells_the_nominating_party_why(env):
    subject = unique_subject()
    case_id = env.nominate(ASTEN, subject=subject, d=False).case_id
    linked = env.nominate(GGZ, subject=subject).case_id
    reply = env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=False,
            rejection_reason=pb.REJECTION_REASON_REGULAR_CARE_SUFFICES,
            reasons="regulier",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    assert reply.status == pb.NOMINATION_STATUS_REJECTED
    [rejected] = env.events(case_id, ev.CASE_REJECTED)
    assert rejected == {
        "case_id": case_id,
        "nominating_party": ASTEN,
        "reason_code": "regular_care_suffices",
        "_type": ev.CASE_REJECTED,
    }
    # The party whose nomination was linked to it learns the outcome too.
    [linked_rejected] = env.events(linked, ev.CASE_REJECTED)
    assert linked_rejected["nominating_party"] == GGZ
    # The nominating party can read the decision and its reasons.
    nom = get(env, case_id, env.nominator(case_id)).nomination
    assert nom.rejection_reason == pb.REJECTION_REASON_REGULAR_CARE_SUFFICES
    # The relay published the events to the broker.
    wait_for(lambda: all(r["sent_at"] is not None for r in env.rows("outbox", case_id=case_id)))


def test_assessing_twice_is_refused_naming_the_state(env):
    case_id = env.qualified()
    err = refused(
        env.stub.Assess,
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=True,
            reasons="nogmaals",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: qualified" in err.details()


def test_only_the_process_director_assesses(env):
    case_id = env.nominate().case_id
    err = refused(
        env.stub.Assess,
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=True,
            reasons="x",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.nominator(case_id),  # even the person who nominated it
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED


def test_rejection_without_reason_code_is_invalid(env):
    case_id = env.nominate().case_id
    err = refused(
        env.stub.Assess,
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=False,
            reasons="nee",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["rejection_reason"]


# -- 1.15 / 12.2b triage -------------------------------------------------------------------
def test_triage_before_assessment_is_refused_naming_the_state(env):
    case_id = env.nominate().case_id
    err = refused(env.start_triage, case_id)
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: nominated" in err.details()


def test_triage_of_a_rejected_case_is_refused(env):
    case_id = env.nominate().case_id
    env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=False,
            rejection_reason=pb.REJECTION_REASON_OTHER,
            reasons="nee",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    err = refused(env.start_triage, case_id)
    assert "state: rejected" in err.details()


def test_asked_party_learns_only_the_pseudonym_themes_and_question(env):
    subject = unique_subject(bsn=unique_bsn())
    nominated = env.nominate(subject=subject)
    case_id = nominated.case_id
    env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=True,
            reasons="ja",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    env.start_triage(case_id)
    q = env.stub.GetTriageQuestion(
        pb.GetTriageQuestionRequest(case_id=case_id), metadata=env.md(POLICE)
    )
    assert q.subject_pseudonym == env.pseudonym(case_id)
    assert list(q.themes) == ["safety", "housing"]
    assert q.question == "Is deze persoon bij u bekend?"
    assert not q.answered and not q.closed
    wire = q.SerializeToString()
    for secret in (
        subject.family_name,
        subject.given_names,
        subject.date_of_birth,
        subject.bsn,
        "dakloos",
    ):
        assert secret.encode() not in wire
    # An asked party does not read the nomination itself.
    assert refused(get, env, case_id, env.md(POLICE)).code() == grpc.StatusCode.PERMISSION_DENIED


def test_an_asked_party_reads_no_question_of_a_withdrawn_or_routed_nomination(env):
    """1.15, 8.4c: the question (with the pseudonym) is only for answering it."""
    withdrawn = env.in_triage(asked=(POLICE,))
    env.stub.WithdrawNomination(
        pb.WithdrawNominationRequest(request_id=rid(), case_id=withdrawn),
        metadata=env.nominator(withdrawn),
    )
    assert refused(env.answer, withdrawn, POLICE).code() == grpc.StatusCode.FAILED_PRECONDITION
    routed = env.in_triage(asked=(POLICE,))
    env.answer(routed, POLICE)
    route(env, routed, routing=pb.ROUTING_REGULAR_CARE)
    for case_id, status in ((withdrawn, "withdrawn"), (routed, "routed")):
        err = refused(
            env.stub.GetTriageQuestion,
            pb.GetTriageQuestionRequest(case_id=case_id),
            metadata=env.md(POLICE),
        )
        assert any(
            f"The triage round is over (the nomination is {status})" in r
            for r in denial_reasons(err)
        ), denial_reasons(err)
    # Its process director still reads the question it asked.
    env.stub.GetTriageQuestion(pb.GetTriageQuestionRequest(case_id=routed), metadata=env.director())


def test_party_not_asked_neither_reads_the_question_nor_answers(env):
    case_id = env.in_triage()
    err = refused(
        env.stub.GetTriageQuestion,
        pb.GetTriageQuestionRequest(case_id=case_id),
        metadata=env.md(FARENT),
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    err = refused(env.answer, case_id, FARENT)
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    # FARENT has no part in the nomination: told what an unknown id is told (8.4c).
    assert denial_reasons(err) == list(NotShared("nomination", "case_id").reasons)


def test_excluded_party_is_not_asked_in_triage(env):
    case_id = env.qualified()
    err = refused(env.start_triage, case_id, (POLICE, EXCLUDED))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "art. 23.2" in err.details()
    # Nothing changed: the round can still be started with parties that may be asked.
    env.start_triage(case_id, (POLICE,))


def test_answering_twice_is_refused(env):
    case_id = env.in_triage()
    env.answer(case_id, POLICE)
    err = refused(env.answer, case_id, POLICE, pb.TRIAGE_ANSWER_KIND_NOT_KNOWN)
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: triage_answered" in err.details()


def test_routing_without_a_closed_round_is_refused(env):
    case_id = env.in_triage()
    env.answer(case_id, POLICE)  # Lumens has not answered; the deadline is an hour away
    err = refused(route, env, case_id, pb.ROUTING_REGULAR_CARE, reason_code="regular")
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: triage_open" in err.details()


def test_routing_before_triage_is_refused(env):
    case_id = env.qualified()
    err = refused(route, env, case_id, pb.ROUTING_REGULAR_CARE)
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: qualified" in err.details()


def test_answers_after_the_deadline_are_refused_and_the_round_is_closed(env):
    case_id = env.in_triage(seconds=1.5)
    env.answer(case_id, POLICE)
    time.sleep(1.6)
    err = refused(env.answer, case_id, LUMENS)
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: triage_deadline_passed" in err.details()
    q = env.stub.GetTriageQuestion(
        pb.GetTriageQuestionRequest(case_id=case_id), metadata=env.md(LUMENS)
    )
    assert q.closed and not q.answered
    reply = route(env, case_id, pb.ROUTING_REGULAR_CARE, reason_code="regular_care_fits")
    assert reply.routing == pb.ROUTING_REGULAR_CARE


def test_case_meeting_routing_publishes_triaged_with_the_invitees(env):
    case_id = env.in_triage()
    assert env.answer(case_id, POLICE, themes=("safety",)).round_closed is False
    assert env.answer(case_id, LUMENS, pb.TRIAGE_ANSWER_KIND_NOT_KNOWN, ()).round_closed is True
    plan = meeting([pb.Invitee(party=POLICE), pb.Invitee(party=ASTEN, lawful_themes=["safety"])])
    reply = route(env, case_id, plan=plan)
    assert list(reply.invitees) == [POLICE, ASTEN]
    [triaged] = env.events(case_id, ev.CASE_TRIAGED)
    assert triaged["routing"] == "case_meeting"
    assert triaged["invitees"] == [POLICE, ASTEN]
    assert triaged["goal_code"] == "safe_housing"
    assert triaged["process_director_party"] == HELMOND
    assert triaged["nominating_party"] == ASTEN
    nom = get(env, case_id, env.director()).nomination
    assert nom.status == pb.NOMINATION_STATUS_ROUTED
    assert nom.meeting.goal == "veilig wonen binnen drie maanden"
    # Routing is decided once.
    err = refused(route, env, case_id, pb.ROUTING_REGULAR_CARE)
    assert "state: routed" in err.details()


def test_invitee_without_a_legal_basis_is_refused_by_the_invite_policy(env):
    case_id = env.in_triage()
    env.answer(case_id, POLICE, themes=("housing",))
    env.answer(case_id, LUMENS, themes=("safety",))
    err = refused(
        route, env, case_id, plan=meeting([pb.Invitee(party=POLICE), pb.Invitee(party=LUMENS)])
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "no legal basis" in err.details() and "art. 12.2e" in err.details()
    # Nothing was routed; with lawful invitees it is.
    assert get(env, case_id, env.director()).nomination.status == pb.NOMINATION_STATUS_TRIAGE
    route(env, case_id, plan=meeting([pb.Invitee(party=LUMENS)]))


def test_party_that_is_not_relevant_or_not_active_is_not_invited(env):
    case_id = env.in_triage()
    env.answer(case_id, POLICE)
    env.answer(case_id, LUMENS)
    err = refused(
        route, env, case_id, plan=meeting([pb.Invitee(party=EXCLUDED, lawful_themes=["safety"])])
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "art. 23.2" in err.details()
    err = refused(
        route,
        env,
        case_id,
        plan=meeting([pb.Invitee(party="00000099999999999999", lawful_themes=["safety"])]),
    )
    assert "art. 9.2" in err.details()


def test_escalation_to_a_zvh_is_possible_at_any_time(env):
    case_id = env.nominate().case_id  # not even assessed yet (Bijlage 2: "ten alle tijden")
    reply = route(env, case_id, pb.ROUTING_ZVH_BRABANT_NOORDOOST, reason_code="breakthrough")
    assert reply.routing == pb.ROUTING_ZVH_BRABANT_NOORDOOST
    [triaged] = env.events(case_id, ev.CASE_TRIAGED)
    assert triaged["routing"] == "zvh_brabant_noordoost"
    assert triaged["invitees"] == []
    case_id = env.in_triage()
    assert (
        route(env, case_id, pb.ROUTING_ZVH_BRABANT_ZUIDOOST).routing
        == pb.ROUTING_ZVH_BRABANT_ZUIDOOST
    )


def test_case_meeting_needs_a_meeting_plan(env):
    case_id = env.in_triage()
    env.answer(case_id, POLICE)
    env.answer(case_id, LUMENS)
    err = refused(route, env, case_id, pb.ROUTING_CASE_MEETING)
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["meeting"]


# -- withdrawal -------------------------------------------------------------------------------
def test_nominating_party_withdraws_its_nomination(env):
    case_id = env.qualified()
    err = refused(
        env.stub.WithdrawNomination,
        pb.WithdrawNominationRequest(request_id=rid(), case_id=case_id),
        metadata=env.director(),
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    reply = env.stub.WithdrawNomination(
        pb.WithdrawNominationRequest(
            request_id=rid(), case_id=case_id, reason_code="subject_moved"
        ),
        metadata=env.nominator(case_id),
    )
    assert reply.status == pb.NOMINATION_STATUS_WITHDRAWN
    [withdrawn] = env.events(case_id, ev.NOMINATION_WITHDRAWN)
    assert withdrawn["reason_code"] == "subject_moved"
    err = refused(env.start_triage, case_id)
    assert "state: withdrawn" in err.details()


def test_withdrawal_after_routing_is_refused(env):
    case_id = env.nominate().case_id
    route(env, case_id, pb.ROUTING_ZVH_BRABANT_ZUIDOOST)
    err = refused(
        env.stub.WithdrawNomination,
        pb.WithdrawNominationRequest(request_id=rid(), case_id=case_id),
        metadata=env.nominator(case_id),
    )
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "state: routed" in err.details()


def test_withdrawn_nomination_passes_the_case_to_the_linked_one(env):
    subject = unique_subject()
    first = env.nominate(ASTEN, subject=subject).case_id
    second = env.nominate(GGZ, subject=subject).case_id
    env.stub.WithdrawNomination(
        pb.WithdrawNominationRequest(request_id=rid(), case_id=first),
        metadata=env.nominator(first),
    )
    nom = get(env, second, env.director()).nomination
    assert nom.status == pb.NOMINATION_STATUS_NOMINATED and nom.linked_to_case_id == ""
    third = env.nominate(FARENT, subject=subject)
    assert env.linked_to(third.case_id) == second


# -- bad fields -------------------------------------------------------------------------------
def _with(**changes):
    req = nominate_request()
    for path, value in changes.items():
        target = req
        *parents, leaf = path.split("__")
        for p in parents:
            target = getattr(target, p)
        if isinstance(value, list):
            del getattr(target, leaf)[:]
            getattr(target, leaf).extend(value)
        else:
            setattr(target, leaf, value)
    return req


BAD_NOMINATIONS = {
    "request_id": _with(request_id="x"),
    "subject": _with(subject__family_name="", subject__given_names="Anna"),
    "subject.family_name": _with(subject__family_name="x" * 201),
    "subject.given_names": _with(subject__given_names="a\x00b"),
    "subject.date_of_birth": _with(subject__date_of_birth="31-12-2001"),
    "subject.bsn": _with(subject__bsn="123456789"),
    "subject.v_number": _with(subject__v_number="12ab"),
    "age_band": _with(age_band=pb.AGE_BAND_UNDER_12),  # contradicts a 24-year-old's birth date
    "problems[0].domain": _with(problems=[pb.LifeDomainProblem(domain=99)]),
    "problems[0].description": _with(
        problems=[pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_HOUSING, description="x" * 2001)]
    ),
    "problems": _with(problems=[pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_HOUSING)] * 21),
    "chains_involved": _with(chains_involved=[pb.CHAIN_CARE, pb.CHAIN_CARE]),
    "safety.description": _with(safety__description="x" * 2001),
    "consent_status": _with(consent_status=pb.CONSENT_STATUS_UNSPECIFIED),
    "usage_terms.purposes": _with(usage_terms__purposes=[]),
    "usage_terms.recipient_parties[0]": _with(usage_terms__recipient_parties=["police"]),
}


@pytest.mark.parametrize("field", list(BAD_NOMINATIONS))
def test_bad_nomination_field_is_invalid_argument_naming_it(env, field):
    err = refused(env.stub.Nominate, BAD_NOMINATIONS[field], metadata=env.md(ASTEN))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == [field]


def test_missing_usage_terms_is_invalid_argument(env):
    req = nominate_request()
    req.ClearField("usage_terms")
    err = refused(env.stub.Nominate, req, metadata=env.md(ASTEN))
    assert bad_fields(err) == ["usage_terms"]


def test_bad_triage_and_routing_fields_are_invalid_argument_naming_them(env):
    case_id = env.qualified()
    base = dict(
        request_id=rid(),
        case_id=case_id,
        asked_parties=[POLICE],
        themes=["safety"],
        question="bekend?",
    )
    past = pb.StartTriageRequest(**base)
    past.deadline.FromDatetime(datetime.now(timezone.utc) - timedelta(minutes=1))
    far = pb.StartTriageRequest(**base)
    far.deadline.FromDatetime(datetime.now(timezone.utc) + timedelta(days=365))
    cases = {
        "deadline": past,
        "case_id": pb.StartTriageRequest(**{**base, "case_id": "../../etc"}),
        "asked_parties": pb.StartTriageRequest(**{**base, "asked_parties": []}),
        "asked_parties[0]": pb.StartTriageRequest(**{**base, "asked_parties": ["1"]}),
        "themes[0]": pb.StartTriageRequest(**{**base, "themes": ["Not A Code"]}),
        "themes": pb.StartTriageRequest(**{**base, "themes": [f"t{i}" for i in range(21)]}),
        "question": pb.StartTriageRequest(**{**base, "question": "x" * 2001}),
    }
    for field, req in cases.items():
        if field != "deadline" and not req.HasField("deadline"):
            req.deadline.FromDatetime(datetime.now(timezone.utc) + timedelta(days=1))
        err = refused(env.stub.StartTriage, req, metadata=env.director())
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, field
        assert bad_fields(err) == [field], field
    err = refused(env.stub.StartTriage, far, metadata=env.director())
    assert bad_fields(err) == ["deadline"]
    err = refused(
        env.stub.DecideRouting,
        pb.DecideRoutingRequest(request_id=rid(), case_id=case_id),
        metadata=env.director(),
    )
    assert bad_fields(err) == ["routing"]
    err = refused(
        env.stub.DecideRouting,
        pb.DecideRoutingRequest(
            request_id=rid(),
            case_id=case_id,
            routing=pb.ROUTING_CASE_MEETING,
            meeting=meeting([pb.Invitee(party=POLICE)], themes=[]),
        ),
        metadata=env.director(),
    )
    assert bad_fields(err) == ["meeting.themes"]
    err = refused(
        env.stub.AnswerTriage,
        pb.AnswerTriageRequest(request_id=rid(), case_id=case_id),
        metadata=env.md(POLICE),
    )
    assert bad_fields(err) == ["answer"]


def test_unknown_case_is_told_as_one_the_caller_has_no_part_in(env):
    """An id is no oracle (8.4c): an unknown one is answered as a nomination of others."""
    err = refused(get, env, "0" * 32, env.director())
    assert denial_reasons(err) == list(NotShared("nomination", "case_id").reasons)
    other = refused(get, env, env.nominate().case_id, env.md(FARENT))
    assert (other.code(), other.details()) == (err.code(), err.details())


# -- purge (CASE_PURGED from casework) ------------------------------------------------------
def test_case_purged_in_casework_erases_the_nomination_and_its_key(env):
    subject = unique_subject()
    case_id = env.in_triage(subject=subject)
    env.answer(case_id, POLICE)
    linked = env.nominate(GGZ, subject=subject).case_id
    assert env.count("case_keys", case_id=case_id) == 1
    # The purge removes sent outbox rows; one not yet sent stays until it is (other services
    # still have to learn the fact: kernel/purge.py). Wait for that fact rather than hoping
    # the relay was quicker than the purge on a busy machine.
    wait_for(
        lambda: all(
            r["sent_at"] is not None
            for r in env.rows("outbox")
            if r["case_id"] in (case_id, linked)
        )
    )
    env.pub.publish("casework", ev.CASE_PURGED, case_id, {"case_id": case_id})
    wait_for(lambda: env.count("nominations", case_id=case_id) == 0)
    for table in (
        "case_keys",
        "triage_answers",
        "triage_rounds",
        "match_tokens",
        "outbox",
        "command_results",
    ):
        assert env.count(table, case_id=case_id) == 0, table
        if table != "outbox":
            assert env.count(table, case_id=linked) == 0, table
    # The linked nomination went with it; disclosure, which knows it from its own nomination
    # fact, learns it went (ids only), as of any nomination intake forgot.
    assert [e["_type"] for e in env.events(linked)] == [ev.NOMINATION_FORGOTTEN]
    assert env.count("nominations", case_id=linked) == 0
    assert denial_reasons(refused(get, env, case_id, env.director())) == list(
        NotShared("nomination", "case_id").reasons
    )
    # The subject can be nominated afresh: no open nomination is left to link to.
    assert env.linked_to(env.nominate(subject=subject).case_id) == ""


def test_case_closed_in_casework_ends_the_open_nomination(env):
    subject = unique_subject()
    case_id = env.in_triage(subject=subject)
    env.answer(case_id, POLICE)
    env.answer(case_id, LUMENS)
    route(env, case_id, plan=meeting([pb.Invitee(party=POLICE)]))
    # While the case is open a new nomination of the subject is linked to it ...
    assert env.linked_to(env.nominate(GGZ, subject=subject).case_id) == case_id
    env.pub.publish(
        "casework", ev.CASE_CLOSED, case_id, {"case_id": case_id, "outcome": "successful"}
    )
    wait_for(
        lambda: get(env, case_id, env.director()).nomination.status == pb.NOMINATION_STATUS_CLOSED
    )
    # ... once it is closed, a new nomination starts afresh.
    assert env.linked_to(env.nominate(subject=subject).case_id) == ""


@pytest.mark.parametrize(
    "routing,reason",
    [(pb.ROUTING_REGULAR_CARE, "rejection"), (pb.ROUTING_ZVH_BRABANT_ZUIDOOST, "escalation")],
)
def test_subject_is_free_again_once_intake_hands_the_case_elsewhere(env, routing, reason):
    subject = unique_subject()
    case_id = env.in_triage(subject=subject, seconds=3600)
    env.answer(case_id, POLICE)
    env.answer(case_id, LUMENS)
    route(env, case_id, routing)
    assert env.linked_to(env.nominate(subject=subject).case_id) == ""


def test_rejected_subject_is_nominated_afresh(env):
    subject = unique_subject()
    case_id = env.nominate(subject=subject).case_id
    env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=False,
            rejection_reason=pb.REJECTION_REASON_OTHER,
            reasons="nee",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    assert env.linked_to(env.nominate(subject=subject).case_id) == ""


def test_simultaneous_nominations_of_a_new_subject_make_one_case_and_links(env):
    from concurrent.futures import ThreadPoolExecutor

    subject = unique_subject(bsn=unique_bsn())
    parties = [ASTEN, GGZ, FARENT, POLICE, LUMENS, HELMOND]
    with ThreadPoolExecutor(len(parties)) as pool:
        replies = list(pool.map(lambda p: env.nominate(p, subject=subject), parties))
    links = {r.case_id: env.linked_to(r.case_id) for r in replies}
    primaries = [c for c, linked in links.items() if linked == ""]
    assert len(primaries) == 1
    assert {linked for linked in links.values() if linked} == {primaries[0]}
    assert {env.pseudonym(c) for c in links} == {env.pseudonym(primaries[0])}


# -- no personal data outside the service ------------------------------------------------------
def _published_on_the_broker(bootstrap: str) -> bytes:
    """Every record on the intake topic, headers and values, as the broker holds them."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(
        ev.TOPIC["intake"],
        bootstrap_servers=bootstrap.split(","),
        group_id=None,
        auto_offset_reset="earliest",
        consumer_timeout_ms=3000,
    )
    try:
        parts = []
        for record in consumer:
            parts.append(record.value or b"")
            parts.extend(v for _, v in (record.headers or []))
        return b"\n".join(parts)
    finally:
        consumer.close()


def test_no_personal_data_in_logs_or_events(env):
    subject = unique_subject(bsn=unique_bsn(), v_number=f"{next(_v):010d}")
    texts = [
        "dakloos",
        "uitbuiting",
        "wij kennen haar",
        "Is deze persoon bij u bekend?",
        "veilig wonen binnen drie maanden",
        "besproken door",
        "123456789",
    ]
    # The whole life cycle, a duplicate, reads and refusals that echo fields back.
    case_id = env.nominate(subject=subject).case_id
    env.nominate(GGZ, subject=subject)
    env.stub.Assess(
        pb.AssessRequest(
            request_id=rid(),
            case_id=case_id,
            qualifies=True,
            reasons="besproken door",
            nominating_party_consulted=True,
            criteria=judged(),
        ),
        metadata=env.director(),
    )
    env.start_triage(case_id)
    env.stub.GetTriageQuestion(
        pb.GetTriageQuestionRequest(case_id=case_id), metadata=env.md(POLICE)
    )
    env.answer(case_id, POLICE)
    env.answer(case_id, LUMENS)
    route(env, case_id, plan=meeting([pb.Invitee(party=POLICE)]))
    get(env, case_id, env.director())
    refused(get, env, case_id, env.md(FARENT))
    bad = nominate_request(
        subject=pb.SubjectIdentity(family_name=subject.family_name, bsn="123456789")
    )
    refused(env.stub.Nominate, bad, metadata=env.md(ASTEN))
    wait_for(lambda: all(r["sent_at"] for r in env.rows("outbox", case_id=case_id)))

    # Every subject nominated in this module so far (this test's and the earlier tests').
    secrets = list(texts)
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
    logs = env.logs.text()
    assert '"event": "case_nominated"' in logs and case_id in logs  # the capture works
    outbox = repr(env.rows("outbox")).encode("utf-8")
    stored = repr(env.rows("command_results")).encode("utf-8")
    wire = _published_on_the_broker(env.broker.bootstrap)
    assert case_id.encode() in wire  # the broker scan sees intake's events
    for secret in secrets:
        # Raw, and as JSON writes it (logs and event data escape non-ASCII: "\u015b").
        forms = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
        for form in forms:
            assert form not in logs, secret
            for where, blob in (("outbox", outbox), ("command_results", stored), ("broker", wire)):
                assert form.encode("utf-8") not in blob, (where, secret)


def _scrape(env) -> dict[tuple[str, tuple], float]:
    """The service's /metrics as Prometheus reads it: (sample name, labels) -> value."""
    url = f"http://127.0.0.1:{env.app.ops.port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as reply:
        body = reply.read().decode()
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(body)
        for s in family.samples
    }


def test_policy_decisions_and_remembered_authz_answers_are_counted_on_the_metrics_endpoint(env):
    authz = (("policy", "zorgtafel.authz"),)
    allowed = ("zorgtafel_policy_decisions_total", (*authz, ("result", "allow")))
    denied = ("zorgtafel_policy_decisions_total", (*authz, ("result", "deny")))
    hits = ("zorgtafel_policy_decision_cache_hits_total", authz)
    before = _scrape(env)
    # The same person nominating twice: the second authz question is the first one again.
    env.nominate(person="metrics-worker")
    env.nominate(person="metrics-worker")
    refused(env.nominate, EXCLUDED)  # an excluded party: authz refuses
    after = _scrape(env)
    assert after[allowed] - before.get(allowed, 0) >= 2
    assert after[denied] - before.get(denied, 0) >= 1
    assert after[hits] - before.get(hits, 0) >= 1
    assert after[("zorgtafel_policy_decision_cache_answers", authz)] >= 1
