"""Issue 13 in intake, over real gRPC on SQLite and PostgreSQL: the process director is one by
the roster and directs only the nominations it took up (12.3); the judged criteria decide
(art. 1.4, Bijlage 2); a refused consent shares nothing beyond the nominating party and its
process director until a safety override is recorded (Bijlage 3); of the nominating party only
the person who nominated reads and withdraws the nomination, and a caller without a part learns
not even its state (Bijlage 3, 8.4c); a nominator learns nothing of a known person, and
repeated nominations of known persons are refused and flagged to the managers (point 7;
Bijlage 3, GDPR art. 32); the nominator sees no other party's triage answer (1.15, 16.2); the
nominating party's usage terms bound who reads and is asked, and until when (16.2)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from tests.integration.intake.conftest import (
    ASTEN,
    GGZ,
    HELMOND,
    LUMENS,
    POLICE,
    assess_request,
    judged,
    nominate_request,
    unique_subject,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import bad_fields, denial_reasons, precondition, rid, wait_for

pytestmark = pytest.mark.integration


def refused(call, *args, **kw) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        call(*args, **kw)
    return err.value


def get(env, case_id, md):
    return env.stub.GetNomination(pb.GetNominationRequest(case_id=case_id), metadata=md)


def override_request(case_id: str) -> pb.RecordSafetyOverrideRequest:
    return pb.RecordSafetyOverrideRequest(
        request_id=rid(),
        case_id=case_id,
        reason="acuut gevaar voor de zus",
        consulted_colleague="collega-7",
        client_informed=False,
        client_information="nog niet: zij is op de vlucht",
    )


# -- 12.3: the process director by relationship -------------------------------------------------
def test_a_process_director_of_another_nomination_is_refused_citing_12_3(env):
    case_id = env.nominate().case_id
    # In the intake queue any designated process director reads it ...
    get(env, case_id, env.other_director())
    env.assess(case_id)  # ... the first to assess takes it up
    other = env.other_director()
    for call in (
        lambda: get(env, case_id, other),
        lambda: env.stub.StartTriage(
            pb.StartTriageRequest(
                request_id=rid(),
                case_id=case_id,
                asked_parties=[POLICE],
                themes=["safety"],
                question="bekend?",
                deadline={"seconds": 4_000_000_000},
            ),
            metadata=other,
        ),
        lambda: env.stub.DecideRouting(
            pb.DecideRoutingRequest(
                request_id=rid(), case_id=case_id, routing=pb.ROUTING_ZVH_BRABANT_ZUIDOOST
            ),
            metadata=other,
        ),
    ):
        reasons = denial_reasons(refused(call))
        assert any("another nomination or case" in r and "art. 12.3" in r for r in reasons)
    nom = get(env, case_id, env.director()).nomination
    assert (nom.process_director_party, nom.process_director_person) == (
        HELMOND,
        "zorgcoordinator-1",
    )


def test_a_token_role_alone_makes_no_process_director(env):
    case_id = env.nominate().case_id
    claimed = env.md(GGZ, "process_director", "not-designated-1")
    for call in (
        lambda: get(env, case_id, claimed),
        lambda: env.stub.Assess(assess_request(case_id), metadata=claimed),
    ):
        # GGZ has no part in it: told what an unknown id is told (8.4c; the access log keeps
        # the policy's "a token role alone grants nothing").
        reasons = denial_reasons(refused(call))
        assert reasons == list(NotShared("nomination", "case_id").reasons)


def test_case_triaged_names_the_process_director_person(env):
    case_id = env.nominate().case_id
    env.stub.DecideRouting(
        pb.DecideRoutingRequest(
            request_id=rid(), case_id=case_id, routing=pb.ROUTING_ZVH_BRABANT_NOORDOOST
        ),
        metadata=env.director(),
    )
    [triaged] = env.events(case_id, ev.CASE_TRIAGED)
    assert triaged["process_director_party"] == HELMOND
    assert triaged["process_director_person"] == "zorgcoordinator-1"


# -- Bijlage 3: of the nominating party, only the person who nominated -----------------------------
def withdraw_request(case_id: str) -> pb.WithdrawNominationRequest:
    return pb.WithdrawNominationRequest(request_id=rid(), case_id=case_id, reason_code="moved")


def test_a_colleague_of_the_nominating_person_reads_and_withdraws_nothing(env):
    case_id = env.nominate(ASTEN).case_id
    colleague = env.colleague(case_id)
    reasons = denial_reasons(refused(get, env, case_id, colleague))
    assert any("colleagues without a part" in r and "Bijlage 3" in r for r in reasons)
    err = refused(env.stub.WithdrawNomination, withdraw_request(case_id), metadata=colleague)
    reasons = denial_reasons(err)
    assert any("art. 16.1" in r and "Bijlage 3" in r for r in reasons)
    # Nothing changed: the nomination stands, and the person who nominated withdraws it.
    assert [r["status"] for r in env.rows("nominations", case_id=case_id)] == ["nominated"]
    assert env.events(case_id, ev.NOMINATION_WITHDRAWN) == []
    assert get(env, case_id, env.nominator(case_id)).nomination.nominating_party == ASTEN
    reply = env.stub.WithdrawNomination(withdraw_request(case_id), metadata=env.nominator(case_id))
    assert reply.status == pb.NOMINATION_STATUS_WITHDRAWN


def test_a_caller_without_a_part_learns_no_state_of_a_nomination(env):
    case_id = env.qualified()  # taken up by its process director
    env.stub.WithdrawNomination(withdraw_request(case_id), metadata=env.nominator(case_id))
    # Its own process director is told the state ...
    assert "state: withdrawn" in refused(env.start_triage, case_id).details()
    # ... a colleague of the nominator with a process director's token, another designated
    # process director and another party's are refused before any state is named.
    party, person = env.nominators[case_id]
    for md in (
        env.md(party, "process_director", f"colleague-of-{person}"),
        env.other_director(),
        env.md(GGZ, "process_director", "not-designated-1"),
    ):
        for call, req in (
            (env.stub.Assess, assess_request(case_id)),
            (
                env.stub.StartTriage,
                pb.StartTriageRequest(
                    request_id=rid(),
                    case_id=case_id,
                    asked_parties=[POLICE],
                    themes=["safety"],
                    question="bekend?",
                    deadline={"seconds": 4_000_000_000},
                ),
            ),
            (
                env.stub.DecideRouting,
                pb.DecideRoutingRequest(
                    request_id=rid(), case_id=case_id, routing=pb.ROUTING_ZVH_BRABANT_ZUIDOOST
                ),
            ),
        ):
            err = refused(call, req, metadata=md)
            assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err.details()
            assert "withdrawn" not in err.details()
            assert denial_reasons(err)


# -- Bijlage 3, GDPR art. 7(3): a consent withdrawn in disclosure ----------------------------------
def test_a_consent_withdrawn_in_disclosure_ends_the_asked_parties_part_over_the_broker(env):
    """Disclosure's SUBJECT_CONSENT_CHANGED reaches intake through the broker: the party asked
    in triage, which read the question, is refused it after the withdrawal and reads it again
    after a new consent."""
    case_id = env.in_triage(asked=(POLICE,))
    question = pb.GetTriageQuestionRequest(case_id=case_id)
    env.stub.GetTriageQuestion(question, metadata=env.md(POLICE))

    def consent(status: str) -> None:
        env.pub.publish(
            "disclosure",
            ev.SUBJECT_CONSENT_CHANGED,
            case_id,
            {
                "case_id": case_id,
                "consent_id": f"cns-{rid()}",
                "status": status,
                "changed_at": datetime.now(timezone.utc).isoformat(),
            },
        )

    def readable() -> bool:
        try:
            env.stub.GetTriageQuestion(question, metadata=env.md(POLICE))
            return True
        except grpc.RpcError as err:
            assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err.details()
            assert any("withdrew its consent" in r for r in denial_reasons(err))
            return False

    stated = get(env, case_id, env.director()).nomination
    assert stated.consent_now == stated.consent_status  # none recorded in disclosure yet
    consent("withdrawn")
    wait_for(lambda: not readable(), timeout=60)
    # Whoever reads the nomination sees the consent as it stands, beside the statement made at
    # nomination: the process director must not share on a consent that was withdrawn.
    now = get(env, case_id, env.director()).nomination
    assert now.consent_now == pb.CONSENT_STATUS_WITHDRAWN
    assert now.consent_status == stated.consent_status
    consent("given")
    wait_for(readable, timeout=60)
    assert get(env, case_id, env.director()).nomination.consent_now == pb.CONSENT_STATUS_GIVEN


def test_a_nomination_cannot_state_a_withdrawn_consent(env):
    """WITHDRAWN is disclosure's record of the subject's act (GDPR art. 7(3)), never a
    nominating party's statement."""
    req = nominate_request(consent_status=pb.CONSENT_STATUS_WITHDRAWN)
    err = refused(env.stub.Nominate, req, metadata=env.md(ASTEN))
    assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err) == ["consent_status"]


