"""Intake's proto mapping refuses what cannot describe anything in this domain as
INVALID_ARGUMENT naming the field, never INTERNAL: timestamps outside 1900-2999, unknown enum
numbers, missing required values."""

from __future__ import annotations

import pytest

from services.intake.entrypoints import proto_mapping as mapping
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.errors import InvalidArgument

CASE = "a" * 32
YEAR_9999 = 253402300799  # the last second datetime can hold
YEAR_1 = -62135596800


def fields(err: pytest.ExceptionInfo[InvalidArgument]) -> list[str]:
    return [f for f, _ in err.value.violations]


def nomination(**terms: list[str]) -> pb.NominateRequest:
    return pb.NominateRequest(
        request_id="req-00000001",
        subject=pb.SubjectIdentity(family_name="Jansen"),
        consent_status=pb.CONSENT_STATUS_GIVEN,
        usage_terms=common_pb2.UsageTerms(purposes=["care_coordination"], **terms),
    )


@pytest.mark.parametrize("seconds", [YEAR_9999, YEAR_1, -1 - 2208988800])
def test_a_triage_deadline_outside_the_years_1900_to_2999_names_the_deadline(seconds):
    req = pb.StartTriageRequest(
        case_id=CASE, asked_parties=["00000099000000000061"], themes=["safety"], question="bekend?"
    )
    req.deadline.seconds = seconds
    with pytest.raises(InvalidArgument) as err:
        mapping.start_triage_in(req)
    assert fields(err) == ["deadline"]


def test_usage_terms_expiring_beyond_the_year_2999_name_the_field():
    req = nomination()
    req.usage_terms.expires_at.seconds = YEAR_9999
    with pytest.raises(InvalidArgument) as err:
        mapping.nominate_in(req)
    assert fields(err) == ["usage_terms.expires_at"]


def test_usage_terms_in_range_are_kept_as_stated():
    req = nomination(recipient_roles=["process_director"])
    req.usage_terms.expires_at.FromJsonString("2030-01-01T00:00:00Z")
    cmd = mapping.nominate_in(req)
    assert cmd.usage_terms == {
        "purposes": ["care_coordination"],
        "recipient_roles": ["process_director"],
        "expires_at": "2030-01-01T00:00:00Z",
    }
    assert mapping.terms_out(cmd.usage_terms) == req.usage_terms


@pytest.mark.parametrize(
    "field,request_",
    [
        ("consent_status", pb.NominateRequest(subject=pb.SubjectIdentity(family_name="J"))),
        ("chains_involved[0]", pb.NominateRequest(chains_involved=[99])),
        (
            "age_band",
            pb.NominateRequest(
                age_band=-3,
                consent_status=pb.CONSENT_STATUS_GIVEN,
                subject=pb.SubjectIdentity(family_name="J"),
            ),
        ),
    ],
)
def test_unknown_or_missing_enum_values_name_the_field(field, request_):
    with pytest.raises(InvalidArgument) as err:
        mapping.nominate_in(request_)
    assert fields(err) == [field]


def assessment(**changed: str) -> pb.AssessRequest:
    grounds = {name: changed.get(f"criteria.{name}.grounds", "zie dossier") for name in "abcd"}
    return pb.AssessRequest(
        case_id=CASE,
        qualifies=True,
        reasons=changed.get("reasons", "criteria A, C en D gelden"),
        nominating_party_consulted=True,
        criteria=pb.JudgedCriteria(
            **{n: pb.JudgedCriterion(holds=True, grounds=g) for n, g in grounds.items()}
        ),
    )


@pytest.mark.parametrize(
    "field", ["reasons", "criteria.a.grounds", "criteria.b.grounds", "criteria.d.grounds"]
)
@pytest.mark.parametrize("text", [".", "-", "\u200b", "\u00ad", "\U0001f6a8", " . ", "\u2060"])
def test_an_assessment_without_worded_reasons_or_grounds_names_the_field(field, text):
    """12.2a: the process director records each criterion's judgement with its grounds, and
    the reasons of the assessment; a dot, a dash, a zero-width space, a soft hyphen or an
    emoji only is no ground a nominating party or a reviewer can read back (as for a safety
    override's reason): INVALID_ARGUMENT naming the field."""
    assert mapping.assess_in(assessment()).criteria.a.grounds == "zie dossier"
    with pytest.raises(InvalidArgument) as err:
        mapping.assess_in(assessment(**{field: text}))
    assert fields(err) == [field]


