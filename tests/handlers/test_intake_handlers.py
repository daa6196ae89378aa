"""Intake's use cases through its handlers, as the kernel builds them (migrated database, the
embedded policy engine, the key ring and case keys) but without gRPC or a broker: a nomination
is stored and announced, the access policy refuses with its reasons, a refused transition names
its state, a bad field is named, and casework's purge erases the case with its key. A process
director is one by the roster and directs only what it took up (12.3); the judged criteria
decide (1.4); a refused consent shares nothing without a safety override (Bijlage 3); of the
nominating party only the person who nominated reads and withdraws (Bijlage 3); a
nominator learns nothing of links and is rate-limited when probing (issue 13 point 7)."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

import pytest
from sqlalchemy import func, select

from services.intake.adapters.probing import ProbeLog
from services.intake.bootstrap import Deps, make_deps
from services.intake.domain.assessment import Judged, JudgedCriteria
from services.intake.domain.commands import (
    AnswerTriage,
    Assess,
    DecideRouting,
    GetNomination,
    GetTriageQuestion,
    ListProbingFlags,
    Nominate,
    RecordSafetyOverride,
    StartTriage,
    Withdraw,
)
from services.intake.domain.events import CaseAssessed, CaseNominated, ProbingFlagged
from services.intake.domain.model import Problem, Safety
from services.intake.domain.vocabulary import (
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Routing,
    Status,
    TriageAnswerKind,
)
from services.intake.entrypoints import proto_mapping
from services.intake.entrypoints.grpc_api import IntakeServicer
from services.intake.service_layer.handlers import (
    assessment,
    nominations,
    oversight,
    routing,
    triage,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotShared,
    PermissionDenied,
)
from zorgtafel.kernel.events import DomainEvent
from zorgtafel.kernel.service import Platform, ServiceParts
from zorgtafel.kernel.uow import utcnow
from zorgtafel.testing import (
    CountingEngine,
    deliver,
    handler_platform,
    restriction_changed,
    set_party_status,
    set_roster,
    what_caller_is_told,
)
from zorgtafel.testing.statements import call, limited, statements

ASTEN = "00000099000000000001"  # nominates
HELMOND = "00000099000000000018"  # the process director's party
POLICE = "00000099000000000061"  # asked in triage
FARENT = "00000099000000000042"  # not involved
EXCLUDED = "00000099000000000063"  # excluded from the covenant (art. 23.2)

T = TypeVar("T")
NOMINATING = Caller(ASTEN, "worker-1", "caseworker", party_status="active")
DIRECTOR = Caller(HELMOND, "zorgcoordinator-1", "process_director", party_status="active")
# Designated too, but directs other nominations and cases.
OTHER_DIRECTOR = Caller(HELMOND, "zorgcoordinator-2", "process_director", party_status="active")
# The token says process_director; the roster does not.
CLAIMED_DIRECTOR = Caller(FARENT, "worker-7", "process_director", party_status="active")
MANAGER = Caller(HELMOND, "manager-1", "manager", party_status="active")
OUTSIDER = Caller(FARENT, "worker-9", "caseworker", party_status="active")
# Of the nominating party, but not the person who nominated (Bijlage 3).
COLLEAGUE = Caller(ASTEN, "worker-2", "caseworker", party_status="active")


def judged(a=True, b=False, c=True, d=True) -> JudgedCriteria:
    return JudgedCriteria(*(Judged(x, f"onderbouwing {x}") for x in (a, b, c, d)))


def qualify(case_id: str, criteria: JudgedCriteria | None = None) -> Assess:
    return Assess(case_id, True, None, "voldoet", True, criteria or judged())


@pytest.fixture
def intake(data_dir, database_url):
    with handler_platform("intake", data_dir, database_url) as (platform, parts):
        for party in (ASTEN, HELMOND, POLICE, FARENT):
            set_party_status(platform, party, "active")
        set_party_status(platform, EXCLUDED, "excluded")
        for director in (DIRECTOR, OTHER_DIRECTOR):
            set_roster(platform, "process_director", director.party, director.person)
        set_roster(platform, "manager", MANAGER.party, MANAGER.person)
        yield platform, parts, make_deps(platform)


def run(
    platform: Platform, handler: Callable[..., T], deps: Deps, command: object, caller: Caller
) -> tuple[T, list[DomainEvent]]:
    """One handler call in its own committed unit of work: (result, events it emitted)."""
    with platform.uow_factory() as uow:
        result = handler(deps, uow, command, caller)
        uow.commit()
        return result, list(uow.published)


def nomination(bsn: str = "111222333", consent: ConsentStatus = ConsentStatus.GIVEN) -> Nominate:
    return Nominate(
        given_names="Anna",
        family_name=f"Jansen-{uuid.uuid4().hex[:6]}",
        date_of_birth="2000-01-01",
        bsn=bsn,
        v_number="",
        age_band=None,
        problems=(Problem(LifeDomain.HOUSING, "dakloos"), Problem(LifeDomain.SAFETY, "bedreigd")),
        safety=Safety(serious_local_safety_problem=True, multiple_chains_needed=True),
        chains=(Chain.CARE, Chain.COERCION_AND_PRESSURE),
        consent=consent,
        usage_terms={"purposes": ["care_coordination"]},
    )


def by_name_and_birth(given_names: str, family_name: str, date_of_birth: str) -> Nominate:
    """A bare nomination of a person known by name and date of birth alone (no BSN or
    V-number, a housing problem, no safety concern)."""
    return Nominate(
        given_names,
        family_name,
        date_of_birth,
        "",
        "",
        None,
        (Problem(LifeDomain.HOUSING),),
        Safety(),
        (),
        ConsentStatus.GIVEN,
        {"purposes": ["care_coordination"]},
    )


def with_terms(usage_terms: dict) -> Nominate:
    """The subject with BSN 123456782 nominated under ``usage_terms``."""
    return dataclasses.replace(nomination(bsn="123456782"), usage_terms=usage_terms)


def refused_and_nothing_stored(
    intake: tuple[Platform, ServiceParts, Deps], usage_terms: dict, field: str
) -> None:
    """A nomination with ``usage_terms`` is INVALID_ARGUMENT naming ``field`` and stores
    nothing: a later nomination of the subject (its BSN, by the police) is one of its own."""
    platform, _parts, deps = intake
    with pytest.raises(InvalidArgument) as refused:
        run(platform, nominations.nominate, deps, with_terms(usage_terms), NOMINATING)
    assert refused.value.violations[0][0] == field
    police = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    nom, _ = run(platform, nominations.nominate, deps, nomination(bsn="123456782"), police)
    assert nom.status == Status.NOMINATED


def nominated(intake: tuple[Platform, ServiceParts, Deps], **kw) -> str:
    platform, _parts, deps = intake
    nom, _ = run(platform, nominations.nominate, deps, nomination(**kw), NOMINATING)
    return nom.case_id


def test_the_process_director_assesses_a_nomination_with_the_judged_criteria(intake):
    platform, _parts, deps = intake
    nom, emitted = run(platform, nominations.nominate, deps, nomination(), NOMINATING)
    assert nom.status == Status.NOMINATED and len(nom.subject_pseudonym) == 64
    [announced] = emitted
    assert isinstance(announced, CaseNominated) and announced.nominating_party == ASTEN

    assessed, emitted = run(platform, assessment.assess, deps, qualify(nom.case_id), DIRECTOR)
    assert assessed.status == Status.QUALIFIED
    assert assessed.advice.qualifies is True  # A, C and D hold (Bijlage 2)
    assert assessed.advice.criteria_held == ("A", "C", "D")
    assert [type(e) for e in emitted] == [CaseAssessed]
    assert emitted[0].judged_held == ("A", "C", "D")
    # 12.3: the process director who assessed it took it up.
    assert assessed.process_director == (HELMOND, "zorgcoordinator-1")
    with platform.uow_factory() as uow:
        view = nominations.get_nomination(deps, uow, GetNomination(nom.case_id), NOMINATING)
    assert view.nomination.identity.bsn == "111222333" and view.linked == []
    assert view.nomination.criteria == judged() and view.full is False


def test_a_party_that_neither_nominated_nor_directs_is_refused_with_the_policys_reasons(intake):
    """The policy's reasons are the access log's; the party, with no part in the nomination,
    is told what an unknown id is told (8.4c)."""
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with platform.uow_factory() as uow, pytest.raises(NotShared) as denied:
        nominations.get_nomination(deps, uow, GetNomination(case_id), OUTSIDER)
    assert denied.value.reasons == NotShared("nomination", "case_id").reasons
    assert denied.value.logged.policy == "zorgtafel.intake.access"
    assert any("art. 8.4c" in reason for reason in denied.value.logged.reasons)


def test_an_excluded_party_is_not_asked_in_triage_and_the_refusal_says_why(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    start = StartTriage(
        case_id, (POLICE, EXCLUDED), utcnow() + timedelta(days=1), ("safety",), "bekend?"
    )
    with pytest.raises(PermissionDenied) as denied:
        run(platform, triage.start_triage, deps, start, DIRECTOR)
    assert any("art. 23.2" in reason for reason in denied.value.reasons)


def test_triage_before_the_assessment_is_refused_naming_the_state(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    start = StartTriage(case_id, (POLICE,), utcnow(), ("safety",), "bekend?")
    with pytest.raises(FailedPrecondition) as refused:
        run(platform, triage.start_triage, deps, start, DIRECTOR)
    assert refused.value.state == "nominated"


def test_a_bsn_failing_the_eleven_test_is_invalid_argument_naming_the_field(intake):
    platform, _parts, deps = intake
    with pytest.raises(InvalidArgument) as invalid:
        run(platform, nominations.nominate, deps, nomination(bsn="123456789"), NOMINATING)
    assert [field for field, _ in invalid.value.violations] == ["subject.bsn"]


def test_a_rejection_without_a_reason_code_is_invalid_argument(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with pytest.raises(InvalidArgument) as invalid:
        run(
            platform,
            assessment.assess,
            deps,
            Assess(case_id, False, None, "nee", True, judged()),
            DIRECTOR,
        )
    assert invalid.value.violations[0][0] == "rejection_reason"
    rejected, _ = run(
        platform,
        assessment.assess,
        deps,
        Assess(case_id, False, RejectionReason.OTHER, "nee", True, judged(a=False)),
        DIRECTOR,
    )
    assert rejected.status == Status.REJECTED


def test_casework_purging_the_case_erases_the_nomination_and_destroys_its_key(intake):
    platform, parts, deps = intake
    case_id = nominated(intake)
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is None
        # Erased: told what an id never given out is told (8.4c), its nominator included.
        with pytest.raises(NotShared):
            nominations.get_nomination(deps, uow, GetNomination(case_id), NOMINATING)


# -- 12.3: the process director by relationship ----------------------------------------------
def test_a_token_role_process_director_without_the_roster_assesses_nothing(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with pytest.raises(NotShared) as denied:
        run(platform, assessment.assess, deps, qualify(case_id), CLAIMED_DIRECTOR)
    assert any("token role alone grants nothing" in r for r in denied.value.logged.reasons)


def test_a_process_director_of_another_nomination_is_refused_citing_12_3(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with platform.uow_factory() as uow:  # in the queue, any designated one reads it
        nominations.get_nomination(deps, uow, GetNomination(case_id), OTHER_DIRECTOR)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        nominations.get_nomination(deps, uow, GetNomination(case_id), OTHER_DIRECTOR)
    assert any("art. 12.3" in r for r in denied.value.reasons)
    start = StartTriage(case_id, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, triage.start_triage, deps, start, OTHER_DIRECTOR)
    assert any("art. 12.3" in r for r in denied.value.reasons)
    run(platform, triage.start_triage, deps, start, DIRECTOR)


def test_a_colleague_of_the_nominating_person_reads_and_withdraws_nothing(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        nominations.get_nomination(deps, uow, GetNomination(case_id), COLLEAGUE)
    assert any("Bijlage 3" in reason for reason in denied.value.reasons)
    with pytest.raises(PermissionDenied) as denied:
        run(platform, nominations.withdraw, deps, Withdraw(case_id, ""), COLLEAGUE)
    assert any("art. 16.1" in r and "Bijlage 3" in r for r in denied.value.reasons)
    withdrawn, _ = run(platform, nominations.withdraw, deps, Withdraw(case_id, ""), NOMINATING)
    assert withdrawn.status == Status.WITHDRAWN


def test_a_caller_without_a_part_learns_no_state_only_a_refusal(intake):
    """Else FAILED_PRECONDITION naming the state would tell anyone with a case id how far a
    nomination got (8.4c): the policy answers before the state does."""
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)  # now qualified
    for caller in (CLAIMED_DIRECTOR, OTHER_DIRECTOR, OUTSIDER):
        with pytest.raises(PermissionDenied):
            run(platform, assessment.assess, deps, qualify(case_id), caller)
    with pytest.raises(FailedPrecondition):  # its own process director is told the state
        run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)


# -- 1.4, Bijlage 2: the judged criteria decide -----------------------------------------------
def test_qualifying_against_the_judged_criteria_is_a_failed_precondition(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    none_hold = judged(a=False, b=False, c=False, d=False)
    with pytest.raises(FailedPrecondition) as refused:
        run(platform, assessment.assess, deps, qualify(case_id, none_hold), DIRECTOR)
    assert refused.value.state == "criteria_not_met"
    assert "art. 1.4" in str(refused.value)


# -- Bijlage 3: consent refused --------------------------------------------------------------
def test_refused_consent_is_not_shared_until_a_safety_override_is_recorded(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake, consent=ConsentStatus.REFUSED)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    start = StartTriage(case_id, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, triage.start_triage, deps, start, DIRECTOR)
    assert any("refused consent" in r and "Bijlage 3" in r for r in denied.value.reasons)
    override = RecordSafetyOverride(case_id, "acuut gevaar", "collega-7", False, "nog niet: vlucht")
    with pytest.raises(PermissionDenied):
        run(platform, oversight.record_safety_override, deps, override, OTHER_DIRECTOR)
    run(platform, oversight.record_safety_override, deps, override, DIRECTOR)
    nom, _ = run(platform, triage.start_triage, deps, start, DIRECTOR)
    assert nom.status == Status.TRIAGE and nom.safety_override.consulted_colleague == "collega-7"


def restriction(intake, case_id: str, restricted: bool, changed_at: datetime | None = None) -> None:
    """Disclosure's fact: the controller granted (or lifted) the subject's restriction of the
    case (Bijlage 3 "afschermen", GDPR art. 18), at ``changed_at`` (now by default)."""
    platform, parts, _deps = intake
    changed_at = changed_at or utcnow()
    restriction_changed(platform, parts, case_id, restricted, changed_at, "sr-1")


def asked_in_triage(intake) -> tuple[str, Caller]:
    """A nomination in triage, the police asked (agent-1 reads the question)."""
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    start = StartTriage(case_id, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?")
    run(platform, triage.start_triage, deps, start, DIRECTOR)
    return case_id, Caller(POLICE, "agent-1", "caseworker", party_status="active")


def test_a_restricted_nomination_is_shared_with_no_party_beyond_its_nominator_and_director(
    intake,
):
    """Its data is only kept (GDPR art. 18(2)): disclosure released none of its items, but the
    parties asked in triage kept reading the question (pseudonym, themes) and the process
    director could ask new parties; the nominator and the director still read it (the
    provider's own information, art. 16.1, 12.3)."""
    platform, _parts, deps = intake
    case_id, asked = asked_in_triage(intake)
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    restriction(intake, case_id, True)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    assert any("GDPR art. 18" in r for r in denied.value.reasons)
    for caller in (NOMINATING, DIRECTOR):
        with platform.uow_factory() as uow:
            nominations.get_nomination(deps, uow, GetNomination(case_id), caller)
    other = nominated(intake, bsn="123456782")  # another subject: not linked to the first
    run(platform, assessment.assess, deps, qualify(other), DIRECTOR)
    restriction(intake, other, True)
    ask = StartTriage(other, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, triage.start_triage, deps, ask, DIRECTOR)
    assert any("GDPR art. 18" in r for r in denied.value.reasons)
    restriction(intake, case_id, False)
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)