# -- art. 1.4, Bijlage 2: the judged criteria decide ------------------------------------------------
def test_qualifying_against_the_judged_criteria_is_refused_citing_art_1_4(env):
    case_id = env.nominate().case_id  # the stated facts advise "qualifies"
    none_hold = judged(a=False, b=False, c=False, d=False)
    err = refused(env.assess, case_id, criteria=none_hold)
    assert precondition(err).subject == "criteria"
    assert "state: criteria_not_met" in err.details()
    assert "art. 1.4" in err.details() and "Bijlage 2" in err.details()
    # Nothing changed: it can still be rejected.
    reply = env.assess(
        case_id,
        criteria=none_hold,
        qualifies=False,
        rejection_reason=pb.REJECTION_REASON_CRITERIA_NOT_MET,
    )
    assert reply.status == pb.NOMINATION_STATUS_REJECTED


def test_every_criterion_must_be_judged_with_grounds(env):
    case_id = env.nominate().case_id
    without_c = judged()
    without_c.ClearField("c")
    assert bad_fields(refused(env.assess, case_id, criteria=without_c)) == ["criteria.c"]
    no_grounds = judged()
    no_grounds.d.grounds = ""
    assert bad_fields(refused(env.assess, case_id, criteria=no_grounds)) == ["criteria.d.grounds"]
    req = assess_request(case_id)
    req.ClearField("criteria")
    err = refused(env.stub.Assess, req, metadata=env.director())
    assert bad_fields(err) == ["criteria"]