@pytest.mark.parametrize("text", [".", "?", "\u200b", "\u00ad", "\U0001f6a8", " ? ", "\ufeff"])
def test_a_triage_question_of_no_words_names_the_question(text):
    """1.15, 12.2b: the asked parties answer the question the process director puts to them; a
    question mark, a zero-width space or an emoji only asks nothing an asked party can answer
    (and is what each asked party reads with the subject's pseudonym): INVALID_ARGUMENT."""
    req = pb.StartTriageRequest(
        case_id=CASE, asked_parties=["00000099000000000061"], themes=["safety"], question="bekend?"
    )
    req.deadline.FromJsonString("2030-01-01T00:00:00Z")
    assert mapping.start_triage_in(req).question == "bekend?"
    req.question = text
    with pytest.raises(InvalidArgument) as err:
        mapping.start_triage_in(req)
    assert fields(err) == ["question"]


@pytest.mark.parametrize("text", [".", "-", "\u200b", "\u00ad", "\U0001f91d", " . ", "\u2060"])
def test_a_case_meeting_goal_of_no_words_names_the_goal(text):
    """12.2c: the goal of a case meeting as concrete as possible; a dot, a dash, a zero-width
    space or an emoji only states none: INVALID_ARGUMENT naming meeting.goal."""
    req = pb.DecideRoutingRequest(
        case_id=CASE,
        routing=pb.ROUTING_CASE_MEETING,
        meeting=pb.CaseMeetingPlan(
            goal_code="safe_housing",
            goal="veilige woonplek binnen vier weken",
            themes=["housing"],
            decision_types=["plan_of_approach"],
            invitees=[pb.Invitee(party="00000099000000000061", lawful_themes=["housing"])],
        ),
    )
    assert mapping.routing_in(req).meeting.goal == "veilige woonplek binnen vier weken"
    req.meeting.goal = text
    with pytest.raises(InvalidArgument) as err:
        mapping.routing_in(req)
    assert fields(err) == ["meeting.goal"]


NO_WORDS = [".", "-", " ", "\u200b", "\u00ad", "\U0001f6a8", " . "]


@pytest.mark.parametrize("text", NO_WORDS)
@pytest.mark.parametrize("field", ["problems[0].description", "safety.description"])
def test_an_optional_description_given_without_words_names_the_field(field, text):
    """A description may be left out; given, it is read back as an account of the problem or
    the danger, and a dot, a dash, a zero-width space or an emoji only is none."""
    req = nomination()
    req.problems.add(domain=pb.LIFE_DOMAIN_HOUSING)
    if field == "safety.description":
        req.safety.description = text
    else:
        req.problems[0].description = text
    with pytest.raises(InvalidArgument) as err:
        mapping.nominate_in(req)
    assert fields(err) == [field]


def test_an_optional_description_left_out_or_in_words_is_kept():
    req = nomination()
    req.problems.add(domain=pb.LIFE_DOMAIN_HOUSING)
    req.problems.add(domain=pb.LIFE_DOMAIN_SAFETY, description=" dakloos ")
    req.safety.description = "bedreigd"
    cmd = mapping.nominate_in(req)
    assert [p.description for p in cmd.problems] == ["", "dakloos"]
    assert cmd.safety.description == "bedreigd"


@pytest.mark.parametrize("text", NO_WORDS)
def test_a_triage_contribution_given_without_words_names_the_field(text):
    """The asked party's contribution is optional; given, it is what the process director
    reads of the party's part (1.15): no words, no contribution."""
    req = pb.AnswerTriageRequest(
        case_id=CASE, answer=pb.TRIAGE_ANSWER_KIND_KNOWN, contribution=text
    )
    with pytest.raises(InvalidArgument) as err:
        mapping.answer_in(req)
    assert fields(err) == ["contribution"]
    req.contribution = ""
    assert mapping.answer_in(req).contribution == ""