def consent_changed(intake, case_id: str, status: str, changed_at: datetime | None = None) -> None:
    """Disclosure's fact: the subject's consent for the case was recorded ("given") or
    withdrawn (Bijlage 3, GDPR art. 7(3)) at ``changed_at`` (now by default); ids and a status
    only."""
    platform, parts, _deps = intake
    changed_at = changed_at or utcnow()
    deliver(
        platform,
        parts,
        ev.SUBJECT_CONSENT_CHANGED,
        {
            "case_id": case_id,
            "consent_id": f"cns-{uuid.uuid4().hex}",
            "status": status,
            "changed_at": changed_at.isoformat(),
        },
    )


def test_a_consent_withdrawn_in_disclosure_ends_sharing_in_triage_until_a_new_consent(intake):
    """Intake went on with the consent stated at nomination: after the subject withdrew it in
    disclosure the parties asked in triage kept reading the question (pseudonym, themes) and
    answering it (Bijlage 3, GDPR art. 7(3)); the nominator and the director still read it."""
    platform, _parts, deps = intake
    case_id, asked = asked_in_triage(intake)
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    consent_changed(intake, case_id, "withdrawn")
    consent_changed(intake, case_id, "withdrawn")  # redelivered: the same status, no harm
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    assert any("withdrew its consent" in r for r in denied.value.reasons)
    answer = AnswerTriage(case_id, TriageAnswerKind.NOT_KNOWN, "", ())
    with pytest.raises(PermissionDenied):
        run(platform, triage.answer_triage, deps, answer, asked)
    for caller in (NOMINATING, DIRECTOR):
        with platform.uow_factory() as uow:
            nominations.get_nomination(deps, uow, GetNomination(case_id), caller)
    consent_changed(intake, case_id, "given")  # a new consent
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)