# -- Bijlage 3: consent refused ------------------------------------------------------------------
def test_refused_consent_shares_nothing_until_a_safety_override_is_recorded(env):
    req = nominate_request(consent_status=pb.CONSENT_STATUS_REFUSED)
    case_id = env.stub.Nominate(req, metadata=env.md(ASTEN)).case_id
    env.assess(case_id)
    reasons = denial_reasons(refused(env.start_triage, case_id))
    assert any("refused consent" in r and "Bijlage 3" in r for r in reasons)
    # Only the nomination's process director records the override.
    err = refused(
        env.stub.RecordSafetyOverride, override_request(case_id), metadata=env.other_director()
    )
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    reply = env.stub.RecordSafetyOverride(override_request(case_id), metadata=env.director())
    assert reply.case_id == case_id and reply.recorded_at.seconds > 0
    [recorded] = env.events(case_id, ev.SAFETY_OVERRIDE_RECORDED)
    assert recorded["client_informed"] is False and "vlucht" not in str(recorded)
    env.start_triage(case_id, (POLICE,))
    mine = get(env, case_id, env.md(ASTEN)).nomination
    assert mine.safety_override.consulted_colleague == "collega-7"
    assert mine.safety_override.client_information == "nog niet: zij is op de vlucht"
    # Recorded once.
    again = refused(
        env.stub.RecordSafetyOverride, override_request(case_id), metadata=env.director()
    )
    assert precondition(again).subject == "nomination.safety_override"


