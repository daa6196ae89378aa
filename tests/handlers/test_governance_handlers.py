"""Governance's use cases called directly (no gRPC, no broker): a migrated database seeded with
the covenant's parties and seats, and the embedded policy engine, as
``zorgtafel.testing.handler_platform`` builds them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from services.governance.bootstrap import Deps, make_deps
from services.governance.domain import commands as c
from services.governance.domain.bodies import Body
from services.governance.domain.decisions import ProposalKind, ProposalStatus
from services.governance.domain.disputes import DisputeAbout
from services.governance.domain.parties import PartyStatus
from services.governance.service_layer.handlers import (
    disputes,
    membership,
    parties,
    proposals,
    report,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from zorgtafel.testing import deliver, handler_platform

GRAVE = "00000099000000000016"  # the board chair's party (art. 4.3)
ASTEN = "00000099000000000001"
TARGET = "00000099000000000047"
LEAVER = "00000099000000000044"

CHAIR = Caller(GRAVE, "chair-1", "board_chair", party_status="active")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def governance(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with handler_platform("governance", tmp_path_factory.mktemp("governance"), url) as built:
        yield built


@pytest.fixture(scope="module")
def deps(governance) -> Deps:
    return make_deps(governance[0])


@pytest.fixture(scope="module")
def chair(governance, deps) -> Caller:
    """The mayor of Grave in the board's chair (art. 4.3)."""
    run(governance, deps, parties.assign_seat, c.AssignSeat("regional_board.01"), CHAIR)
    return CHAIR


def run(governance, deps: Deps, handler, cmd, caller: Caller):  # noqa: ANN001, ANN201
    """One command in one unit of work, committed as the kernel's ``Commands`` would."""
    platform, _ = governance
    with platform.uow_factory() as uow:
        result = handler(deps, uow, cmd, caller)
        uow.commit()
        return result


def consume(governance, topic: str, event_type: str, data: dict, time=None) -> None:
    platform, parts = governance
    assert ev.TOPIC[event_type.split(".")[2]] == topic
    deliver(platform, parts, event_type, data, time=time)


def test_the_board_chair_puts_a_matter_to_the_board_from_the_chair(governance, deps, chair):
    view = run(
        governance,
        deps,
        proposals.propose,
        c.Propose(
            body=Body.REGIONAL_BOARD, kind=ProposalKind.GENERAL, subject_code="strategy-2026"
        ),
        chair,
    )
    assert view.proposal.status is ProposalStatus.OPEN
    assert view.proposal.proposed_by_party == GRAVE
    platform, _ = governance
    with platform.uow_factory() as uow:
        stored = proposals.get(uow, view.proposal.proposal_id).proposal
        assert (stored.body, stored.subject_code) == (Body.REGIONAL_BOARD, "strategy-2026")


def test_a_person_of_another_party_cannot_take_the_chair_and_the_policy_says_why(governance, deps):
    intruder = Caller(ASTEN, "intruder-1", "board_chair", party_status="active")
    with pytest.raises(PermissionDenied) as err:
        run(governance, deps, parties.assign_seat, c.AssignSeat("regional_board.01"), intruder)
    assert err.value.policy == "zorgtafel.governance"
    assert any("art. 4.3" in reason for reason in err.value.reasons)
    platform, _ = governance
    with platform.uow_factory() as uow:
        assert uow.seats.get("regional_board.01").holder_party != ASTEN


def test_exclusion_without_a_notice_of_default_is_refused_23_2(governance, deps, chair):
    with pytest.raises(FailedPrecondition) as err:
        run(
            governance,
            deps,
            proposals.propose,
            c.Propose(
                body=Body.REGIONAL_BOARD,
                kind=ProposalKind.EXCLUSION,
                subject_code="breach",
                target_party=TARGET,
            ),
            chair,
        )
    assert err.value.state == "no_notice_of_default"
    assert "23.2" in err.value.message