def test_a_consent_that_arrives_after_its_later_withdrawal_shares_nothing(intake):
    """Given, withdrawn, and the older consent delivered again after the withdrawal (a re-sent
    batch, a key moved to another partition): intake applied whichever event came last, so the
    parties asked in triage read the question again although the subject had withdrawn its
    consent (Bijlage 3, GDPR art. 7(3))."""
    platform, _parts, deps = intake
    case_id, asked = asked_in_triage(intake)
    given = utcnow() - timedelta(minutes=10)
    consent_changed(intake, case_id, "withdrawn", given + timedelta(minutes=5))
    consent_changed(intake, case_id, "given", given)  # the older consent, late
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    consent_changed(intake, case_id, "given", given + timedelta(minutes=6))  # a new consent
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)


def test_after_a_withdrawal_its_process_director_may_record_a_safety_override(intake):
    """Bijlage 3: without consent only with a recorded safety override; the override was
    refused as long as intake held the consent stated at nomination as given."""
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    consent_changed(intake, case_id, "withdrawn")
    start = StartTriage(case_id, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "bekend?")
    with pytest.raises(PermissionDenied):
        run(platform, triage.start_triage, deps, start, DIRECTOR)
    override = RecordSafetyOverride(case_id, "acuut gevaar", "collega-7", False, "nog niet: vlucht")
    run(platform, oversight.record_safety_override, deps, override, DIRECTOR)
    nom, _ = run(platform, triage.start_triage, deps, start, DIRECTOR)
    assert nom.status == Status.TRIAGE


def test_a_lifting_that_arrives_after_a_later_grant_leaves_the_nomination_restricted(intake):
    """Restricted, lifted, restricted again (``changed_at`` says when disclosure decided each):
    intake applied whichever event came last, so a lifting delivered after the later grant
    ended the restriction in force and the parties asked in triage read the question again
    (GDPR art. 18)."""
    platform, _parts, deps = intake
    case_id, asked = asked_in_triage(intake)
    granted = utcnow() - timedelta(minutes=10)
    restriction(intake, case_id, True, granted)
    restriction(intake, case_id, True, granted + timedelta(minutes=5))  # granted again
    restriction(intake, case_id, False, granted + timedelta(minutes=2))  # the older lifting
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    assert any("GDPR art. 18" in r for r in denied.value.reasons)
    restriction(intake, case_id, False, granted + timedelta(minutes=6))  # a later lifting
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)


def test_a_grant_that_arrives_after_a_later_lifting_leaves_the_nomination_lifted(intake):
    """Restricted, then lifted; the grant, re-sent, arrives after the lifting: intake kept only
    the grant's time, which the lifting cleared, so the stale grant restricted the nomination
    again (the newest decision, the lifting, must stand: GDPR art. 18(3))."""
    platform, _parts, deps = intake
    case_id, asked = asked_in_triage(intake)
    granted = utcnow() - timedelta(minutes=10)
    restriction(intake, case_id, True, granted)
    restriction(intake, case_id, False, granted + timedelta(minutes=2))
    restriction(intake, case_id, True, granted)  # the grant again, late
    with platform.uow_factory() as uow:
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)
    restriction(intake, case_id, True, granted + timedelta(minutes=3))  # a new grant
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        triage.triage_question(deps, uow, GetTriageQuestion(case_id), asked)