def test_escalation_to_a_zvh_stays_possible_without_consent(env):
    req = nominate_request(consent_status=pb.CONSENT_STATUS_REFUSED)
    case_id = env.stub.Nominate(req, metadata=env.md(ASTEN)).case_id
    reply = env.stub.DecideRouting(
        pb.DecideRoutingRequest(
            request_id=rid(), case_id=case_id, routing=pb.ROUTING_ZVH_BRABANT_ZUIDOOST
        ),
        metadata=env.director(),
    )
    assert reply.routing == pb.ROUTING_ZVH_BRABANT_ZUIDOOST


# -- 16.2: the nominating party's usage terms decide -----------------------------------------------
def nominate_with_terms(env, **terms) -> str:
    """A nomination by ASTEN with these usage terms (``expires_at`` in the future: a past one
    is refused, INVALID_ARGUMENT)."""
    person = f"worker-{rid()[-8:]}"
    req = nominate_request()
    req.usage_terms.CopyFrom(common_pb2.UsageTerms(purposes=["care_coordination"], **terms))
    case_id = env.stub.Nominate(req, metadata=env.md(ASTEN, person=person)).case_id
    env.nominators[case_id] = (ASTEN, person)
    return case_id


def test_after_the_terms_expired_only_the_nominator_reads_or_withdraws(env):
    past = Timestamp()
    past.FromDatetime(datetime.now(timezone.utc) - timedelta(hours=1))
    with pytest.raises(grpc.RpcError) as made_expired:
        nominate_with_terms(env, expires_at=past)
    assert bad_fields(made_expired.value) == ["usage_terms.expires_at"]
    expiring = Timestamp()
    expiring.FromDatetime(datetime.now(timezone.utc) + timedelta(seconds=2))
    case_id = nominate_with_terms(env, expires_at=expiring)

    def director_refused() -> grpc.RpcError | None:
        try:
            get(env, case_id, env.director())  # the intake queue until the terms expire
            return None
        except grpc.RpcError as err:
            return err

    err = wait_for(director_refused, timeout=10)
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, err.details()
    # Shared with it no more (16.2): told what an unknown id is told (8.4c); the access log
    # keeps the policy's reason (the terms' "only until").
    reasons = denial_reasons(err)
    assert reasons == list(NotShared("nomination", "case_id").reasons), reasons
    assert "Zofia" not in err.details() + str(reasons)  # no personal data in the refusal
    mine = get(env, case_id, env.nominator(case_id)).nomination
    assert mine.subject.family_name  # the provider reads what it provided
    env.stub.WithdrawNomination(
        pb.WithdrawNominationRequest(request_id=rid(), case_id=case_id),
        metadata=env.nominator(case_id),
    )


def test_a_process_director_of_a_party_the_terms_do_not_name_reads_nothing(env):
    env.appoint(LUMENS, "pd-lumens")  # designated by the managers (12.1), at Lumens
    case_id = nominate_with_terms(env, recipient_parties=[HELMOND, POLICE])
    lumens_director = env.md(LUMENS, "process_director", "pd-lumens")
    # Not shared with Lumens (16.2): told what an unknown id is told (8.4c).
    reasons = denial_reasons(refused(get, env, case_id, lumens_director))
    assert reasons == list(NotShared("nomination", "case_id").reasons), reasons
    assert get(env, case_id, env.director()).nomination.subject.family_name  # Helmond: named
    env.assess(case_id)
    # Asked parties learn the pseudonym, the themes and the question: only the named ones.
    reasons = denial_reasons(refused(env.start_triage, case_id, (POLICE, LUMENS)))
    assert any(f"party {LUMENS} is not asked in its triage round" in r for r in reasons), reasons
    env.start_triage(case_id, (POLICE,))


