"""Intake's domain rules without I/O: identity normalisation and validation, age bands (the
consent rules of Bijlage 3 need them), the nomination's state machine (1.1, 12.2a, 1.15,
Bijlage 2) and the facts handed to the policies (checked against their JSON Schemas)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from services.intake.adapters import policy_facts
from services.intake.domain.assessment import Judged, JudgedCriteria, SafetyOverride
from services.intake.domain.model import Advice, MeetingPlan, Nomination, Problem, Safety
from services.intake.domain.subject import (
    SubjectIdentity,
    age_band_for,
    bsn_valid,
    match_keys,
    normalise_name,
    parse_identity,
    resolve_age_band,
)
from services.intake.domain.triage import TriageRound
from services.intake.domain.vocabulary import (
    AgeBand,
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Routing,
    Status,
    TriageAnswerKind,
)
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.roster import NoRoster
from zorgtafel.kernel.validate import check_codes, check_oins, check_text
from zorgtafel.policy.schemas import validate_input

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=timezone.utc)
TODAY = NOW.date()
ASTEN, POLICE, LUMENS, HELMOND = (
    "00000099000000000001",
    "00000099000000000061",
    "00000099000000000053",
    "00000099000000000018",
)
ADVICE = Advice(True, ("A", "C", "D"), ("A holds",), "rev")
JUDGED = JudgedCriteria(*(Judged(x, "grond") for x in (True, False, True, True)))
MET = (True, "")  # the criteria policy's answer on JUDGED


def nomination(status=Status.NOMINATED, **kw) -> Nomination:
    fields = dict(
        case_id="a" * 32,
        subject_pseudonym="p" * 64,
        nominating_party=ASTEN,
        nominated_by="worker-1",
        status=status,
        identity=SubjectIdentity("Anna", "Jansen", date(2000, 1, 1)),
        age_band=AgeBand.PLUS_16,
        problems=(Problem(LifeDomain.HOUSING, "x"), Problem(LifeDomain.SAFETY, "y")),
        safety=Safety(serious_local_safety_problem=True, multiple_chains_needed=True),
        chains=(Chain.CARE, Chain.COERCION_AND_PRESSURE),
        consent=ConsentStatus.GIVEN,
        usage_terms={"purposes": ["care_coordination"]},
        nominated_at=NOW,
    )
    fields.update(kw)
    return Nomination(**fields)


def in_triage(deadline=NOW + timedelta(days=1), asked=(POLICE, LUMENS)) -> Nomination:
    nom = nomination()
    nom.assess(ADVICE, JUDGED, MET, True, None, "ok", HELMOND)
    nom.start_triage(
        TriageRound("r" * 32, deadline, ("safety",), "bekend?", NOW, {p: None for p in asked}), NOW
    )
    return nom


# -- identity -------------------------------------------------------------------------------
def test_names_are_normalised_for_case_accents_punctuation_and_spacing():
    assert normalise_name("  Wiśniewska-KOWALSKA ") == normalise_name("wisniewska kowalska")
    assert normalise_name("Çelik") == "celik"
    assert normalise_name("Jansen") != normalise_name("Janssen")
    # Format characters (Cf) are left out of the match, the bidi marks too (a name stored
    # with one before they were refused still finds its subject).
    for mark in ("\u200e", "\u200f", "\u061c", "\u202e", "\u00ad"):
        assert normalise_name(f"Jan{mark}sen") == "jansen"


def test_match_keys_strongest_first_and_without_raw_spelling():
    ident = SubjectIdentity("Anna", "JANSEN", date(2000, 1, 1), "111222333", "1234567890")
    assert match_keys(ident) == ["bsn:111222333", "vnr:1234567890", "name:anna|jansen|2000-01-01"]
    # A name without a date of birth is shared by strangers: no key (it links nobody).
    assert match_keys(SubjectIdentity(family_name="Jansen")) == []
    assert match_keys(SubjectIdentity(family_name="Jansen", bsn="111222333")) == ["bsn:111222333"]


def test_bsn_eleven_test():
    assert bsn_valid("111222333")
    assert bsn_valid("123456782")
    assert not bsn_valid("123456789")
    assert not bsn_valid("12345678")
    assert not bsn_valid("000000000")


@pytest.mark.parametrize(
    "kwargs,field",
    [
        (dict(family_name="", bsn="", v_number=""), "subject"),
        (dict(bsn="123456789"), "subject.bsn"),
        (dict(v_number="123"), "subject.v_number"),
        (dict(date_of_birth="2000-13-01"), "subject.date_of_birth"),
        (dict(date_of_birth="2000-1-1"), "subject.date_of_birth"),
        (dict(date_of_birth="2030-01-01"), "subject.date_of_birth"),
        (dict(date_of_birth="1850-01-01"), "subject.date_of_birth"),
        (dict(family_name="x" * 201), "subject.family_name"),
        (dict(given_names="a\x07"), "subject.given_names"),
        # a right-to-left override shows "Anna Jansen" for another stored name
        (dict(family_name="\u202eneSnaJ"), "subject.family_name"),
        (dict(given_names="An\u2067na"), "subject.given_names"),
    ],
)
def test_bad_identity_names_the_field(kwargs, field):
    args = dict(
        given_names="Anna", family_name="Jansen", date_of_birth="2000-01-01", bsn="", v_number=""
    )
    args.update(kwargs)
    with pytest.raises(InvalidArgument) as err:
        parse_identity(today=TODAY, **args)
    assert err.value.violations[0][0] == field


def test_a_bsn_alone_identifies_the_subject():
    ident = parse_identity("", "", "", "111222333", "", TODAY)
    assert ident.bsn == "111222333" and ident.date_of_birth is None


# -- age bands (Bijlage 3 consent: under 12, 12-16, 16+) --------------------------------------
@pytest.mark.parametrize(
    "born,band",
    [
        (date(2015, 6, 2), AgeBand.UNDER_12),  # 10, eleven tomorrow
        (date(2014, 6, 2), AgeBand.UNDER_12),  # turns 12 tomorrow
        (date(2014, 6, 1), AgeBand.AGE_12_TO_16),  # 12 today
        (date(2010, 6, 2), AgeBand.AGE_12_TO_16),  # turns 16 tomorrow
        (date(2010, 6, 1), AgeBand.PLUS_16),  # 16 today
        (date(1990, 1, 1), AgeBand.PLUS_16),
        (None, AgeBand.UNKNOWN),
    ],
)
def test_age_band_follows_the_birthday(born, band):
    assert age_band_for(born, TODAY) == band


def test_stated_age_band_must_agree_with_the_date_of_birth():
    assert resolve_age_band(AgeBand.UNDER_12, None, TODAY) == AgeBand.UNDER_12
    assert resolve_age_band(None, date(2000, 1, 1), TODAY) == AgeBand.PLUS_16
    with pytest.raises(InvalidArgument) as err:
        resolve_age_band(AgeBand.UNDER_12, date(2000, 1, 1), TODAY)
    assert err.value.violations[0][0] == "age_band"


# -- field limits --------------------------------------------------------------------------------
def test_limits_on_codes_parties_and_text():
    with pytest.raises(InvalidArgument):
        check_codes(["a"] * 3, "themes", limit=20)  # duplicates
    with pytest.raises(InvalidArgument):
        check_codes([f"t{i}" for i in range(21)], "themes", limit=20)
    with pytest.raises(InvalidArgument):
        check_oins(["12345"], "asked_parties")
    with pytest.raises(InvalidArgument):
        check_text("x" * 11, "question", limit=10)
    assert check_text("regel 1\nregel 2", "question", limit=100)


# -- the state machine -------------------------------------------------------------------------
def test_assessment_records_advice_and_decision_and_is_done_once():
    nom = nomination()
    nom.assess(Advice(False, ("A",), (), "rev"), JUDGED, MET, True, None, "toch", HELMOND)
    assert nom.status == Status.QUALIFIED
    assert nom.advice.qualifies is False and nom.qualifies is True
    with pytest.raises(FailedPrecondition) as err:
        nom.assess(ADVICE, JUDGED, MET, True, None, "again", HELMOND)
    assert err.value.state == "qualified"


def test_rejection_needs_a_reason_code_and_ends_the_nomination():
    with pytest.raises(InvalidArgument):
        nomination().assess(ADVICE, JUDGED, MET, False, None, "nee", HELMOND)
    with pytest.raises(InvalidArgument):
        nomination().assess(ADVICE, JUDGED, MET, True, RejectionReason.OTHER, "ja", HELMOND)
    nom = nomination()
    nom.assess(ADVICE, JUDGED, MET, False, RejectionReason.OTHER, "nee", HELMOND)
    assert nom.status == Status.REJECTED
    with pytest.raises(FailedPrecondition) as err:
        nom.start_triage(TriageRound("r", NOW + timedelta(days=1), (), "q", NOW, {}), NOW)
    assert err.value.state == "rejected"


def test_triage_before_assessment_is_refused():
    with pytest.raises(FailedPrecondition) as err:
        nomination().start_triage(
            TriageRound("r", NOW + timedelta(days=1), (), "q", NOW, {POLICE: None}), NOW
        )
    assert err.value.state == "nominated"


def test_triage_deadline_in_the_future_and_not_too_far():
    for deadline in (NOW, NOW - timedelta(seconds=1), NOW + timedelta(days=61)):
        nom = nomination()
        nom.assess(ADVICE, JUDGED, MET, True, None, "ok", HELMOND)
        with pytest.raises(InvalidArgument) as err:
            nom.start_triage(TriageRound("r", deadline, (), "q", NOW, {POLICE: None}), NOW)
        assert err.value.violations[0][0] == "deadline"


def test_round_closes_when_all_answered():
    nom = in_triage()
    assert not nom.triage.closed(NOW)
    assert nom.answer_triage(POLICE, TriageAnswerKind.KNOWN, "", ("safety",), NOW) is False
    assert nom.answer_triage(LUMENS, TriageAnswerKind.NOT_KNOWN, "", (), NOW) is True
    assert nom.triage.closed(NOW)


def test_round_closes_at_the_deadline_and_refuses_late_answers():
    nom = in_triage(deadline=NOW + timedelta(hours=1))
    later = NOW + timedelta(hours=1)
    assert nom.triage.closed(later)
    with pytest.raises(FailedPrecondition) as err:
        nom.answer_triage(POLICE, TriageAnswerKind.KNOWN, "", (), later)
    assert err.value.state == "triage_deadline_passed"


def test_only_asked_parties_answer_and_only_once():
    nom = in_triage()
    with pytest.raises(FailedPrecondition) as err:
        nom.answer_triage(ASTEN, TriageAnswerKind.KNOWN, "", (), NOW)
    assert err.value.state == "not_asked"
    nom.answer_triage(POLICE, TriageAnswerKind.INVOLVED, "", (), NOW)
    with pytest.raises(FailedPrecondition) as err:
        nom.answer_triage(POLICE, TriageAnswerKind.KNOWN, "", (), NOW)
    assert err.value.state == "triage_answered"


PLAN = MeetingPlan("goal", "veilig wonen", ("safety",), ("plan",), (POLICE,))


def test_routing_needs_a_closed_round():
    nom = in_triage()
    with pytest.raises(FailedPrecondition) as err:
        nom.decide_routing(Routing.CASE_MEETING, PLAN, "", NOW)
    assert err.value.state == "triage_open"
    for status in (Status.NOMINATED, Status.QUALIFIED):
        with pytest.raises(FailedPrecondition) as err:
            nomination(status=status).decide_routing(Routing.REGULAR_CARE, None, "", NOW)
        assert err.value.state == status.value
    nom.decide_routing(Routing.CASE_MEETING, PLAN, "", NOW + timedelta(days=2))
    assert nom.status == Status.ROUTED and nom.meeting == PLAN


def test_case_meeting_and_only_a_case_meeting_has_a_plan():
    nom = in_triage(deadline=NOW + timedelta(seconds=1))
    later = NOW + timedelta(seconds=2)
    with pytest.raises(InvalidArgument):
        nom.decide_routing(Routing.CASE_MEETING, None, "", later)
    with pytest.raises(InvalidArgument):
        nom.decide_routing(Routing.REGULAR_CARE, PLAN, "", later)


@pytest.mark.parametrize("status", [Status.NOMINATED, Status.QUALIFIED])
def test_escalation_to_a_zvh_at_any_time_before_routing(status):
    nom = nomination(status=status)
    nom.decide_routing(Routing.ZVH_BRABANT_ZUIDOOST, None, "breakthrough", NOW)
    assert nom.status == Status.ROUTED
    with pytest.raises(FailedPrecondition) as err:
        nom.decide_routing(Routing.ZVH_BRABANT_NOORDOOST, None, "", NOW)
    assert err.value.state == "routed"


def test_a_linked_nomination_is_routed_away_with_the_one_it_is_linked_to():
    primary = nomination(process_director_party=HELMOND, process_director_person="pd-1")
    primary.decide_routing(Routing.ZVH_BRABANT_NOORDOOST, None, "breakthrough", NOW)
    linked = nomination(status=Status.LINKED, case_id="b" * 32, linked_to_case_id="a" * 32)
    linked.route_with(primary)
    assert (linked.status, linked.routing) == (Status.ROUTED, Routing.ZVH_BRABANT_NOORDOOST)
    assert linked.routing_reason_code == "breakthrough"
    assert linked.process_director == (HELMOND, "pd-1")  # 12.3: the same process director
    with pytest.raises(FailedPrecondition) as err:  # once: it is no longer linked
        linked.route_with(primary)
    assert err.value.state == "routed"
    with pytest.raises(FailedPrecondition):  # a case meeting's linked ones go with its case
        meeting = nomination(status=Status.ROUTED, routing=Routing.CASE_MEETING)
        nomination(status=Status.LINKED).route_with(meeting)


@pytest.mark.parametrize(
    "status", [Status.ROUTED, Status.REJECTED, Status.WITHDRAWN, Status.CLOSED]
)
def test_withdrawal_only_before_the_end(status):
    with pytest.raises(FailedPrecondition) as err:
        nomination(status=status).withdraw()
    assert err.value.state == status.value


def test_lawful_themes_combine_the_directors_statement_and_the_partys_own_answer():
    nom = in_triage()
    nom.answer_triage(POLICE, TriageAnswerKind.INVOLVED, "", ("safety",), NOW)
    assert nom.lawful_themes({ASTEN: ("housing",), POLICE: ("housing",)}) == {
        ASTEN: ("housing",),
        POLICE: ("housing", "safety"),
    }


# -- facts for the policies match their schemas ---------------------------------------------
def test_criteria_facts_follow_bijlage_2_and_the_schema():
    facts = policy_facts.criteria_input(nomination())
    validate_input("zorgtafel.intake.criteria", facts)
    assert facts == {
        "local_safety_problems": True,
        "family_system_affected": False,
        "multiple_chains_needed": True,
        "coercion_and_pressure_needed": True,
        "life_domains": ["housing", "safety"],
    }
    no_coercion = nomination(chains=(Chain.CARE, Chain.SAFETY))
    assert policy_facts.criteria_input(no_coercion)["coercion_and_pressure_needed"] is False


def test_access_input_matches_its_schema():
    nom = in_triage()
    for action in (
        "read_nomination",
        "withdraw_nomination",
        "read_triage_question",
        "answer_triage",
    ):
        validate_input(
            "zorgtafel.intake.access",
            policy_facts.access_input(
                action, Caller(POLICE, "p", "caseworker"), nom, NoRoster(), now=NOW
            ),
        )
    nom.take_up(HELMOND, "pd-1")
    inp = policy_facts.access_input(
        "ask_in_triage", Caller(HELMOND, "pd-1", "process_director"), nom, NoRoster(), now=NOW
    )
    inp["candidate"] = {"party": POLICE, "status": "active"}
    validate_input("zorgtafel.intake.access", inp)
    assert inp["nomination"]["asked_parties"] == [LUMENS, POLICE]
    assert inp["nomination"]["process_director"] == {"party": HELMOND, "person": "pd-1"}
    assert inp["principal"]["functions"] == []  # a token role alone holds nothing
    # 16.2: the provider's terms, and the time of the request to hold their expiry against
    assert inp["nomination"]["usage_terms"] == nom.usage_terms
    assert inp["now"] == "2026-06-01T12:00:00.000000Z"
    judged = policy_facts.criteria_input(nom, JUDGED)
    validate_input("zorgtafel.intake.criteria", judged)
    assert judged["judged"] == {"A": True, "B": False, "C": True, "D": True}


def test_invite_input_matches_its_schema_and_marks_who_was_asked():
    nom = in_triage()
    plan = MeetingPlan("goal", "g", ("safety",), ("plan",), (POLICE, ASTEN, "00000099999999999999"))
    inp = policy_facts.invite_input(
        nom,
        plan,
        {POLICE: ("safety",)},
        {POLICE: "active", ASTEN: "active", "00000099999999999999": "unknown"},
    )
    validate_input("zorgtafel.casework.invite", inp)
    by_party = {c["party"]: c for c in inp["candidates"]}
    assert by_party[POLICE]["relevance"] == "asked_in_triage"
    assert by_party[ASTEN]["relevance"] == "named_by_process_director"
    assert by_party["00000099999999999999"]["is_party"] is False
    assert inp["case"]["nominating_party"] == ASTEN


@pytest.mark.parametrize(
    "status", [Status.LINKED, Status.REJECTED, Status.TRIAGE, Status.WITHDRAWN, Status.ROUTED]
)
def test_assessment_only_of_a_fresh_nomination(status):
    with pytest.raises(FailedPrecondition) as err:
        nomination(status=status).assess(ADVICE, JUDGED, MET, True, None, "x", HELMOND)
    assert err.value.state == status.value


def test_a_second_triage_round_is_refused():
    nom = in_triage()
    with pytest.raises(FailedPrecondition) as err:
        nom.start_triage(
            TriageRound("s" * 32, NOW + timedelta(days=1), (), "q", NOW, {POLICE: None}), NOW
        )
    assert err.value.state == "triage"


def test_linked_nomination_may_be_withdrawn_but_not_triaged():
    nom = nomination(status=Status.LINKED, linked_to_case_id="b" * 32)
    with pytest.raises(FailedPrecondition) as err:
        nom.decide_routing(Routing.REGULAR_CARE, None, "", NOW)
    assert err.value.state == "linked"
    nom.withdraw()
    assert nom.status == Status.WITHDRAWN


# -- issue 13: who directs it, the judged criteria, the safety override ------------------------
def test_the_first_process_director_takes_the_nomination_up_and_keeps_it():
    nom = nomination()
    assert nom.process_director is None
    nom.take_up(HELMOND, "pd-1")
    nom.take_up(HELMOND, "pd-2")
    assert nom.process_director == (HELMOND, "pd-1")


def test_qualifying_needs_the_criteria_policys_yes_on_the_judged_criteria():
    nom = nomination()
    with pytest.raises(FailedPrecondition) as err:
        nom.assess(ADVICE, JUDGED, (False, "C is not judged (art. 1.4)"), True, None, "x", HELMOND)
    assert err.value.state == "criteria_not_met" and "art. 1.4" in str(err.value)
    assert nom.status == Status.NOMINATED
    nom.assess(ADVICE, JUDGED, (False, "no"), False, RejectionReason.CRITERIA_NOT_MET, "x", HELMOND)
    assert nom.status == Status.REJECTED and nom.criteria == JUDGED


def override() -> SafetyOverride:
    return SafetyOverride("gevaar", "collega-1", False, "nog niet", HELMOND, "pd-1", NOW)


def test_a_safety_override_only_without_consent_and_once():
    given = in_triage()
    with pytest.raises(FailedPrecondition) as err:
        given.record_safety_override(override())
    assert err.value.state == "consent_given"
    refused = nomination(consent=ConsentStatus.REFUSED)
    assert refused.shares_without_override is False
    with pytest.raises(FailedPrecondition):
        refused.record_safety_override(override())  # not assessed yet: nobody directs it
    refused.assess(ADVICE, JUDGED, MET, True, None, "ok", HELMOND)
    refused.record_safety_override(override())
    with pytest.raises(FailedPrecondition) as err:
        refused.record_safety_override(override())
    assert err.value.state == "safety_override_recorded"