def test_escalation_stays_possible_without_consent(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake, consent=ConsentStatus.REFUSED)
    escalate = DecideRouting(case_id, Routing.ZVH_BRABANT_ZUIDOOST, None, "breakthrough", {})
    nom, [triaged] = run(platform, routing.decide_routing, deps, escalate, DIRECTOR)
    assert nom.status == Status.ROUTED
    assert triaged.process_director_person == "zorgcoordinator-1"


# -- point 7: no oracle, rate-limited, flagged -------------------------------------------------
def test_a_nominator_learns_nothing_of_a_link_and_probing_is_refused_and_flagged(intake):
    platform, _parts, deps = intake
    first = nominated(intake)
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR).nomination
    identity = known.identity
    probe = by_name_and_birth(
        identity.given_names, identity.family_name, identity.date_of_birth.isoformat()
    )
    prober = Caller(POLICE, "prober-1", "caseworker", party_status="active")
    flagged = []
    for _ in range(deps.settings.probe_limit):
        nom, emitted = run(platform, nominations.nominate, deps, probe, prober)
        assert nom.status == Status.LINKED
        flagged += [e for e in emitted if isinstance(e, ProbingFlagged)]
        with platform.uow_factory() as uow:
            view = nominations.get_nomination(deps, uow, GetNomination(nom.case_id), prober)
        assert view.full is False and view.linked == []
    [flag] = flagged
    assert (flag.nominating_party, flag.nominated_by) == (POLICE, "prober-1")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, nominations.nominate, deps, nomination(bsn=""), prober)
    assert any("GDPR art. 32" in r for r in denied.value.reasons)
    with platform.uow_factory() as uow:
        [listed] = oversight.probing_flags(deps, uow, ListProbingFlags(), MANAGER)
        assert listed.flag_id == flag.flag_id
        with pytest.raises(PermissionDenied):
            oversight.probing_flags(deps, uow, ListProbingFlags(), DIRECTOR)


# -- ListProbingFlags: paged in SQL, a constant number of queries (issue #16) -----------------
def flags_added(platform: Platform, n: int) -> None:
    at = utcnow()
    with platform.uow_factory() as uow:
        log = ProbeLog(uow)
        for i in range(n):
            log.flag(POLICE, f"prober-{i}", 5, timedelta(hours=1), at - timedelta(seconds=i % 17))
        uow.commit()


def probing_flags_rpc(intake, caller: Caller, **fields) -> pb.ListProbingFlagsResponse:
    platform, _parts, deps = intake
    servicer = IntakeServicer(deps, platform.uow_factory, Commands(platform.uow_factory, "t"))
    return call(servicer.ListProbingFlags, pb.ListProbingFlagsRequest(**fields), caller)


def test_probing_flags_of_10_or_200_take_the_same_queries_and_page_newest_first(intake):
    platform, _parts, _deps = intake
    counts = []
    for n in (10, 190):
        flags_added(platform, n)
        with statements() as sent:
            reply = probing_flags_rpc(intake, MANAGER, page_size=500)
        counts.append(len(sent))
    assert len(reply.flags) == 200 and not reply.next_page_token
    assert counts[0] == counts[1] and limited(sent)
    walked, token = [], ""
    while True:
        page = probing_flags_rpc(intake, MANAGER, page_size=30, page_token=token)
        walked += [f.flag_id for f in page.flags]
        token = page.next_page_token
        if not token:
            break
    assert walked == [f.flag_id for f in reply.flags]
    times = [f.flagged_at.ToDatetime() for f in reply.flags]
    assert times == sorted(times, reverse=True)
    with pytest.raises(InvalidArgument) as err:
        probing_flags_rpc(intake, MANAGER, page_token=page.next_page_token or "x")
    assert [f for f, _ in err.value.violations] == ["page_token"]
    with pytest.raises(PermissionDenied):
        probing_flags_rpc(intake, DIRECTOR)


def test_probing_flags_page_by_key_so_a_flag_raised_while_paging_repeats_none(intake):
    """The page token held an OFFSET: the last page cost more than the first (the database
    reads and drops every flag before it), and a flag raised while a manager paged shifted
    the newest-first list, so the next page showed a flag of the page before again. A page
    now continues after the last flag shown (flagged at, flag id), in SQL, without OFFSET."""
    platform, _parts, _deps = intake
    flags_added(platform, 40)
    first = probing_flags_rpc(intake, MANAGER, page_size=15)
    flags_added(platform, 1)  # newer than every flag shown: it belongs before the first page
    walked, token = [f.flag_id for f in first.flags], first.next_page_token
    with platform.uow_factory() as uow:
        # SQLAlchemy writes "OFFSET 0" after every LIMIT on SQLite: the SQL is told on PostgreSQL.
        on_postgresql = uow.session.connection().dialect.name == "postgresql"
    while token:
        with statements() as sent:
            page = probing_flags_rpc(intake, MANAGER, page_size=15, page_token=token)
        assert limited(sent)
        assert not on_postgresql or not [s for s in sent if "OFFSET" in s.upper()], sent
        walked += [f.flag_id for f in page.flags]
        token = page.next_page_token
    assert len(walked) == len(set(walked)) == 40


def test_an_outsider_is_told_the_same_of_a_nomination_it_has_no_part_in_as_of_none(intake):
    """8.4c, ADR 0005: an unknown case id answered NOT_FOUND (naming the id) while a real one
    answered PERMISSION_DENIED with the policy's reasons, so a party holding an id learned that
    a nomination exists. Every read and write by case id now answers a party with no part in
    the nomination exactly as it answers an id that names none, in every stage: nominated (in
    the intake queue), qualified, in triage and routed."""
    platform, _parts, deps = intake
    deadline = utcnow() + timedelta(days=1)
    start = lambda cid: StartTriage(cid, (POLICE,), deadline, ("safety",), "bekend?")  # noqa: E731
    # Four subjects (one subject's nominations would be linked to its first).
    in_queue = nominated(intake, bsn="200100002")
    qualified = nominated(intake, bsn="200100014")
    run(platform, assessment.assess, deps, qualify(qualified), DIRECTOR)
    in_triage = nominated(intake, bsn="200100026")
    run(platform, assessment.assess, deps, qualify(in_triage), DIRECTOR)
    run(platform, triage.start_triage, deps, start(in_triage), DIRECTOR)
    routed = nominated(intake, bsn="200100038")
    run(platform, assessment.assess, deps, qualify(routed), DIRECTOR)
    escalate = DecideRouting(routed, Routing.ZVH_BRABANT_ZUIDOOST, None, "breakthrough", {})
    run(platform, routing.decide_routing, deps, escalate, DIRECTOR)
    unknown = uuid.uuid4().hex

    def calls(cid: str) -> list:
        return [
            (nominations.get_nomination, GetNomination(cid)),
            (nominations.withdraw, Withdraw(cid, "")),
            (assessment.assess, qualify(cid)),
            (triage.start_triage, start(cid)),
            (triage.triage_question, GetTriageQuestion(cid)),
            (triage.answer_triage, AnswerTriage(cid, TriageAnswerKind.NOT_KNOWN, "", ())),
            (
                routing.decide_routing,
                DecideRouting(cid, Routing.ZVH_BRABANT_ZUIDOOST, None, "breakthrough", {}),
            ),
            (
                oversight.record_safety_override,
                RecordSafetyOverride(cid, "acuut gevaar", "collega-7", False, "nog niet"),
            ),
        ]

    for outsider in (OUTSIDER, CLAIMED_DIRECTOR):
        for case_id in (in_queue, qualified, in_triage, routed):
            for (handler, real), (_, none) in zip(calls(case_id), calls(unknown), strict=True):
                told = what_caller_is_told(platform, handler, deps, real, outsider)
                assert told[0] == "NotShared", (handler.__name__, told)  # PERMISSION_DENIED
                assert what_caller_is_told(platform, handler, deps, none, outsider) == told, (
                    handler.__name__
                )


