"""The case's state machine (covenant 1.2, 8.4, 12.2, 13, Bijlage 2) without I/O: every
transition, and every refusal as FAILED_PRECONDITION naming the state."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from services.casework.domain import events as ev
from services.casework.domain.involvement import involved_parties
from services.casework.domain.model import (
    RECORD_KINDS,
    ActionStatus,
    Case,
    CaseState,
    Meeting,
    MeetingStatus,
    PartyRole,
    PlanAction,
    cleansing_plan,
)
from services.casework.domain.timeline import entry_for
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, NotFound
from zorgtafel.kernel.validate import check_codes, check_date, check_oin, check_text

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)
PD, CD, SHELTER = "00000099000000000053", "00000099000000000042", "00000099000000000051"


def new_case() -> Case:
    return Case(
        case_id="case-1",
        state=CaseState.OPEN,
        process_director_party=PD,
        nominating_party="00000099000000000066",
        subject_pseudonym="ps-1",
        age_band="16_plus",
        opened_at=NOW,
        themes=("safety",),
        triage_invitees=(SHELTER,),
    )


def meeting(status=MeetingStatus.SCHEDULED, case_id="case-1") -> Meeting:
    return Meeting(
        "m-1", case_id, status, NOW, "stabilise", ("plan",), ("safety",), (CD, SHELTER), ()
    )


def case_in(state: CaseState) -> Case:
    case = new_case()
    if state is CaseState.OPEN:
        return case
    case.schedule_meeting()
    if state is CaseState.MEETING_PLANNED:
        return case
    case.appoint_director(CD, "cd-1")
    case.set_criteria(("safe_housing",))
    case.adopt_plan()
    if state is CaseState.PLAN_ACTIVE:
        return case
    case.deescalate(("safe_housing",), NOW)
    if state is CaseState.DEESCALATING:
        return case
    case.close(NOW)
    if state is CaseState.CLOSED:
        return case
    case.purge(NOW, timedelta(0))
    return case


def refused(fn, state: str):
    with pytest.raises(FailedPrecondition) as err:
        fn()
    assert err.value.state == state
    assert f"(state: {state})" in err.value.message
    return err.value


def test_case_walks_open_to_purged_in_order():
    case = new_case()
    case.schedule_meeting()
    assert case.state is CaseState.MEETING_PLANNED
    m = meeting()
    case.record_meeting(m, (CD,), NOW)
    assert m.status is MeetingStatus.HELD and m.attendees == (CD,)
    case.appoint_director(CD, "cd-1")
    case.set_criteria(("safe_housing", "regular_care"))
    assert case.adopt_plan() == 1
    assert case.state is CaseState.PLAN_ACTIVE
    case.schedule_meeting()  # a follow-up meeting keeps the plan active
    assert case.state is CaseState.PLAN_ACTIVE
    case.deescalate(("regular_care", "safe_housing"), NOW)
    assert case.state is CaseState.DEESCALATING
    assert case.criteria == {"safe_housing": True, "regular_care": True}
    assert case.close(NOW) == "successful"
    assert case.state is CaseState.CLOSED
    case.purge(NOW + timedelta(days=1), timedelta(days=1))
    assert case.state is CaseState.PURGED


@pytest.mark.parametrize("state", [CaseState.DEESCALATING, CaseState.CLOSED, CaseState.PURGED])
def test_meeting_cannot_be_scheduled_once_deescalating(state):
    case = case_in(state)
    refused(case.schedule_meeting, state.value)


@pytest.mark.parametrize("state", [CaseState.OPEN, CaseState.DEESCALATING, CaseState.CLOSED])
def test_meeting_decisions_refused_outside_meeting_states(state):
    case = case_in(state)
    refused(lambda: case.appoint_director(CD, "x"), state.value)
    refused(lambda: case.set_criteria(("a",)), state.value)
    refused(case.set_roles, state.value)
    refused(case.adopt_plan, state.value)
    refused(lambda: case.record_meeting(meeting(), (CD,), NOW), state.value)


def test_meeting_recorded_twice_is_refused_naming_the_meeting_state():
    case = case_in(CaseState.MEETING_PLANNED)
    m = meeting()
    case.record_meeting(m, (CD,), NOW)
    refused(lambda: case.record_meeting(m, (CD,), NOW), "held")


def test_decision_needs_a_held_meeting_of_this_case():
    case = case_in(CaseState.MEETING_PLANNED)
    refused(lambda: case.require_held(meeting(), "m-1"), "scheduled")
    with pytest.raises(InvalidArgument) as err:
        case.require_held(meeting(MeetingStatus.HELD, case_id="other"), "m-1")
    assert err.value.violations[0][0] == "meeting_id"
    assert case.require_held(meeting(MeetingStatus.HELD), "m-1").meeting_id == "m-1"


def test_plan_needs_no_case_director():
    # 13.1: a case director "kan ... worden aangewezen" (optional).
    case = case_in(CaseState.MEETING_PLANNED)
    assert case.case_director_person is None
    assert case.adopt_plan() == 1
    assert case.state is CaseState.PLAN_ACTIVE


def test_party_names_a_delegate_once_and_releases_it():
    case = case_in(CaseState.MEETING_PLANNED)
    assert case.name_delegate(CD, "p-1") is True
    assert case.name_delegate(CD, "p-1") is False
    assert case.name_delegate(CD, "p-2") is True
    assert case.delegates == {CD: ("p-1", "p-2")}
    case.release_delegate(CD, "p-1")
    case.release_delegate(CD, "p-2")
    assert case.delegates == {}
    with pytest.raises(NotFound):
        case.release_delegate(CD, "p-1")


def test_no_delegates_are_named_in_a_closed_case():
    refused(lambda: case_in(CaseState.CLOSED).name_delegate(CD, "p-1"), "closed")


def test_involved_parties_are_the_invitees_attendees_and_parties_with_a_role():
    case = new_case()
    held = meeting(MeetingStatus.HELD)
    held.invitees, held.attendees = ("00000099000000000071",), ("00000099000000000072",)
    roles = [PartyRole("00000099000000000073", "care", ())]
    parties = involved_parties(case, [held], roles)
    assert set(case.triage_invitees) <= set(parties)
    assert {"00000099000000000071", "00000099000000000072", "00000099000000000073"} <= set(parties)
    assert parties == sorted(set(parties))


@pytest.mark.parametrize("state", [CaseState.OPEN, CaseState.MEETING_PLANNED, CaseState.CLOSED])
def test_action_updates_refused_without_an_active_plan(state):
    refused(case_in(state).update_action, state.value)


@pytest.mark.parametrize(
    "state",
    [
        CaseState.OPEN,
        CaseState.MEETING_PLANNED,
        CaseState.DEESCALATING,
        CaseState.CLOSED,
        CaseState.PURGED,
    ],
)
def test_deescalation_only_from_an_active_plan(state):
    refused(lambda: case_in(state).deescalate(("safe_housing",), NOW), state.value)


def test_deescalation_refused_until_every_criterion_is_met():
    case = new_case()
    case.schedule_meeting()
    case.appoint_director(CD, "cd-1")
    case.set_criteria(("safe_housing", "regular_care"))
    case.adopt_plan()
    err = refused(lambda: case.deescalate(("safe_housing",), NOW), "plan_active")
    assert "regular_care" in err.message
    with pytest.raises(InvalidArgument):
        case.deescalate(("safe_housing", "regular_care", "invented"), NOW)
    assert case.state is CaseState.PLAN_ACTIVE


def test_deescalation_refused_when_no_criteria_were_set():
    case = new_case()
    case.schedule_meeting()
    case.appoint_director(CD, "cd-1")
    case.adopt_plan()
    err = refused(lambda: case.deescalate((), NOW), "plan_active")
    assert "no de-escalation criteria" in err.message


@pytest.mark.parametrize(
    "state", [CaseState.OPEN, CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE, CaseState.PURGED]
)
def test_close_only_while_deescalating(state):
    refused(lambda: case_in(state).close(NOW), state.value)


@pytest.mark.parametrize(
    "state",
    [CaseState.OPEN, CaseState.MEETING_PLANNED, CaseState.PLAN_ACTIVE, CaseState.DEESCALATING],
)
def test_escalation_at_any_time_before_closing(state):
    case = case_in(state)
    case.escalate("zvh_brabant_noordoost", "breakthrough_needed", NOW)
    assert case.escalated_zvh == "zvh_brabant_noordoost"
    assert case.state is state
    refused(lambda: case.escalate("zvh_brabant_zuidoost", "care_and_safety_edge", NOW), "escalated")


@pytest.mark.parametrize("state", [CaseState.CLOSED, CaseState.PURGED])
def test_escalation_refused_after_closing(state):
    refused(
        lambda: case_in(state).escalate("zvh_brabant_zuidoost", "breakthrough_needed", NOW),
        state.value,
    )


def test_escalation_to_an_unknown_zvh_or_reason_is_invalid():
    case = case_in(CaseState.OPEN)
    with pytest.raises(InvalidArgument) as err:
        case.escalate("zvh_elsewhere", "breakthrough_needed", NOW)
    assert err.value.violations[0][0] == "zvh"
    with pytest.raises(InvalidArgument) as err:
        case.escalate("zvh_brabant_zuidoost", "boredom", NOW)
    assert err.value.violations[0][0] == "reason"


def test_escalated_case_closes_with_outcome_escalated():
    case = case_in(CaseState.DEESCALATING)
    case.escalate("zvh_brabant_zuidoost", "care_and_safety_edge", NOW)
    assert case.close(NOW) == "escalated"


def test_purge_waits_for_the_retention_period():
    case = case_in(CaseState.CLOSED)
    err = refused(lambda: case.purge(NOW + timedelta(days=10), timedelta(days=30)), "closed")
    assert "retention" in err.message
    case.purge(NOW + timedelta(days=30), timedelta(days=30))
    assert case.state is CaseState.PURGED


@pytest.mark.parametrize(
    "state", [CaseState.OPEN, CaseState.PLAN_ACTIVE, CaseState.DEESCALATING, CaseState.PURGED]
)
def test_purge_only_a_closed_case(state):
    refused(lambda: case_in(state).purge(NOW, timedelta(0)), state.value)


def test_overdue_is_an_unfinished_action_past_its_due_date():
    a = PlanAction("a-1", "case-1", 1, SHELTER, "find housing", date(2026, 11, 1))
    assert a.overdue_on(date(2026, 11, 24)) and a.days_overdue(date(2026, 11, 24)) == 23
    assert not a.overdue_on(date(2026, 11, 1))
    a.status = ActionStatus.DONE
    assert not a.overdue_on(date(2026, 11, 24))


def test_cleansing_keeps_only_the_configured_record_kinds():
    cleansed, kept = cleansing_plan({"criteria", "timeline"})
    assert kept == ("criteria", "timeline")
    assert set(cleansed) | set(kept) == set(RECORD_KINDS)
    assert "minutes" in cleansed and "plan" in cleansed
    assert cleansing_plan(set()) == (RECORD_KINDS, ())


def test_timeline_entries_hold_ids_and_codes_never_the_subject():
    opened = ev.CaseOpened(
        case_id="case-1",
        subject_pseudonym="ps-secret",
        nominating_party=PD,
        age_band="16_plus",
        invitees=(CD,),
        process_director_party=PD,
    )
    kind, parties, details = entry_for(opened)
    assert kind == "case.opened" and "ps-secret" not in repr(details)
    kind, parties, details = entry_for(
        ev.ActionUpdated(case_id="case-1", action_id="a-1", party=SHELTER, status="done")
    )
    assert (kind, parties) == ("action.updated", [SHELTER])
    assert entry_for(ev.CasePurged(case_id="case-1")) is None


@pytest.mark.parametrize(
    "fn,value,field",
    [
        (check_oin, "123", "party"),
        (lambda v, f: check_codes([v], f), "Not A Code", "themes"),
        (check_date, "2026-13-01", "due_date"),
        (check_date, "tomorrow", "due_date"),
        (check_text, "", "what"),
        (check_text, "x" * 20_001, "what"),
    ],
)
def test_malformed_fields_are_invalid_argument_naming_the_field(fn, value, field):
    with pytest.raises(InvalidArgument) as err:
        fn(value, field)
    assert err.value.violations[0][0].startswith(field)


def test_a_case_its_process_director_left_is_taken_over_once_and_in_decision_order():
    """12.3: a case whose process director's designation ended has none until a designated
    one takes it over (for its own party); one someone directs is taken over by nobody, and a
    case nobody ever directed is not one its process director left. Each is a decision after
    the case's previous one."""
    case = new_case()
    with pytest.raises(FailedPrecondition):
        case.take_over(SHELTER, "pd-2", NOW)
    left = case.director_left(NOW)
    assert case.left_by_its_director and case.process_director_person == ""
    taken = case.take_over(SHELTER, "pd-2", NOW - timedelta(hours=1))  # a clock behind
    assert taken > left and not case.left_by_its_director
    assert (case.process_director_party, case.process_director_person) == (SHELTER, "pd-2")
    with pytest.raises(FailedPrecondition):
        case.take_over(PD, "pd-3", NOW)
    never = new_case()
    never.process_director_person = ""
    assert not never.left_by_its_director


def test_the_actions_that_take_a_case_over_are_the_process_directors_of_the_act_policy():
    """What a designated process director does to take over a case its process director left
    (the handlers' DIRECTING) is what act.rego lets only the process director do."""
    import re
    from pathlib import Path

    from services.casework.service_layer.handlers.common import DIRECTING

    rego = (Path(__file__).parents[3] / "policies/rego/casework/act.rego").read_text()
    (line,) = re.findall(r"^process_director_acts := \{(.*)\}$", rego, re.M)
    assert DIRECTING == {a.strip().strip('"') for a in line.split(",")}
