"""Intake's use cases through its handlers, as the kernel builds them (migrated database, the
embedded policy engine, the key ring and case keys) but without gRPC or a broker: a nomination
is stored and announced, the access policy refuses with its reasons, a refused transition names
its state, a bad field is named, and casework's purge erases the case with its key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

import pytest

from services.intake.bootstrap import Deps, make_deps
from services.intake.domain.commands import Assess, GetNomination, Nominate, StartTriage
from services.intake.domain.events import CaseAssessed, CaseNominated
from services.intake.domain.model import Problem, Safety
from services.intake.domain.vocabulary import (
    Chain,
    ConsentStatus,
    LifeDomain,
    RejectionReason,
    Status,
)
from services.intake.service_layer.handlers import assessment, nominations, triage
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound, PermissionDenied
from zorgtafel.kernel.events import DomainEvent
from zorgtafel.kernel.service import Platform, ServiceParts
from zorgtafel.kernel.uow import utcnow
from zorgtafel.testing import deliver, handler_platform, set_party_status

ASTEN = "00000099000000000001"  # nominates
HELMOND = "00000099000000000018"  # the process director's party
POLICE = "00000099000000000061"  # asked in triage
FARENT = "00000099000000000042"  # not involved
EXCLUDED = "00000099000000000063"  # excluded from the covenant (art. 23.2)

T = TypeVar("T")
NOMINATING = Caller(ASTEN, "worker-1", "caseworker", party_status="active")
DIRECTOR = Caller(HELMOND, "zorgcoordinator-1", "process_director", party_status="active")
OUTSIDER = Caller(FARENT, "worker-9", "caseworker", party_status="active")


@pytest.fixture
def intake(data_dir, database_url):
    with handler_platform("intake", data_dir, database_url) as (platform, parts):
        for party in (ASTEN, HELMOND, POLICE, FARENT):
            set_party_status(platform, party, "active")
        set_party_status(platform, EXCLUDED, "excluded")
        yield platform, parts, make_deps(platform)


def run(
    platform: Platform, handler: Callable[..., T], deps: Deps, command: object, caller: Caller
) -> tuple[T, list[DomainEvent]]:
    """One handler call in its own committed unit of work: (result, events it emitted)."""
    with platform.uow_factory() as uow:
        result = handler(deps, uow, command, caller)
        uow.commit()
        return result, list(uow.published)


def nomination(bsn: str = "111222333") -> Nominate:
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
        consent=ConsentStatus.GIVEN,
        usage_terms={"purposes": ["care_coordination"]},
    )


def nominated(intake: tuple[Platform, ServiceParts, Deps]) -> str:
    platform, _parts, deps = intake
    nom, _ = run(platform, nominations.nominate, deps, nomination(), NOMINATING)
    return nom.case_id


def test_the_process_director_assesses_a_nomination_with_the_criteria_policys_advice(intake):
    platform, _parts, deps = intake
    nom, emitted = run(platform, nominations.nominate, deps, nomination(), NOMINATING)
    assert nom.status == Status.NOMINATED and len(nom.subject_pseudonym) == 64
    [announced] = emitted
    assert isinstance(announced, CaseNominated) and announced.nominating_party == ASTEN

    assessed, emitted = run(
        platform,
        assessment.assess,
        deps,
        Assess(nom.case_id, True, None, "voldoet", True),
        DIRECTOR,
    )
    assert assessed.status == Status.QUALIFIED
    assert assessed.advice.qualifies is True  # A, C and D hold (Bijlage 2)
    assert assessed.advice.criteria_held == ("A", "C", "D")
    assert [type(e) for e in emitted] == [CaseAssessed]
    with platform.uow_factory() as uow:
        read, linked = nominations.get_nomination(deps, uow, GetNomination(nom.case_id), NOMINATING)
    assert read.identity.bsn == "111222333" and linked == []


def test_a_party_that_neither_nominated_nor_directs_is_refused_with_the_policys_reasons(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as denied:
        nominations.get_nomination(deps, uow, GetNomination(case_id), OUTSIDER)
    assert denied.value.policy == "zorgtafel.intake.access"
    assert any("art. 8.4c" in reason for reason in denied.value.reasons)


def test_an_excluded_party_is_not_asked_in_triage_and_the_refusal_says_why(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, Assess(case_id, True, None, "ja", True), DIRECTOR)
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
        run(platform, assessment.assess, deps, Assess(case_id, False, None, "nee", True), DIRECTOR)
    assert invalid.value.violations[0][0] == "rejection_reason"
    rejected, _ = run(
        platform,
        assessment.assess,
        deps,
        Assess(case_id, False, RejectionReason.OTHER, "nee", True),
        DIRECTOR,
    )
    assert rejected.status == Status.REJECTED


def test_casework_purging_the_case_erases_the_nomination_and_destroys_its_key(intake):
    platform, parts, deps = intake
    case_id = nominated(intake)
    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})
    with platform.uow_factory() as uow:
        assert platform.case_keys.find(uow.session, case_id) is None
        with pytest.raises(NotFound):
            nominations.get_nomination(deps, uow, GetNomination(case_id), NOMINATING)