def test_a_refusal_of_an_unknown_id_costs_the_policy_work_of_a_real_one_the_caller_has_no_part_in(
    intake,
):
    """A case id that names no nomination was refused at once (no policy asked), a real one the
    caller has no part in after two access decisions (the refusal, and whether it may know of
    the nomination): 0.24 ms against 18.6 ms (median of 40 GetNomination calls by a party not
    in the nomination, SQLite, embedded engine), so an outsider could tell a real id from one
    never given out by the time its refusal took, though the answer was the same. An unknown id
    now costs the same access decisions, on a stand-in nomination nobody has a part in (their
    answers are not used: still the one refusal; nor logged, nor counted)."""
    platform, _parts, deps = intake
    counting = CountingEngine(deps.policy.engine, "zorgtafel.intake.access")
    from zorgtafel.kernel.gate import PolicyGate

    spied = Deps(
        policy=PolicyGate(counting),
        pseudonyms=deps.pseudonyms,
        roster=deps.roster,
        settings=deps.settings,
    )
    real = nominated(intake)
    calls = (
        (nominations.get_nomination, lambda i: GetNomination(i)),
        (nominations.withdraw, lambda i: Withdraw(i, "")),
        (triage.triage_question, lambda i: GetTriageQuestion(i)),
        (assessment.assess, qualify),
    )
    for handler, command in calls:
        for who in (OUTSIDER, CLAIMED_DIRECTOR):
            work = []
            for case_id in (real, uuid.uuid4().hex):
                counting.evaluated = 0
                with platform.uow_factory() as uow, pytest.raises(NotShared):
                    handler(spied, uow, command(case_id), who)
                work.append(counting.evaluated)
            assert work[0] == work[1] and work[0] > 0, (handler.__name__, who.person, work)


@pytest.mark.parametrize(
    "colleague", ["zorgcoordinator-1", "Zorgcoordinator-1", "ZORGCOORDINATOR-1"]
)
def test_a_safety_override_names_a_colleague_other_than_the_one_recording_it(intake, colleague):
    """Bijlage 3: consent refused is overridden only after consulting a colleague; the process
    director naming itself (in any case) consulted no one. INVALID_ARGUMENT naming
    consulted_colleague, without repeating what was typed, and nothing recorded."""
    platform, _parts, deps = intake
    case_id = nominated(intake, consent=ConsentStatus.REFUSED)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    override = RecordSafetyOverride(case_id, "acuut gevaar", colleague, False, "nog niet: vlucht")
    with pytest.raises(InvalidArgument) as refused:
        run(platform, oversight.record_safety_override, deps, override, DIRECTOR)
    assert refused.value.violations[0][0] == "consulted_colleague"
    assert colleague not in str(refused.value)
    other = RecordSafetyOverride(case_id, "acuut gevaar", "collega-7", False, "nog niet: vlucht")
    run(platform, oversight.record_safety_override, deps, other, DIRECTOR)


@pytest.mark.parametrize("field", ["reason", "client_information"])
@pytest.mark.parametrize("text", [".", "-", "\u200b", "\u00ad", "\U0001f6a8", " . "])
def test_a_safety_override_without_a_worded_account_is_invalid_argument(field, text):
    """A reason (or how the client was told) of a dot, a dash, a zero-width space, a soft hyphen
    or an emoji only is no account a reviewer can read (Bijlage 3), as for disclosure's
    break-glass: INVALID_ARGUMENT naming the field."""
    fields = {"reason": "acuut gevaar", "client_information": "nog niet: vlucht", field: text}
    req = pb.RecordSafetyOverrideRequest(
        case_id=uuid.uuid4().hex, consulted_colleague="collega-7", **fields
    )
    with pytest.raises(InvalidArgument) as refused:
        proto_mapping.safety_override_in(req)
    assert refused.value.violations[0][0] == field


@pytest.mark.parametrize(
    "invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u180e"]
)
def test_a_name_typed_with_an_invisible_character_is_linked_to_the_subjects_nomination(
    intake, invisible
):
    """1.1: a subject already nominated is linked, never nominated twice. A soft hyphen, a
    zero-width space or joiner, a word joiner or a byte order mark (pasted from a document with
    the name) shows the same name but made another match key, so the same subject had two open
    nominations, two pseudonyms and two process directors."""
    platform, _parts, deps = intake
    first = nominated(intake, bsn="")
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR).nomination
    family = known.identity.family_name
    again = by_name_and_birth(
        f"An{invisible}na",
        f"{family[:3]}{invisible}{family[3:]}",
        known.identity.date_of_birth.isoformat(),
    )
    other = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    nom, _ = run(platform, nominations.nominate, deps, again, other)
    assert nom.status == Status.LINKED and nom.linked_to_case_id == first
    assert nom.subject_pseudonym == known.subject_pseudonym


def test_a_rejection_for_criteria_not_met_is_refused_when_the_judged_criteria_are_met(intake):
    """Art. 1.4: the judged criteria decide, not the reason code typed beside them. Rejected
    as "criteria not met" while the process director judged (A or B) and C and D to hold, the
    nominating party was told its case does not meet the criteria beside the judgement and
    grounds that say it does: FAILED_PRECONDITION criteria_met, nothing recorded; rejecting
    it for another reason stays possible."""
    platform, _parts, deps = intake
    case_id = nominated(intake)
    contradiction = Assess(case_id, False, RejectionReason.CRITERIA_NOT_MET, "nee", True, judged())
    with pytest.raises(FailedPrecondition) as refused:
        run(platform, assessment.assess, deps, contradiction, DIRECTOR)
    assert refused.value.state == "criteria_met"
    with platform.uow_factory() as uow:
        nom = nominations.get_nomination(deps, uow, GetNomination(case_id), DIRECTOR).nomination
    assert nom.status == Status.NOMINATED and nom.criteria is None
    other = Assess(case_id, False, RejectionReason.REGULAR_CARE_SUFFICES, "nee", True, judged())
    rejected, _ = run(platform, assessment.assess, deps, other, DIRECTOR)
    assert rejected.status == Status.REJECTED