# -- point 7: no oracle, rate-limited, flagged ----------------------------------------------------
def test_a_nominator_learns_nothing_of_a_known_person(env):
    subject = unique_subject()
    first = env.nominate(ASTEN, subject=subject)
    unknown = env.nominate(GGZ)
    known = env.nominate(GGZ, subject=subject)
    for reply in (unknown, known):
        assert reply.status == pb.NOMINATION_STATUS_RECEIVED
        assert reply.subject_pseudonym == "" and reply.linked_to_case_id == ""
        assert first.case_id not in str(reply)
        mine = get(env, reply.case_id, env.nominator(reply.case_id)).nomination
        assert mine.status == pb.NOMINATION_STATUS_RECEIVED
        assert (mine.subject_pseudonym, mine.linked_to_case_id, list(mine.linked_case_ids)) == (
            "",
            "",
            [],
        )
    # The first nominator does not learn of the second either; the process director does.
    assert (
        list(get(env, first.case_id, env.nominator(first.case_id)).nomination.linked_case_ids) == []
    )
    assert list(get(env, first.case_id, env.director()).nomination.linked_case_ids) == [
        known.case_id
    ]


# -- 1.15, 16.2: an asked party's triage answer is its own, for the process director ----------
def test_the_nominator_sees_its_own_partys_triage_answer_and_no_other(env):
    case_id = env.in_triage(asked=(POLICE, ASTEN))  # ASTEN nominated and is asked too
    env.answer(case_id, POLICE)  # "wij kennen haar", INVOLVED: POLICE's own information
    env.answer(case_id, ASTEN)
    mine = get(env, case_id, env.nominator(case_id)).nomination
    assert list(mine.asked_parties) == [ASTEN]
    assert [(a.party, a.contribution) for a in mine.triage_answers] == [(ASTEN, "wij kennen haar")]
    assert mine.HasField("triage_deadline")
    assert POLICE not in str(mine)
    # The process director routes on every answer.
    theirs = get(env, case_id, env.director()).nomination
    assert set(theirs.asked_parties) == {POLICE, ASTEN}
    assert {a.party for a in theirs.triage_answers} == {POLICE, ASTEN}


def test_repeated_nominations_of_known_persons_are_refused_and_flagged(env):
    subject = unique_subject()
    env.nominate(ASTEN, subject=subject)
    prober = f"prober-{rid()[-8:]}"
    for _ in range(3):  # ZORGTAFEL_INTAKE_PROBE_LIMIT, default 3 per day
        assert env.nominate(POLICE, prober, subject=subject).status == (
            pb.NOMINATION_STATUS_RECEIVED
        )
    # Beyond the limit any nomination by this person is refused, known person or not.
    reasons = denial_reasons(refused(env.nominate, POLICE, prober))
    assert any("rate-limited to prevent identification" in r for r in reasons)
    assert any("GDPR art. 32" in r for r in reasons)
    flagged = [r for r in env.rows("outbox", type=ev.PROBING_FLAGGED) if prober in r["data"]]
    [flag] = flagged
    assert subject.family_name not in flag["data"]
    listed = env.stub.ListProbingFlags(pb.ListProbingFlagsRequest(), metadata=env.manager())
    mine = [f for f in listed.flags if f.nominated_by == prober]
    assert [(f.nominating_party, f.matches, f.window_s) for f in mine] == [(POLICE, 3, 86400)]
    # Only a manager seated on the roster reads them.
    err = refused(
        env.stub.ListProbingFlags,
        pb.ListProbingFlagsRequest(),
        metadata=env.md(GGZ, "manager", "not-seated-1"),
    )
    assert any("art. 11" in r for r in denial_reasons(err))