def test_free_text_as_a_subject_is_invalid_argument_naming_the_field(governance, deps, chair):
    with pytest.raises(InvalidArgument) as err:
        run(
            governance,
            deps,
            proposals.propose,
            c.Propose(
                body=Body.REGIONAL_BOARD,
                kind=ProposalKind.GENERAL,
                subject_code="Free text about Jan",
            ),
            chair,
        )
    assert [field for field, _ in err.value.violations] == ["subject_code"]


def test_a_case_id_wider_than_the_suites_is_invalid_argument(governance, deps):
    director = Caller(ASTEN, "director-1", "process_director", party_status="active")
    with pytest.raises(InvalidArgument) as err:
        run(
            governance,
            deps,
            disputes.register_dispute,
            c.RegisterDispute(DisputeAbout.CASE_DIRECTOR, "c" * 65),
            director,
        )
    assert err.value.violations[0][0] == "case_id"


def test_a_withdrawal_takes_effect_when_the_timer_finds_it_due_21_3(governance, deps):
    platform, parts = governance
    delegate = Caller(LEAVER, "delegate-1", "council_delegate", party_status="active")
    run(
        governance,
        deps,
        parties.assign_seat,
        c.AssignSeat(f"partner_council.delegate.{LEAVER}"),
        delegate,
    )
    effective_at = datetime.now(timezone.utc) - timedelta(minutes=1)
    # Announced an hour earlier, for a date that has passed since.
    earlier = replace(deps, now=lambda: effective_at - timedelta(hours=1))
    withdrawal = run(
        governance,
        earlier,
        membership.withdraw,
        c.Withdraw("", effective_at, "letter-2026-07"),
        delegate,
    )
    assert not withdrawal.effective
    assert parts.party_status(LEAVER) == PartyStatus.ACTIVE.value
    [timer] = parts.tasks
    timer.run()
    assert parts.party_status(LEAVER) == PartyStatus.WITHDRAWN.value
    with platform.uow_factory() as uow:
        assert not uow.seats.held_on_behalf_of(LEAVER)  # its people leave the bodies


def test_casework_and_disclosure_facts_are_counted_for_the_annual_report(governance):
    platform, _ = governance
    at = "2033-04-01T10:00:00+00:00"
    when = datetime.fromisoformat(at)  # the CloudEvent time of casework's facts
    opened = {
        "case_id": "c1",
        "subject_pseudonym": "ps-1",
        "nominating_party": ASTEN,
        "age_band": "16_plus",
        "invitees": [],
        "process_director_party": ASTEN,
    }
    consume(governance, ev.TOPIC["casework"], ev.CASE_OPENED, opened, time=when)
    closed = {"case_id": "c1", "outcome": "successful"}
    consume(governance, ev.TOPIC["casework"], ev.CASE_CLOSED, closed, time=when)
    decided = {
        "decision_id": "d1",
        "case_id": "c1",
        "item_id": "i1",
        "provider": ASTEN,
        "recipient_party": ASTEN,
        "purpose": "safety",
        "result": "break_glass",
        "policy_revision": "r1",
        "decided_at": at,
    }
    consume(governance, ev.TOPIC["disclosure"], ev.DISCLOSURE_DECIDED, decided)
    with platform.uow_factory() as uow:
        counted = report.annual_report(uow, 2033)
    assert (
        counted.cases_handled,
        counted.cases_closed_successfully,
        counted.disclosures_break_glass,
        counted.escalations,
    ) == (1, 1, 1, 0)


def test_a_purged_case_leaves_no_reference_in_disputes(governance, deps):
    platform, _ = governance
    director = Caller(ASTEN, "director-2", "process_director", party_status="active")
    dispute = run(
        governance,
        deps,
        disputes.register_dispute,
        c.RegisterDispute(DisputeAbout.CASE_DIRECTOR, "case-purged-1"),
        director,
    )
    consume(governance, ev.TOPIC["casework"], ev.CASE_PURGED, {"case_id": "case-purged-1"})
    with platform.uow_factory() as uow:
        assert disputes.get_dispute(uow, dispute.dispute_id).case_id is None


def test_governance_answers_party_status_from_its_own_parties(governance):
    _, parts = governance
    assert parts.party_status(GRAVE) == "active"
    assert parts.party_status("00000000000000000000") == "unknown"