@pytest.mark.parametrize("ago", [timedelta(hours=1), timedelta(0)])
def test_a_nomination_whose_usage_terms_have_already_expired_is_invalid_argument(intake, ago):
    """16.2: after the terms' expiry only the person who nominated reads or withdraws the
    nomination. Nominated with terms already expired, no process director could read, assess
    or list it, yet it was the subject's open nomination: every later nomination of the same
    subject, by any party, was linked to it and waited behind it, unseen, so the subject never
    reached the Zorgtafel. INVALID_ARGUMENT naming usage_terms.expires_at, nothing stored: a
    later nomination of the subject is a nomination of its own."""
    _platform, _parts, deps = intake
    expires_at = (deps.clock() - ago).isoformat().replace("+00:00", "Z")
    terms = {"purposes": ["care_coordination"], "expires_at": expires_at}
    refused_and_nothing_stored(intake, terms, "usage_terms.expires_at")


def test_a_nomination_whose_terms_expired_while_open_does_not_hold_back_a_later_one(intake):
    """16.2: once the terms of an open nomination have expired, no process director reads,
    assesses or lists it; a later nomination of the same subject by another party was linked
    behind it and so never reached a process director. It is now a nomination of its own (in
    the queue, assessable), and the expired one is linked to nothing: its nominator learns
    nothing of the later one; what waited behind the expired one waits behind the new one."""
    platform, _parts, deps = intake
    soon = (deps.clock() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    terms = {"purposes": ["care_coordination"], "expires_at": soon}
    held, _ = run(platform, nominations.nominate, deps, with_terms(terms), NOMINATING)
    waiting, _ = run(platform, nominations.nominate, deps, nomination(bsn="123456782"), OUTSIDER)
    assert waiting.status == Status.LINKED
    later = dataclasses.replace(deps, clock=lambda: utcnow() + timedelta(hours=2))
    police = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    nom, _ = run(platform, nominations.nominate, later, nomination(bsn="123456782"), police)
    assert nom.status == Status.NOMINATED and not nom.linked_to_case_id
    assessed, _ = run(platform, assessment.assess, later, qualify(nom.case_id), DIRECTOR)
    assert assessed.status == Status.QUALIFIED
    with platform.uow_factory() as uow:
        view = nominations.get_nomination(later, uow, GetNomination(held.case_id), NOMINATING)
        assert view.linked == [] and not view.nomination.linked_to_case_id
        full = nominations.get_nomination(later, uow, GetNomination(nom.case_id), DIRECTOR)
        assert full.linked == [waiting.case_id]


def test_a_nomination_no_party_named_by_its_terms_can_direct_does_not_hold_back_another(intake):
    """16.2, 12.3: terms that name only parties without a designated process director (the
    one named lost its directors) leave nobody who may act on the nomination; a later one of
    the same subject is a nomination of its own, assessable by a director of another party."""
    platform, _parts, deps = intake
    terms = {"purposes": ["care_coordination"], "recipient_parties": [HELMOND]}
    held, _ = run(platform, nominations.nominate, deps, with_terms(terms), NOMINATING)
    assert held.status == Status.NOMINATED
    for director in (DIRECTOR, OTHER_DIRECTOR):
        set_roster(platform, "process_director", director.party, director.person, held=False)
    elsewhere = Caller(FARENT, "zorgcoordinator-9", "process_director", party_status="active")
    set_roster(platform, "process_director", elsewhere.party, elsewhere.person)
    police = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    nom, _ = run(platform, nominations.nominate, deps, nomination(bsn="123456782"), police)
    assert nom.status == Status.NOMINATED and not nom.linked_to_case_id
    assessed, _ = run(platform, assessment.assess, deps, qualify(nom.case_id), elsewhere)
    assert assessed.status == Status.QUALIFIED


@pytest.mark.parametrize("named", [[ASTEN], [POLICE, FARENT]])
def test_terms_naming_no_party_with_a_process_director_are_invalid_argument(intake, named):
    """16.2, 12.3: terms whose recipient parties (with the nominating party, whose own
    information it is) have no designated process director leave nobody to assess the
    nomination. INVALID_ARGUMENT naming usage_terms.recipient_parties, nothing stored: a later
    nomination of the subject is a nomination of its own."""
    platform, _parts, deps = intake
    terms = {"purposes": ["care_coordination"], "recipient_parties": named}
    refused_and_nothing_stored(intake, terms, "usage_terms.recipient_parties")
    named_director = dataclasses.replace(
        nomination(bsn=""),
        usage_terms={"purposes": ["care_coordination"], "recipient_parties": [*named, HELMOND]},
    )
    nom, _ = run(platform, nominations.nominate, deps, named_director, NOMINATING)
    assert nom.status == Status.NOMINATED


def probing_setup(intake, **limits: int):  # noqa: ANN001, ANN201
    """(platform, deps with these probing ``limits``, a nomination of a subject already known)."""
    platform, _parts, deps = intake
    deps = dataclasses.replace(deps, settings=dataclasses.replace(deps.settings, **limits))
    first = nominated(intake)
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR).nomination
    probe = dataclasses.replace(
        nomination(bsn=""),
        given_names=known.identity.given_names,
        family_name=known.identity.family_name,
    )
    return platform, deps, probe


def test_a_party_probing_through_many_of_its_persons_is_refused_and_flagged_at_the_party_limit(
    intake,
):
    """Bijlage 3, GDPR art. 32: matches were counted per nominating person only, so a party
    that let many of its persons (or minted tokens for many person ids) nominate a known
    subject once or twice each probed without end. Matches are now counted per party too: at
    the party's limit in the window every further nomination by any person of that party is
    refused, another party's persons still nominate. Reaching the party's limit raised no flag
    (dcc7165), so the managers never saw it: now it raises ProbingFlagged once, for the party
    (no one person named: its persons together), listed by ListProbingFlags."""
    platform, deps, probe = probing_setup(intake, probe_limit=3, probe_party_limit=4)
    flagged = []
    for i in range(4):  # four persons, one match each: no person near its own limit
        prober = Caller(POLICE, f"prober-{i}", "caseworker", party_status="active")
        nom, emitted = run(platform, nominations.nominate, deps, probe, prober)
        assert nom.status == Status.LINKED
        flagged += [e for e in emitted if isinstance(e, ProbingFlagged)]
    [flag] = flagged
    assert (flag.nominating_party, flag.nominated_by, flag.matches) == (POLICE, "", 4)
    fresh = Caller(POLICE, "prober-new", "caseworker", party_status="active")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, nominations.nominate, deps, nomination(bsn=""), fresh)
    assert any("GDPR art. 32" in r and "party" in r for r in denied.value.reasons)
    nom, emitted = run(platform, nominations.nominate, deps, probe, OUTSIDER)
    assert nom.status == Status.LINKED
    assert not [e for e in emitted if isinstance(e, ProbingFlagged)]
    with platform.uow_factory() as uow:
        [listed] = oversight.probing_flags(deps, uow, ListProbingFlags(), MANAGER)
    assert (listed.flag_id, listed.nominating_party, listed.nominated_by) == (
        flag.flag_id,
        POLICE,
        "",
    )


# -- a replayed request after the case's purge (nothing twice) ----------------------------------
def nominate_rpc(intake, request: pb.NominateRequest, caller: Caller) -> pb.NominateResponse:
    platform, _parts, deps = intake
    servicer = IntakeServicer(deps, platform.uow_factory, Commands(platform.uow_factory, "t"))
    reply: pb.NominateResponse = call(servicer.Nominate, request, caller)
    return reply


def nominate_request(request_id: str) -> pb.NominateRequest:
    return pb.NominateRequest(
        request_id=request_id,
        subject=pb.SubjectIdentity(
            given_names="Anna", family_name=f"Jansen-{uuid.uuid4().hex[:6]}", bsn="111222333"
        ),
        problems=[pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_SAFETY, description="bedreigd")],
        safety=pb.SafetyConcerns(serious_local_safety_problem=True, multiple_chains_needed=True),
        chains_involved=[pb.CHAIN_CARE, pb.CHAIN_COERCION_AND_PRESSURE],
        consent_status=pb.CONSENT_STATUS_GIVEN,
        usage_terms=common_pb2.UsageTerms(purposes=["care_coordination"]),
    )


def nomination_count(platform: Platform) -> int:
    with platform.uow_factory() as uow:
        t = uow.tables["nominations"]
        return int(uow.session.execute(select(func.count()).select_from(t)).scalar_one())


def test_a_nomination_replayed_after_its_case_was_purged_is_refused_not_made_again(intake):
    """The stored answer goes with the purged case (1.2); what is left of the request id is
    that it was used and its case purged, so a partner's late retry (its outbox redelivering)
    is FAILED_PRECONDITION request_purged, never a second nomination of the subject."""
    platform, parts, _deps = intake
    request = nominate_request(f"req-{uuid.uuid4()}")
    first = nominate_rpc(intake, request, NOMINATING)
    assert nominate_rpc(intake, request, NOMINATING) == first  # a replay: the stored answer
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": first.case_id})
    before = nomination_count(platform)
    with pytest.raises(FailedPrecondition) as refused:
        nominate_rpc(intake, request, NOMINATING)
    assert refused.value.state == "request_purged"
    assert first.case_id not in str(refused.value)
    # A colleague's replay of the id, with other content, is refused too, telling nothing.
    with pytest.raises(FailedPrecondition):
        nominate_rpc(intake, nominate_request(request.request_id), COLLEAGUE)
    assert nomination_count(platform) == before
    # Only the fact is kept: no case id, no digest of the request, not the id itself.
    with platform.uow_factory() as uow:
        t = uow.tables["command_results"]
        kept = uow.session.execute(select(t)).all()
    assert all(first.case_id not in repr(row) for row in kept)


def test_a_colleagues_replay_of_a_request_id_with_other_content_is_refused_telling_nothing(
    intake,
):
    platform, _parts, _deps = intake
    request = nominate_request(f"req-{uuid.uuid4()}")
    first = nominate_rpc(intake, request, NOMINATING)
    before = nomination_count(platform)
    with pytest.raises(FailedPrecondition) as refused:
        nominate_rpc(intake, nominate_request(request.request_id), COLLEAGUE)
    assert refused.value.state == "request_id_used"
    assert first.case_id not in str(refused.value) and first.case_id not in repr(refused.value)
    # Another party's id of the same spelling is its own: a nomination of its own.
    other = nominate_rpc(intake, nominate_request(request.request_id), OUTSIDER)
    assert other.case_id != first.case_id
    assert nomination_count(platform) == before + 1


def same_name(first: str, *, bsn: str, date_of_birth: str = "2000-01-01") -> Callable:
    """A nomination of someone named as the subject of ``first`` is."""

    def make(intake) -> Nominate:
        platform, _parts, deps = intake
        with platform.uow_factory() as uow:
            known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR)
        return dataclasses.replace(
            nomination(bsn=bsn),
            family_name=known.nomination.identity.family_name,
            date_of_birth=date_of_birth,
        )

    return make


def test_two_nominations_whose_bsns_differ_are_never_one_subject(intake):
    """Two people of the same name and date of birth with different BSNs were linked as one
    subject: they shared a pseudonym, so one person's access or erasure by pseudonym reached
    the other's data (GDPR art. 15, 17). Differing BSNs are two people, whatever else matches;
    the same BSN again still links to its own subject, and a nomination without a BSN still
    links by name and date of birth."""
    platform, _parts, deps = intake
    first = nominated(intake, bsn="111222333")
    other = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    second, _ = run(
        platform,
        nominations.nominate,
        deps,
        same_name(first, bsn="123456782")(intake),
        other,
    )
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR)
    assert second.status == Status.NOMINATED and second.linked_to_case_id == ""
    assert second.subject_pseudonym != known.nomination.subject_pseudonym
    assert known.linked == []
    again, _ = run(
        platform, nominations.nominate, deps, same_name(first, bsn="123456782")(intake), other
    )
    assert again.status == Status.LINKED and again.linked_to_case_id == second.case_id
    assert again.subject_pseudonym == second.subject_pseudonym
    unnumbered, _ = run(
        platform, nominations.nominate, deps, same_name(first, bsn="")(intake), other
    )
    assert unnumbered.status == Status.LINKED and unnumbered.linked_to_case_id == first
    # Linked to the first by name: a third BSN is still another person than the first's.
    third, _ = run(
        platform, nominations.nominate, deps, same_name(first, bsn="999999990")(intake), other
    )
    assert third.status == Status.NOMINATED and third.linked_to_case_id == ""


def test_a_bsn_given_later_does_not_join_a_subject_known_by_another_bsn(intake):
    """A subject first nominated without a BSN and linked by name and date of birth to a
    nomination with one carries that BSN: a nomination of the same name with another BSN is
    another person, not linked to either."""
    platform, _parts, deps = intake
    first = nominated(intake, bsn="")
    other = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    numbered, _ = run(
        platform, nominations.nominate, deps, same_name(first, bsn="111222333")(intake), other
    )
    assert numbered.linked_to_case_id == first
    stranger, _ = run(
        platform, nominations.nominate, deps, same_name(first, bsn="123456782")(intake), other
    )
    assert stranger.status == Status.NOMINATED and stranger.linked_to_case_id == ""
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first), DIRECTOR)
    assert stranger.subject_pseudonym != known.nomination.subject_pseudonym


def test_a_name_without_a_date_of_birth_does_not_make_two_nominations_one_subject(intake):
    """A name alone is shared by strangers: nominated without a date of birth (and without a
    BSN or V-number), two people of the same name were linked as one subject with one
    pseudonym, so one person's access or erasure by pseudonym reached the other's data. Now
    each is its own subject; the same name with a date of birth still links."""
    platform, _parts, deps = intake
    first = nominated(intake, bsn="")
    other = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    undated = same_name(first, bsn="", date_of_birth="")(intake)
    one, _ = run(platform, nominations.nominate, deps, undated, NOMINATING)
    two, _ = run(platform, nominations.nominate, deps, undated, other)
    assert one.status == two.status == Status.NOMINATED
    assert one.linked_to_case_id == two.linked_to_case_id == ""
    assert len(one.subject_pseudonym) == len(two.subject_pseudonym) == 64
    assert one.subject_pseudonym != two.subject_pseudonym
    dated, _ = run(platform, nominations.nominate, deps, same_name(first, bsn="")(intake), other)
    assert dated.linked_to_case_id == first


def test_two_nominations_whose_v_numbers_differ_are_never_one_subject(intake):
    """Two people of the same name and date of birth with different V-numbers (the aliens'
    registration number) were linked as one subject, as with different BSNs before: one
    pseudonym, so one person's access or erasure by pseudonym reached the other's data (GDPR
    art. 15, 17). Any official identifier that differs makes two people; the same V-number
    again links to its own subject, a nomination without one links by name and date of birth,
    and a third V-number is then still another person than the first's."""
    platform, _parts, deps = intake
    first, _ = run(
        platform,
        nominations.nominate,
        deps,
        dataclasses.replace(nomination(bsn=""), v_number="1000000001"),
        NOMINATING,
    )
    other = Caller(POLICE, "worker-5", "caseworker", party_status="active")

    def of(v_number: str) -> Nominate:
        return dataclasses.replace(same_name(first.case_id, bsn="")(intake), v_number=v_number)

    second, _ = run(platform, nominations.nominate, deps, of("2000000002"), other)
    assert second.status == Status.NOMINATED and second.linked_to_case_id == ""
    assert second.subject_pseudonym != first.subject_pseudonym
    again, _ = run(platform, nominations.nominate, deps, of("2000000002"), other)
    assert again.status == Status.LINKED and again.linked_to_case_id == second.case_id
    assert again.subject_pseudonym == second.subject_pseudonym
    unnumbered, _ = run(platform, nominations.nominate, deps, of(""), other)
    assert unnumbered.linked_to_case_id == first.case_id
    third, _ = run(platform, nominations.nominate, deps, of("3000000003"), other)
    assert third.status == Status.NOMINATED and third.linked_to_case_id == ""
    with platform.uow_factory() as uow:
        known = nominations.get_nomination(deps, uow, GetNomination(first.case_id), DIRECTOR)
    assert known.linked == [unnumbered.case_id]


BIDI_MARKS = ["\u200e", "\u200f", "\u061c"]  # left-to-right, right-to-left, Arabic letter mark


@pytest.mark.parametrize("mark", BIDI_MARKS)
def test_a_name_or_account_with_a_bidi_mark_is_refused_naming_the_field(intake, mark):
    """A left-to-right, right-to-left or Arabic letter mark turns how the console shows the
    digits and punctuation around it, as the embeddings and overrides refused before did, so a
    name or an account read otherwise than it was stored: INVALID_ARGUMENT naming the field,
    and nothing nominated (the match keys leave the marks out, as every format character)."""
    platform, _parts, deps = intake
    before = nomination_count(platform)
    for field, named in (
        ("family_name", "subject.family_name"),
        ("given_names", "subject.given_names"),
    ):
        marked = dataclasses.replace(nomination(), **{field: f"Jan{mark}sen (2)"})
        with pytest.raises(InvalidArgument) as refused:
            run(platform, nominations.nominate, deps, marked, NOMINATING)
        assert refused.value.violations[0][0] == named
    assert nomination_count(platform) == before
    override = pb.RecordSafetyOverrideRequest(
        case_id=uuid.uuid4().hex,
        consulted_colleague="collega-7",
        reason=f"acuut gevaar {mark}(1-2)",
        client_information="nog niet: vlucht",
    )
    with pytest.raises(InvalidArgument) as refused:
        proto_mapping.safety_override_in(override)
    assert refused.value.violations[0][0] == "reason"


def test_what_a_nomination_linked_behind_a_stale_one_told_of_the_subject_still_finds_it(intake):
    """1.1, 16.2: a nomination linked behind an open one adds the identity facts only it gave
    (here a BSN) to the subject's tokens, held by the open one. When that one went stale (its
    terms expired) its tokens were freed, those facts with them, though the linked nomination
    went on waiting behind the nomination that took the subject over: a later nomination of
    the subject known by that BSN alone was then a subject of its own (two pseudonyms, two
    process directors). The nomination that takes the subject over now holds them."""
    platform, _parts, deps = intake
    soon = (deps.clock() + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    terms = {"purposes": ["care_coordination"], "expires_at": soon}
    unnumbered = nomination(bsn="")
    held, _ = run(
        platform,
        nominations.nominate,
        deps,
        dataclasses.replace(unnumbered, usage_terms=terms),
        NOMINATING,
    )
    numbered = dataclasses.replace(unnumbered, bsn="123456782")
    waiting, _ = run(platform, nominations.nominate, deps, numbered, OUTSIDER)
    assert waiting.linked_to_case_id == held.case_id
    later = dataclasses.replace(deps, clock=lambda: utcnow() + timedelta(hours=2))
    police = Caller(POLICE, "worker-5", "caseworker", party_status="active")
    taking_over, _ = run(platform, nominations.nominate, later, unnumbered, police)
    assert taking_over.status == Status.NOMINATED
    by_bsn_alone = dataclasses.replace(nomination(bsn="123456782"), date_of_birth="")
    again, _ = run(platform, nominations.nominate, later, by_bsn_alone, police)
    assert again.status == Status.LINKED
    assert again.linked_to_case_id == taking_over.case_id
    assert again.subject_pseudonym == taking_over.subject_pseudonym


def test_a_nominator_probing_under_its_id_in_other_cases_is_refused_at_its_limit(intake):
    """Bijlage 3, GDPR art. 32: a person's matches were counted by its id as typed, while a
    person id names its person without case (validate.same_person, the token's subject): a
    nominator sending its tokens as "Prober-x", "PROBER-X", ... probed past its own limit, one
    spelling at a time. Its matches are now counted under its id in any case."""
    platform, deps, probe = probing_setup(intake, probe_limit=3, probe_party_limit=100)
    person = f"prober-{uuid.uuid4().hex[:6]}"
    for spelling in (person, person.upper(), person.capitalize()):
        prober = Caller(POLICE, spelling, "caseworker", party_status="active")
        nom, _ = run(platform, nominations.nominate, deps, probe, prober)
        assert nom.status == Status.LINKED
    again = Caller(POLICE, person.swapcase().capitalize(), "caseworker", party_status="active")
    with pytest.raises(PermissionDenied) as denied:
        run(platform, nominations.nominate, deps, nomination(bsn=""), again)
    assert any("GDPR art. 32" in r for r in denied.value.reasons)
