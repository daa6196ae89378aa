"""Casework's use cases called directly (no gRPC, no broker): a migrated database, the
embedded policy engine and the case keys, as ``zorgtafel.testing.handler_platform`` builds
them. The case is opened the way it is in production: from intake's triage outcome, through
the consumed-event handler."""

from __future__ import annotations

import dataclasses
import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from services.casework.bootstrap import Deps, make_deps
from services.casework.domain import commands as c
from services.casework.domain.model import ActionStatus, Case, CaseState, MeetingStatus, PlanAction
from services.casework.entrypoints import proto_mapping
from services.casework.entrypoints.grpc_api import CaseworkServicer
from services.casework.service_layer.handlers import (
    closing,
    common,
    decisions,
    delegates,
    meetings,
    monitoring,
    reading,
    restating,
)
from services.casework.service_layer.handlers.common import ACT, VIEW, load_case
from tests.support.cases import LUMENS, POLICE, SHELTER, VEILIG_THUIS, triaged
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel import paging
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import (
    FailedPrecondition,
    InvalidArgument,
    NotShared,
    PermissionDenied,
    Unavailable,
)
from zorgtafel.policy import schemas
from zorgtafel.testing import (
    deliver,
    handler_platform,
    restriction_changed,
    set_party_status,
    set_roster,
    what_caller_is_told,
)
from zorgtafel.testing.statements import (
    call,
    limited,
    plan_without_scans_or_sorts,
    sent_with_parameters,
    statements,
)

GGD = "00000099000000000043"  # active, not this case's process director
SOCIOM = "00000099000000000063"  # excluded (art. 23.2)

DIRECTOR = Caller(LUMENS, "zorgcoordinator-1", "process_director", party_status="active")
# Designated too, at the same party, but directing other cases (12.3).
OTHER_DIRECTOR = Caller(LUMENS, "zorgcoordinator-2", "process_director", party_status="active")
NOT_A_PARTY = "00000099000000000777"


def who(party: str, person: str, role: str = "caseworker") -> Caller:
    return Caller(party, person, role, party_status="active")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def casework(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with handler_platform("casework", tmp_path_factory.mktemp("casework"), url) as built:
        platform, _parts = built
        for party in (VEILIG_THUIS, LUMENS, SHELTER, POLICE, GGD):
            set_party_status(platform, party)
        set_party_status(platform, SOCIOM, "excluded")
        for person in (DIRECTOR.person, OTHER_DIRECTOR.person):
            set_roster(platform, "process_director", LUMENS, person)
        yield built


@pytest.fixture(scope="module")
def deps(casework) -> Deps:
    return make_deps(casework[0])


def open_case(casework) -> str:
    """Intake's triage outcome, applied by casework's consumed-event handler."""
    platform, parts = casework
    case_id = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(case_id, DIRECTOR.person))
    return case_id


def schedule(
    case_id: str, *, goal_code: str = "stabilise_and_protect", invitees=(SHELTER, POLICE)
) -> c.ScheduleMeeting:
    return c.ScheduleMeeting(
        case_id=case_id,
        scheduled_for=datetime.now(timezone.utc) + timedelta(days=3),
        goal_code=goal_code,
        decision_types=("plan_of_approach",),
        themes=("safety",),
        invitees=tuple(c.InviteeIn(p, ("safety",)) for p in invitees),
        pre_read_item_ids=(),
    )


def test_process_director_schedules_a_meeting_with_lawful_invitees(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        meeting = meetings.schedule_meeting(deps, uow, schedule(case_id), DIRECTOR)
        uow.commit()
    assert meeting.status is MeetingStatus.SCHEDULED
    assert meeting.invitees == (SHELTER, POLICE)
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).state is CaseState.MEETING_PLANNED
        timeline = [row.kind for row in uow.cases.timeline_after(case_id, 0)]
    assert timeline == ["case.opened", "meeting.scheduled"]


def test_another_process_director_is_denied_with_the_policys_reasons(casework, deps):
    """Told to a process director whose party has a part in the case; one of a party with no
    part is told only what an unknown id is told (8.4c), the access log keeping the reasons."""
    platform, _ = casework
    case_id = open_case(casework)
    colleague = Caller(LUMENS, "pd-3", "process_director", party_status="active")
    other = Caller(GGD, "pd-2", "process_director", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        meetings.schedule_meeting(deps, uow, schedule(case_id), colleague)
    assert err.value.policy == "zorgtafel.casework.act"
    assert any("Only the process director" in r for r in err.value.reasons)
    with platform.uow_factory() as uow, pytest.raises(NotShared) as outsider:
        meetings.schedule_meeting(deps, uow, schedule(case_id), other)
    assert outsider.value.reasons == NotShared("case", "case_id").reasons
    assert not outsider.value.decision_id and not outsider.value.policy
    assert outsider.value.logged.policy == "zorgtafel.casework.act"
    assert any("Only the process director" in r for r in outsider.value.logged.reasons)


def test_a_refusal_to_a_party_with_a_part_says_the_case_not_its_id(casework, deps):
    """The reasons of a refusal go out with it (and to the console, the logs): they say 'the
    case', never the id the caller typed, which it knows (as disclosure's refusals)."""
    platform, _ = casework
    case_id = open_case(casework)
    told = [
        what_caller_is_told(platform, meetings.schedule_meeting, deps, schedule(case_id), caller)
        for caller in (OTHER_DIRECTOR, Caller(LUMENS, "pd-3", "process_director", "active"))
    ] + [what_caller_is_told(platform, reading.get_case, deps, c.GetCase(case_id), OTHER_DIRECTOR)]
    for kind, message, reasons, *_ in told:
        assert kind == "PermissionDenied" and reasons
        assert all(case_id not in r for r in (message, *reasons)), reasons


def test_designated_process_director_of_another_case_is_denied_citing_12_3(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        meetings.schedule_meeting(deps, uow, schedule(case_id), OTHER_DIRECTOR)
    assert any("art. 12.3" in r for r in err.value.reasons)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        reading.get_case(deps, uow, c.GetCase(case_id), OTHER_DIRECTOR)
    assert any("art. 12.3" in r for r in err.value.reasons)


def test_process_director_no_longer_designated_is_denied(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    set_roster(platform, "process_director", LUMENS, "zorgcoordinator-3")
    former = who(LUMENS, "zorgcoordinator-3", "process_director")
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id, for_update=True)
        case.process_director_person = former.person  # as if intake had named this person
        uow.cases.save(case)
        uow.commit()
    set_roster(platform, "process_director", LUMENS, former.person, held=False)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        meetings.schedule_meeting(deps, uow, schedule(case_id), former)
    assert any("art. 12.3" in r for r in err.value.reasons)


def ended(function: str, party: str, person: str) -> dict:
    """Governance's RosterChanged ending ``person``'s ``function`` for ``party`` (held false)."""
    return {
        "function": function,
        "party": party,
        "person": person,
        "held": False,
        "changed_at": datetime.now(timezone.utc).isoformat(),
    }


def test_the_cases_of_a_process_director_whose_designation_ended_have_no_director(casework, deps):
    """12.3: when governance ends a process director's designation (RosterChanged, held
    false), the open cases that person directs (its id in any case) stay open with no process
    director; a case another person directs, and another function's end, change nothing. The
    one who left acts on none of them; disclosure and governance are told that nobody directs
    them. Delivered twice, the end changes nothing more (the time it was released stays)."""
    platform, parts = casework
    leaving = who(LUMENS, "zorgcoordinator-8", "process_director")
    set_roster(platform, "process_director", LUMENS, leaving.person)
    mine = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(mine, leaving.person))
    in_other_case = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(in_other_case, "ZorgCoordinator-8"))
    not_mine = open_case(casework)
    deliver(platform, parts, ev.ROSTER_CHANGED, ended("manager", LUMENS, leaving.person))
    with platform.uow_factory() as uow:
        assert load_case(uow, mine).process_director_person == leaving.person
    deliver(platform, parts, ev.ROSTER_CHANGED, ended("process_director", LUMENS, leaving.person))
    with platform.uow_factory() as uow:
        released = [load_case(uow, case_id) for case_id in (mine, in_other_case)]
        assert load_case(uow, not_mine).process_director_person == DIRECTOR.person
        assert load_case(uow, not_mine).process_director_left_at is None
    for case in released:
        assert case.state is CaseState.OPEN and case.process_director_person == ""
        assert case.process_director_party == LUMENS and case.process_director_left_at
    deliver(platform, parts, ev.ROSTER_CHANGED, ended("process_director", LUMENS, leaving.person))
    with platform.uow_factory() as uow:
        again = [load_case(uow, case_id) for case_id in (mine, in_other_case)]
    assert again == released
    for case_id in (mine, in_other_case):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            meetings.schedule_meeting(deps, uow, schedule(case_id), leaving)
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            reading.get_case(deps, uow, c.GetCase(case_id), leaving)
    # Disclosure and governance are told: nobody directs it, for the party it was directed for.
    for case_id in (mine, in_other_case):
        (told,) = outbox(platform, case_id, ev.PROCESS_DIRECTOR_CHANGED)
        assert told["party"] == LUMENS and told["person"] == "" and told["changed_at"]


def test_a_case_whose_process_director_left_is_taken_over_by_a_designated_one(casework, deps):
    """12.3: a case is directed by its process director alone; when governance ended that
    designation (revoked, or the party left the covenant: RosterChanged, held false) the case
    stayed in the hands of a person who may act on nothing, and nobody could take it over. As
    intake does for the nominations such a person took up (684d838), the case should stay open
    without a director, and the designated process director who acts on it next takes it over
    (recorded); the one who left acts on nothing. Delivered twice, the end changes nothing more."""
    platform, parts = casework
    leaving = who(LUMENS, "zorgcoordinator-7", "process_director")
    set_roster(platform, "process_director", LUMENS, leaving.person)
    case_id = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(case_id, leaving.person))
    ended = {
        "function": "process_director",
        "party": LUMENS,
        "person": leaving.person,
        "held": False,
        "changed_at": datetime.now(timezone.utc).isoformat(),
    }
    for _ in range(2):
        deliver(platform, parts, ev.ROSTER_CHANGED, ended)
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
        assert case.state is CaseState.OPEN and not case.process_director_person
    with platform.uow_factory() as uow:
        meetings.schedule_meeting(deps, uow, schedule(case_id), OTHER_DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).process_director_person == OTHER_DIRECTOR.person
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        reading.get_case(deps, uow, c.GetCase(case_id), DIRECTOR)


def left_case(casework, person: str) -> str:
    """A case directed by ``person`` of Lumens, whose designation governance then ended."""
    platform, parts = casework
    set_roster(platform, "process_director", LUMENS, person)
    case_id = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(case_id, person))
    deliver(platform, parts, ev.ROSTER_CHANGED, ended("process_director", LUMENS, person))
    return case_id


def test_the_process_director_who_takes_a_case_over_directs_it_and_is_told_on(casework, deps):
    """12.3: the one who takes over a case its process director left directs it from then on
    (for its own party), and disclosure and governance are told who directs it now; a designated
    process director of another active party may take it over as one of the left one's. Then it
    is directed again: nobody else takes it over (no hijack), and the one who took it over is
    not taken off it by the end of the designation of the one who left, delivered again."""
    platform, parts = casework
    case_id = left_case(casework, "zorgcoordinator-10")
    ggd_director = who(GGD, "pd-ggd-1", "process_director")
    set_roster(platform, "process_director", GGD, ggd_director.person)
    with platform.uow_factory() as uow:
        meetings.schedule_meeting(deps, uow, schedule(case_id), ggd_director)
        uow.commit()
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
        timeline = [row.kind for row in uow.cases.timeline_after(case_id, 0)]
    assert (case.process_director_party, case.process_director_person) == (GGD, "pd-ggd-1")
    assert not case.left_by_its_director and case.process_director_left_at is None
    assert timeline[-2:] == ["process_director.changed", "meeting.scheduled"]
    released, taken = outbox(platform, case_id, ev.PROCESS_DIRECTOR_CHANGED)
    assert (taken["party"], taken["person"]) == (GGD, "pd-ggd-1")
    assert taken["changed_at"] > released["changed_at"]
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), ggd_director)
    assert seen is not None
    for other in (OTHER_DIRECTOR, who(LUMENS, "zorgcoordinator-10", "process_director")):
        # Lumens has no part in it any more: told as of a case id never given out (8.4c).
        with platform.uow_factory() as uow, pytest.raises(NotShared) as err:
            meetings.schedule_meeting(deps, uow, schedule(case_id), other)
        assert any("art. 12.3" in r for r in err.value.logged.reasons)
    deliver(
        platform, parts, ev.ROSTER_CHANGED, ended("process_director", LUMENS, "zorgcoordinator-10")
    )
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).process_director_person == "pd-ggd-1"
    assert len(outbox(platform, case_id, ev.PROCESS_DIRECTOR_CHANGED)) == 2


def test_who_is_no_designated_process_director_of_an_active_party_takes_over_nothing(
    casework, deps
):
    """12.3: a case its process director left is taken over only by a designated process
    director (the roster, never the token's role) of an active party (23.2), and only by
    directing it: a delegate's or a case director's act, a read, or a refused act takes
    nothing over. Nor is a case someone still directs."""
    platform, parts = casework
    case_id = left_case(casework, "zorgcoordinator-11")
    claiming = who(LUMENS, "zorgcoordinator-12", "process_director")  # not on the roster
    manager = who(LUMENS, "manager-1", "manager")
    set_roster(platform, "manager", LUMENS, manager.person)
    excluded = who(SOCIOM, "pd-sociom-1", "process_director")
    set_roster(platform, "process_director", SOCIOM, excluded.person)
    excluded = dataclasses.replace(excluded, party_status="excluded")
    for caller in (claiming, manager, excluded):
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
            meetings.schedule_meeting(deps, uow, schedule(case_id), caller)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        reading.get_case(deps, uow, c.GetCase(case_id), OTHER_DIRECTOR)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        monitoring.overdue_actions(deps, uow, c.ListOverdueActions(case_id), OTHER_DIRECTOR)
    # A refusal after the policy let it through (no date given) takes nothing over.
    undated = dataclasses.replace(schedule(case_id), scheduled_for=None)
    with platform.uow_factory() as uow, pytest.raises(InvalidArgument):
        meetings.schedule_meeting(deps, uow, undated, OTHER_DIRECTOR)
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
    assert case.left_by_its_director and case.process_director_person == ""
    assert len(outbox(platform, case_id, ev.PROCESS_DIRECTOR_CHANGED)) == 1
    # A case its process director still directs.
    directed = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        meetings.schedule_meeting(deps, uow, schedule(directed), OTHER_DIRECTOR)
    with platform.uow_factory() as uow:
        assert not load_case(uow, directed).left_by_its_director


def test_a_case_opened_without_a_process_director_awaits_one_and_is_taken_over(casework, deps):
    """12.3: intake's triage outcome named no process director person (an event of an intake
    before it named one; the field is "" then): casework opened the case with nobody directing
    it and, as one nobody ever directed, let nobody take it over, so nobody could ever act on
    it. Now such a case awaits a process director from its opening (left_at: the opening),
    is listed to a designated process director and taken over by directing it, as a case whose
    director left; the opening still names nobody to disclosure and governance."""
    platform, parts = casework
    case_id = f"case-{uuid.uuid4()}"
    deliver(platform, parts, ev.CASE_TRIAGED, triaged(case_id, ""))
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
    assert case.state is CaseState.OPEN and case.process_director_person == ""
    assert case.left_by_its_director and case.process_director_left_at is not None
    (opened,) = outbox(platform, case_id, ev.CASE_OPENED)
    assert opened["process_director_person"] == ""
    ggd_director = designated(platform, f"pd-ggd-{uuid.uuid4().hex[:8]}", GGD)
    listed = {a.case_id: a for a in every_awaiting(casework, deps, ggd_director)}
    assert listed[case_id].party == LUMENS
    with platform.uow_factory() as uow:
        meetings.schedule_meeting(deps, uow, schedule(case_id), ggd_director)
        uow.commit()
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
    assert (case.process_director_party, case.process_director_person) == (
        GGD,
        ggd_director.person,
    )
    (taken,) = outbox(platform, case_id, ev.PROCESS_DIRECTOR_CHANGED)
    assert (taken["party"], taken["person"]) == (GGD, ggd_director.person)
    assert case_id not in [a.case_id for a in every_awaiting(casework, deps, ggd_director)]


def test_case_opened_names_its_process_director_person(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).process_director_person == DIRECTOR.person
    (opened,) = outbox(platform, case_id, ev.CASE_OPENED)
    assert opened["process_director_person"] == DIRECTOR.person


def held_meeting(casework, deps, case_id: str, invitees=(SHELTER, POLICE)) -> str:
    platform, _ = casework
    with platform.uow_factory() as uow:
        m = meetings.schedule_meeting(deps, uow, schedule(case_id, invitees=invitees), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        meetings.record_meeting(
            deps, uow, c.RecordMeeting(case_id, m.meeting_id, invitees, "notes"), DIRECTOR
        )
        uow.commit()
    return m.meeting_id


def outbox(platform, case_id: str, event_type: str) -> list[dict]:
    with platform.uow_factory() as uow:
        t = uow.tables["outbox"]
        rows = uow.session.execute(
            select(t.c.data).where(t.c.case_id == case_id, t.c.type == event_type)
        )
        return [json.loads(r.data) for r in rows]


def appoint(casework, deps, case_id, meeting_id, party, person="casusregisseur-1", by=DIRECTOR):
    platform, _ = casework
    with platform.uow_factory() as uow:
        case = decisions.appoint_director(
            deps, uow, c.AppointDirector(case_id, meeting_id, party, person), by
        )
        uow.commit()
    return case


def test_case_director_from_a_party_never_invited_is_denied_citing_13_1(casework, deps):
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    with pytest.raises(PermissionDenied) as err:
        appoint(casework, deps, case_id, meeting_id, GGD)
    assert any("art. 13.1" in r and "not involved" in r for r in err.value.reasons)


def test_case_director_from_an_oin_that_is_not_a_party_is_denied_citing_13_1(casework, deps):
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    with pytest.raises(PermissionDenied) as err:
        appoint(casework, deps, case_id, meeting_id, NOT_A_PARTY)
    assert any("art. 13.1" in r and "not a party" in r for r in err.value.reasons)


def test_case_director_without_a_person_is_invalid_argument(casework, deps):
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    with pytest.raises(InvalidArgument) as err:
        appoint(casework, deps, case_id, meeting_id, SHELTER, person="")
    assert [f for f, _ in err.value.violations] == ["person"]


def test_only_the_named_case_director_acts_as_case_director(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    appoint(casework, deps, case_id, meeting_id, SHELTER, "casusregisseur-1")
    plan = c.AdoptPlan(case_id, meeting_id, (c.NewActionIn(POLICE, "x", "2030-01-01"),))
    colleague = who(SHELTER, "casusregisseur-2", "case_director")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        decisions.adopt_plan(deps, uow, plan, colleague)
    assert any("art. 13.1" in r for r in err.value.reasons)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        reading.get_case(deps, uow, c.GetCase(case_id), colleague)
    named = who(SHELTER, "casusregisseur-1", "case_director")
    with platform.uow_factory() as uow:
        version, _ = decisions.adopt_plan(deps, uow, plan, named)
        uow.commit()
    assert version == 1


def test_a_plan_needs_no_case_director(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    plan = c.AdoptPlan(case_id, meeting_id, (c.NewActionIn(POLICE, "x", "2030-01-01"),))
    with platform.uow_factory() as uow:
        version, actions = decisions.adopt_plan(deps, uow, plan, DIRECTOR)
        uow.commit()
    assert version == 1 and len(actions) == 1
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).state is CaseState.PLAN_ACTIVE


def test_a_role_or_an_action_goes_only_to_a_party_involved_in_the_case(casework, deps):
    """8.4c, 12.2e: GGD was never invited (in triage or to a meeting), so the invite policy
    never admitted it; a role or a plan action would make it involved (a recipient of the
    case's information) past that check. SHELTER and POLICE, invited, may be given both."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    stranger_role = c.SetRoles(
        case_id,
        meeting_id,
        (c.RoleIn(SHELTER, "shelter", ("safety",)), c.RoleIn(GGD, "health", ())),
    )
    stranger_action = c.AdoptPlan(case_id, meeting_id, (c.NewActionIn(GGD, "x", "2030-01-01"),))
    for handler, cmd, field in (
        (decisions.set_roles, stranger_role, "roles.party"),
        (decisions.adopt_plan, stranger_action, "actions.party"),
    ):
        with platform.uow_factory() as uow, pytest.raises(InvalidArgument) as err:
            handler(deps, uow, cmd, DIRECTOR)
        assert [f for f, _ in err.value.violations] == [field]
    with platform.uow_factory() as uow:
        decisions.set_roles(
            deps,
            uow,
            c.SetRoles(case_id, meeting_id, (c.RoleIn(SHELTER, "shelter", ("safety",)),)),
            DIRECTOR,
        )
        decisions.adopt_plan(
            deps,
            uow,
            c.AdoptPlan(case_id, meeting_id, (c.NewActionIn(POLICE, "x", "2030-01-01"),)),
            DIRECTOR,
        )
        uow.commit()
    # A follow-up meeting without SHELTER keeps SHELTER's role: involved by it already.
    follow_up = held_meeting(casework, deps, case_id, invitees=(POLICE,))
    with platform.uow_factory() as uow:
        roles = decisions.set_roles(
            deps,
            uow,
            c.SetRoles(
                case_id,
                follow_up,
                (c.RoleIn(SHELTER, "shelter", ("safety",)), c.RoleIn(POLICE, "safety", ())),
            ),
            DIRECTOR,
        )
        uow.commit()
    assert [r.party for r in roles] == sorted([SHELTER, POLICE])


def test_the_process_director_names_and_a_delegate_releases_a_delegate_of_its_party(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)  # SHELTER was invited in triage
    with platform.uow_factory() as uow:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).delegates == {SHELTER: ("sh-1",)}
    (named,) = outbox(platform, case_id, ev.DELEGATE_NAMED)
    assert {k: v for k, v in named.items() if k != "changed_at"} == {
        "case_id": case_id,
        "party": SHELTER,
        "person": "sh-1",
    }
    with platform.uow_factory() as uow:
        delegates.release_delegate(
            deps, uow, c.ReleaseDelegate(case_id, "sh-1"), who(SHELTER, "sh-1")
        )
        uow.commit()
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).delegates == {}
    assert len(outbox(platform, case_id, ev.DELEGATE_RELEASED)) == 1


def test_a_case_is_restated_with_who_has_a_part_in_it_through_the_outbox(casework, deps):
    """``zorgtafel restate-cases`` (after an upgrade, for governance's case_facts): each case
    casework holds, its process director, invited and attending parties, the parties with a
    role and what each needs to know, its case director and delegates, ids and codes only; a
    purged case is not restated."""
    platform, _ = casework
    case_id = open_case(casework)  # SHELTER and POLICE invited in triage
    meeting_id = held_meeting(casework, deps, case_id, invitees=(SHELTER, GGD))
    shelter_delegate(casework, deps, case_id, meeting_id, ("safety",))
    appoint(casework, deps, case_id, meeting_id, SHELTER, "casusregisseur-9")
    erased = open_case(casework)
    with platform.uow_factory() as uow:
        closing.erase(uow, erased, datetime.now(timezone.utc))
        uow.commit()

    restated = restating.restate_all(platform.uow_factory)
    assert case_id in restated and erased not in restated
    (fact,) = outbox(platform, case_id, ev.CASE_RESTATED)
    assert fact == {
        "case_id": case_id,
        "process_director_party": LUMENS,
        "process_director_person": DIRECTOR.person,
        "invitees": sorted([SHELTER, POLICE, GGD]),
        "roles": [SHELTER],
        "case_director_party": SHELTER,
        "case_director_person": "casusregisseur-9",
        "delegates": {SHELTER: ["sh-1"]},
        "closed": False,
        # as of casework's last decision on who has a part (the appointment)
        "changed_at": outbox(platform, case_id, ev.DIRECTOR_APPOINTED)[-1]["changed_at"],
        # what each party with a role needs to know (8.4c), as ROLES_SET carries it
        "information_needs": {SHELTER: {"role": "shelter", "information_need": ["safety"]}},
    }
    assert not outbox(platform, erased, ev.CASE_RESTATED)
    with platform.uow_factory() as uow:
        assert not restating.restate_case(uow, erased)


def test_the_case_membership_events_say_when_casework_decided_them(casework, deps):
    """A delegate's naming and release, the case director's appointment and the roles: the
    consumers (disclosure) apply them in this order, not in the order they arrive (the outbox
    relay re-sends a batch on a suspected broker loss), so a re-sent naming that arrives
    after the release does not give the released delegate the case again (8.4c, Bijlage 3)."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    before = datetime.now(timezone.utc)
    with platform.uow_factory() as uow:
        decisions.set_roles(
            deps,
            uow,
            c.SetRoles(case_id, meeting_id, (c.RoleIn(SHELTER, "shelter", ("safety",)),)),
            DIRECTOR,
        )
        uow.commit()
    appoint(casework, deps, case_id, meeting_id, SHELTER)
    with platform.uow_factory() as uow:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        delegates.release_delegate(deps, uow, c.ReleaseDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    times = []
    for event_type in (
        ev.ROLES_SET,
        ev.DIRECTOR_APPOINTED,
        ev.DELEGATE_NAMED,
        ev.DELEGATE_RELEASED,
    ):
        (data,) = outbox(platform, case_id, event_type)
        times.append(datetime.fromisoformat(data["changed_at"]))
    assert all(t.tzinfo is not None for t in times)
    assert before <= times[0] <= times[1] <= times[2] <= times[3]


def test_a_case_membership_decision_is_after_the_one_before_it_when_the_clock_goes_back(
    casework, deps
):
    """The decision time comes from the clock of the replica that handled the request; two
    replicas' clocks may differ by more than the gap between two decisions on one case. The
    case's next decision is still decided after its last one, else a consumer would ignore a
    release as older than its naming and the released delegate would keep the case (8.4c)."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    now = datetime.now(timezone.utc)
    clock_ahead = dataclasses.replace(deps, clock=lambda: now + timedelta(minutes=5))
    clock_behind = dataclasses.replace(deps, clock=lambda: now - timedelta(minutes=5))
    steps = [
        (
            clock_ahead,
            ev.DELEGATE_NAMED,
            delegates.name_delegate,
            c.NameDelegate(case_id, "sh-1", SHELTER),
        ),
        (
            clock_behind,
            ev.DELEGATE_RELEASED,
            delegates.release_delegate,
            c.ReleaseDelegate(case_id, "sh-1", SHELTER),
        ),
        (
            clock_behind,
            ev.ROLES_SET,
            decisions.set_roles,
            c.SetRoles(case_id, meeting_id, (c.RoleIn(SHELTER, "shelter", ("safety",)),)),
        ),
        (
            clock_behind,
            ev.DIRECTOR_APPOINTED,
            decisions.appoint_director,
            c.AppointDirector(case_id, meeting_id, SHELTER, "casusregisseur-1"),
        ),
    ]
    times = []
    for handler_deps, event_type, handler, cmd in steps:
        with platform.uow_factory() as uow:
            handler(handler_deps, uow, cmd, DIRECTOR)
            uow.commit()
        (data,) = outbox(platform, case_id, event_type)
        times.append(datetime.fromisoformat(data["changed_at"]))
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[1] - times[0] == timedelta(microseconds=1)


def test_a_colleague_without_a_part_cannot_name_itself_a_delegate(casework, deps):
    """Else any worker of an involved party could make itself part of the case (Bijlage 3)."""
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-9"), who(SHELTER, "sh-9"))
    assert any("cannot name itself" in r and "Bijlage 3" in r for r in err.value.reasons)


def test_uninvolved_party_may_not_name_a_delegate(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "ggd-1"), who(GGD, "ggd-1"))
    # Told as of a case that does not exist (8.4c); the access log keeps the policy's reasons.
    assert err.value.reasons == NotShared("case", "case_id").reasons
    assert any("not involved" in r and "art. 16.1" in r for r in err.value.logged.reasons)


def told_of(platform, handler, deps, cmd, caller, named: str) -> tuple:
    """What ``caller`` is told, the named party's id (which it gave) taken out, and without the
    decision's id (the digest of facts that name that party)."""
    kind, message, reasons, _decision_id, revision, policy = what_caller_is_told(
        platform, handler, deps, cmd, caller
    )
    return (
        kind,
        message.replace(named, "<named>"),
        None if reasons is None else [r.replace(named, "<named>") for r in reasons],
        revision,
        policy,
    )


def test_a_delegate_refusal_says_nothing_of_whether_the_named_party_is_involved(casework, deps):
    """A worker of the involved shelter without a part, and the shelter's delegate, may not see
    which parties are involved (view.rego: the one sees nothing, the other its own role): naming
    or releasing a delegate of another party is refused alike whether that party is involved
    (POLICE, invited in triage) or not (GGD) (8.4c, 15.1)."""
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    for caller in (who(SHELTER, "sh-9"), who(SHELTER, "sh-1")):
        for handler, command in (
            (delegates.name_delegate, c.NameDelegate),
            (delegates.release_delegate, c.ReleaseDelegate),
        ):
            involved = told_of(
                platform, handler, deps, command(case_id, "x-1", POLICE), caller, POLICE
            )
            uninvolved = told_of(platform, handler, deps, command(case_id, "x-1", GGD), caller, GGD)
            assert involved[0] == "PermissionDenied"
            assert involved == uninvolved
            assert not any("not involved" in r for r in uninvolved[2])


def test_an_appointment_refusal_says_nothing_of_the_appointee_to_a_non_director(casework, deps):
    """Only the process director appoints a case director (13.1): anyone else with a part is
    refused for that alone, before the appointee is looked at, alike for an appointee of an
    involved party, of one not involved and of an OIN that is no party."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    for caller in (who(SHELTER, "sh-9"), who(POLICE, "po-1")):
        told = [
            told_of(
                platform,
                decisions.appoint_director,
                deps,
                c.AppointDirector(case_id, meeting_id, party, "cd-1"),
                caller,
                party,
            )
            for party in (POLICE, GGD, NOT_A_PARTY)
        ]
        assert told[0][0] == "PermissionDenied"
        assert told[0] == told[1] == told[2]


def test_recording_a_meeting_is_refused_to_a_non_director_whatever_the_meeting_id_names(
    casework, deps
):
    """Only the process director records a meeting (12.2, 8.4). A worker of an invited party and
    its delegate were told NOT_FOUND for a meeting id the case does not hold and the refusal for
    one it does: which meetings the case has, which they may not see (a worker sees nothing of
    the case; a delegate only the meetings its party was invited to, 8.4c). Now both are refused
    for not directing the case, before the id is looked up."""
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        scheduled = meetings.schedule_meeting(
            deps, uow, schedule(case_id, invitees=(POLICE,)), DIRECTOR
        )
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    for caller in (who(SHELTER, "sh-9"), who(SHELTER, "sh-1")):
        real, fake = (
            told_of(
                platform,
                meetings.record_meeting,
                deps,
                c.RecordMeeting(case_id, mid, (POLICE,), "notes"),
                caller,
                mid,
            )
            for mid in (scheduled.meeting_id, f"mtg-{uuid.uuid4().hex}")
        )
        assert real[0] == "PermissionDenied"
        assert real == fake


def test_an_update_refusal_says_nothing_of_an_action_the_caller_may_not_see(casework, deps):
    """A worker of the involved shelter without a part sees nothing of the case, its delegate
    only the shelter's own plan actions (8.4c). They were told NOT_FOUND for an action id the
    case does not hold, and for one it holds whether it is the shelter's; now the worker is told
    alike for the shelter's action, the police's and none, the delegate alike for the police's
    and none. The process director is still told NOT_FOUND."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    plan = c.AdoptPlan(
        case_id,
        meeting_id,
        (c.NewActionIn(SHELTER, "x", "2030-01-01"), c.NewActionIn(POLICE, "y", "2030-01-01")),
    )
    with platform.uow_factory() as uow:
        _version, actions = decisions.adopt_plan(deps, uow, plan, DIRECTOR)
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    ids = {a.party: a.action_id for a in actions}
    fake = f"act-{uuid.uuid4().hex}"

    def told(caller: Caller, action_id: str) -> tuple:
        cmd = c.UpdateAction(case_id, action_id, ActionStatus.DONE, "")
        return told_of(platform, monitoring.update_action, deps, cmd, caller, action_id)

    worker = [told(who(SHELTER, "sh-9"), a) for a in (ids[SHELTER], ids[POLICE], fake)]
    assert worker[0][0] == "PermissionDenied"
    assert worker[0] == worker[1] == worker[2]
    delegate = [told(who(SHELTER, "sh-1"), a) for a in (ids[POLICE], fake)]
    assert delegate[0][0] == "PermissionDenied"
    assert delegate[0] == delegate[1]
    assert told(DIRECTOR, fake)[0] == "NotFound"


def test_a_pre_read_refusal_says_nothing_of_a_meeting_the_caller_may_not_see(casework, deps):
    """A worker of the involved shelter without a part sees nothing of the case, its delegate
    only the meetings the shelter was invited to (8.4c). They were told NOT_FOUND for a meeting
    id the case does not hold, and for one it holds whether the shelter was invited; now the
    worker is told alike for a meeting the shelter was invited to, one it was not and none, the
    delegate alike for one it was not invited to and none."""
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:
        invited = meetings.schedule_meeting(deps, uow, schedule(case_id), DIRECTOR)
        other = meetings.schedule_meeting(
            deps, uow, schedule(case_id, invitees=(POLICE,)), DIRECTOR
        )
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    fake = f"mtg-{uuid.uuid4().hex}"

    def told(caller: Caller, meeting_id: str) -> tuple:
        q = c.GetPreReadSet(case_id, meeting_id, "")
        return told_of(platform, meetings.pre_read_set, deps, q, caller, meeting_id)

    ids = (invited.meeting_id, other.meeting_id, fake)
    worker = [told(who(SHELTER, "sh-9"), m) for m in ids]
    assert worker[0][0] == "PermissionDenied"
    assert worker[0] == worker[1] == worker[2]
    delegate = [told(who(SHELTER, "sh-1"), m) for m in (other.meeting_id, fake)]
    assert delegate[0][0] == "PermissionDenied"
    assert delegate[0] == delegate[1]


def test_an_unknown_meeting_is_not_found_to_whom_sees_all_the_cases_meetings(casework, deps):
    """The process director sees the whole case, every meeting in it (view.rego): an id the case
    does not hold is NOT_FOUND to it for the pre-read as for the minutes, though its own party
    (invited to no such meeting) pre-reads no meeting it was not invited to."""
    platform, _ = casework
    case_id = open_case(casework)
    fake = f"mtg-{uuid.uuid4().hex}"
    for handler, q in (
        (meetings.pre_read_set, c.GetPreReadSet(case_id, fake, "")),
        (meetings.read_minutes, c.GetMinutes(case_id, fake)),
    ):
        assert told_of(platform, handler, deps, q, DIRECTOR, fake)[0] == "NotFound"


def test_a_minutes_refusal_says_nothing_of_a_meeting_the_caller_may_not_see(casework, deps):
    """A worker of the involved shelter without a part sees nothing of the case, its delegate
    only the meetings the shelter was invited to (8.4c). They were told NOT_FOUND for a meeting
    id the case does not hold, and for one it holds whether the shelter attended; now the worker
    is told alike for a meeting the shelter attended, one it did not and none, the delegate
    alike for one the shelter did not attend and none. The process director is still told
    NOT_FOUND."""
    platform, _ = casework
    case_id = open_case(casework)
    attended = held_meeting(casework, deps, case_id)
    other = held_meeting(casework, deps, case_id, invitees=(POLICE,))
    with platform.uow_factory() as uow:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    fake = f"mtg-{uuid.uuid4().hex}"

    def told(caller: Caller, meeting_id: str) -> tuple:
        q = c.GetMinutes(case_id, meeting_id)
        return told_of(platform, meetings.read_minutes, deps, q, caller, meeting_id)

    worker = [told(who(SHELTER, "sh-9"), m) for m in (attended, other, fake)]
    assert worker[0][0] == "PermissionDenied"
    assert worker[0] == worker[1] == worker[2]
    delegate = [told(who(SHELTER, "sh-1"), m) for m in (other, fake)]
    assert delegate[0][0] == "PermissionDenied"
    assert delegate[0] == delegate[1]
    assert told(DIRECTOR, fake)[0] == "NotFound"


def test_within_an_involved_party_only_its_delegates_see_the_case(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    shelter_delegate(casework, deps, case_id, meeting_id, ("identity",))
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), who(SHELTER, "sh-1"))
    assert "subject" in seen.sections
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        reading.get_case(deps, uow, c.GetCase(case_id), who(SHELTER, "sh-2"))
    assert any("no part in the case" in r for r in err.value.reasons)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied):
        meetings.read_minutes(deps, uow, c.GetMinutes(case_id, meeting_id), who(SHELTER, "sh-2"))
    with platform.uow_factory() as uow:
        desk = reading.get_case(deps, uow, c.GetCase(case_id), who(SHELTER, "desk", "front_desk"))
    assert desk.sections == frozenset({"status", "subject"}) and not desk.meetings


def restriction(
    casework, case_id: str, restricted: bool, changed_at: datetime | None = None
) -> None:
    """Disclosure's fact: the controller granted (or lifted) the subject's restriction of the
    case (Bijlage 3 "afschermen", GDPR art. 18), at ``changed_at`` (now by default)."""
    platform, parts = casework
    changed_at = changed_at or datetime.now(timezone.utc)
    restriction_changed(platform, parts, case_id, restricted, changed_at)


def shelter_delegate(casework, deps, case_id: str, meeting_id: str, need: tuple[str, ...]):
    """The shelter involved with ``need`` and its delegate sh-1, named by the process director."""
    platform, _ = casework
    with platform.uow_factory() as uow:
        decisions.set_roles(
            deps,
            uow,
            c.SetRoles(case_id, meeting_id, (c.RoleIn(SHELTER, "shelter", need),)),
            DIRECTOR,
        )
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    return who(SHELTER, "sh-1")


def test_a_lifting_that_arrives_after_a_later_grant_leaves_the_case_restricted(casework, deps):
    """Restricted, lifted, restricted again: the events carry when disclosure decided them
    (``changed_at``), but casework applied whichever came last. A lifting delivered after the
    later grant (a partition moved, a re-sent batch) ended the restriction in force, and the
    case's delegates read the subject's section again (GDPR art. 18)."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    need = ("identity", "case_meetings", "coordination")
    delegate = shelter_delegate(casework, deps, case_id, meeting_id, need)
    with platform.uow_factory() as uow:
        assert "subject" in reading.get_case(deps, uow, c.GetCase(case_id), delegate).sections
    granted = datetime.now(timezone.utc) - timedelta(minutes=10)
    restriction(casework, case_id, True, granted)
    restriction(casework, case_id, True, granted + timedelta(minutes=5))  # granted again
    restriction(casework, case_id, False, granted + timedelta(minutes=2))  # the older lifting
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), delegate)
    assert seen.sections == frozenset({"status"})
    restriction(casework, case_id, False, granted + timedelta(minutes=6))  # a later lifting
    with platform.uow_factory() as uow:
        assert "subject" in reading.get_case(deps, uow, c.GetCase(case_id), delegate).sections


def test_a_grant_that_arrives_after_a_later_lifting_leaves_the_case_lifted(casework, deps):
    """Restricted, then lifted; the grant, re-sent, arrives after the lifting: casework kept
    only the grant's time, which the lifting cleared, so the stale grant restricted the case
    again (the newest decision, the lifting, must stand: GDPR art. 18(3))."""
    platform, _ = casework
    case_id = open_case(casework)
    granted = datetime.now(timezone.utc) - timedelta(minutes=10)
    restriction(casework, case_id, True, granted)
    restriction(casework, case_id, False, granted + timedelta(minutes=2))
    restriction(casework, case_id, True, granted)  # the grant again, late
    with platform.uow_factory() as uow:
        assert "subject" in reading.get_case(deps, uow, c.GetCase(case_id), DIRECTOR).sections
    restriction(casework, case_id, True, granted + timedelta(minutes=3))  # a new grant
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), DIRECTOR)
    assert seen.sections == frozenset({"status"})


def test_a_restricted_case_shows_only_its_status_until_the_restriction_is_lifted(casework, deps):
    """A granted restriction of the case: its data is only kept (GDPR art. 18(2)). Disclosure
    stopped releasing its items, but casework kept showing the subject, the meetings, roles and
    plan and the minutes (free text about the subject) to its delegates and directors."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    need = ("identity", "case_meetings", "coordination", "plan_of_approach")
    delegate = shelter_delegate(casework, deps, case_id, meeting_id, need)
    with platform.uow_factory() as uow:
        assert "subject" in reading.get_case(deps, uow, c.GetCase(case_id), delegate).sections
        assert meetings.read_minutes(deps, uow, c.GetMinutes(case_id, meeting_id), delegate)
    restriction(casework, case_id, True)
    for person in (delegate, DIRECTOR):
        with platform.uow_factory() as uow:
            seen = reading.get_case(deps, uow, c.GetCase(case_id), person)
        assert seen.sections == frozenset({"status"}) and not seen.partial
        assert not seen.meetings and not seen.roles and not seen.actions and not seen.delegates
        assert proto_mapping.case_pb(seen).subject_pseudonym == ""
        with platform.uow_factory() as uow:
            batch = reading.timeline_for(deps, uow, c.ReadTimeline(case_id, 0), person)
        assert {row.kind for row in batch.entries} <= {"case.opened", "director.appointed"}
        with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
            meetings.read_minutes(deps, uow, c.GetMinutes(case_id, meeting_id), person)
        assert any("GDPR art. 18" in r for r in err.value.reasons)
    restriction(casework, case_id, False)
    with platform.uow_factory() as uow:
        assert "subject" in reading.get_case(deps, uow, c.GetCase(case_id), delegate).sections
        assert meetings.read_minutes(deps, uow, c.GetMinutes(case_id, meeting_id), delegate)


def test_excluded_party_is_not_invited_and_the_invite_policy_says_why(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        meetings.schedule_meeting(
            deps, uow, schedule(case_id, invitees=(SHELTER, SOCIOM)), DIRECTOR
        )
    assert err.value.policy == "zorgtafel.casework.invite"
    assert any("art. 23.2" in r for r in err.value.reasons)


def test_closing_a_case_that_is_not_deescalating_names_its_state(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
        closing.close_case(deps, uow, c.CloseCase(case_id), DIRECTOR)
    assert err.value.state == "open" and err.value.subject == "case.state"


def test_malformed_goal_code_is_invalid_argument_naming_the_field(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow, pytest.raises(InvalidArgument) as err:
        meetings.schedule_meeting(deps, uow, schedule(case_id, goal_code="Not a code!"), DIRECTOR)
    assert [f for f, _ in err.value.violations] == ["goal_code"]
    with platform.uow_factory() as uow:
        assert uow.cases.meetings(case_id) == []


def test_meeting_time_out_of_range_is_invalid_argument_naming_the_field():
    request = pb.ScheduleMeetingRequest(request_id="req-00000001", case_id="case-1")
    request.scheduled_for.seconds = 253402300799  # 9999-12-31: no meeting is held then
    with pytest.raises(InvalidArgument) as err:
        proto_mapping.schedule_meeting(request)
    assert [f for f, _ in err.value.violations] == ["scheduled_for"]


def test_policy_inputs_carry_every_fact_the_schemas_describe(casework, deps):
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    appoint(casework, deps, case_id, meeting_id, SHELTER)
    with platform.uow_factory() as uow:
        delegates.name_delegate(deps, uow, c.NameDelegate(case_id, "sh-1", SHELTER), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        case = load_case(uow, case_id)
        facts = common.case_facts(uow, case)
        principal = common.principal(deps, DIRECTOR)
    assert facts["process_director"] == {"party": LUMENS, "person": DIRECTOR.person, "left": False}
    assert facts["case_director"] == {"party": SHELTER, "person": "casusregisseur-1"}
    assert facts["delegates"] == {SHELTER: ["sh-1"]}
    assert facts["involved_parties"] == sorted([SHELTER, POLICE])
    assert principal["functions"] == ["process_director"]
    schemas.validate_input(VIEW, {"principal": principal, "case": facts})
    schemas.validate_input(
        ACT,
        {
            "action": "appoint_director",
            "principal": principal,
            "case": facts,
            "appointee": {"party": GGD, "person": "x", "is_party": True, "party_status": "active"},
        },
    )


# -- ListOverdueActions over many cases (issue #16) -----------------------------------------
def directed_cases(
    platform,
    n: int,
    pd_person: str,
    *,
    case_director: tuple[str, str] | None = None,
    state: CaseState = CaseState.PLAN_ACTIVE,
    actions: tuple[tuple[int, ActionStatus], ...] = ((3, ActionStatus.OPEN),),
    delegates: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """``n`` cases LUMENS' ``pd_person`` directs, stored through the repository, each with
    ``actions`` as (days past due, status): negative days are not due yet."""
    today = datetime.now(timezone.utc).date()
    ids = []
    with platform.uow_factory() as uow:
        for _ in range(n):
            case = Case(
                f"case-{uuid.uuid4()}",
                CaseState.OPEN,
                LUMENS,
                VEILIG_THUIS,
                "ps-1",
                "16_plus",
                datetime.now(timezone.utc),
                triage_invitees=(SHELTER, POLICE),
                process_director_person=pd_person,
            )
            uow.cases.add(case)
            case.state = state
            case.delegates = dict(delegates or {})
            if case_director:
                case.case_director_party, case.case_director_person = case_director
            uow.cases.save(case)
            for days, status in actions:
                uow.cases.add_action(
                    PlanAction(
                        f"act-{uuid.uuid4()}",
                        case.case_id,
                        1,
                        SHELTER,
                        "Opvangplek regelen",
                        today - timedelta(days=days),
                        status,
                    )
                )
            ids.append(case.case_id)
        uow.commit()
    return ids


def designated(platform, person: str, party: str = LUMENS) -> Caller:
    set_roster(platform, "process_director", party, person)
    return who(party, person, "process_director")


def overdue_rpc(casework, deps, caller: Caller, **fields) -> pb.ListOverdueActionsResponse:
    servicer = CaseworkServicer(deps, casework[0].uow_factory)
    return call(servicer.ListOverdueActions, pb.ListOverdueActionsRequest(**fields), caller)


@pytest.fixture
def decisions_made(deps, monkeypatch) -> list[str]:
    """The policies decided during the test, one entry per decision."""
    made: list[str] = []
    decide = deps.policy.decide

    def counted(policy, facts):
        made.append(policy)
        return decide(policy, facts)

    monkeypatch.setattr(deps.policy, "decide", counted)
    return made


def test_overdue_actions_of_10_or_200_directed_cases_take_the_same_queries_and_decisions(
    casework, deps, decisions_made
):
    platform, _ = casework
    counts = []
    for n in (10, 200):
        director = designated(platform, f"pd-{n}-{uuid.uuid4().hex[:8]}")
        directed_cases(platform, n, director.person)
        decisions_made.clear()
        with statements() as sent:
            reply = overdue_rpc(casework, deps, director)
        counts.append((len(sent), len(decisions_made)))
        assert len(reply.actions) == min(n, 100)  # the default page
        assert bool(reply.next_page_token) is (n > 100)
    assert counts[0] == counts[1] and limited(sent)
    assert counts[0][1] <= 2  # one decision per relationship, not one per case


def test_overdue_actions_of_one_case_with_10_or_200_actions_take_the_same_queries(casework, deps):
    platform, _ = casework
    director = designated(platform, f"pd-{uuid.uuid4().hex[:8]}")
    counts = []
    for n in (10, 200):
        (case_id,) = directed_cases(
            platform, 1, director.person, actions=((3, ActionStatus.OPEN),) * n
        )
        with statements() as sent:
            reply = overdue_rpc(casework, deps, director, case_id=case_id, page_size=500)
        counts.append(len(sent))
        assert len(reply.actions) == n and not reply.next_page_token
    assert counts[0] == counts[1]


def test_overdue_list_shows_exactly_what_the_act_policy_allows_case_by_case(casework, deps):
    """The one query against the old way: the act policy asked for every case with the case's
    own facts (need to know by relationship, ADR 0005), for every kind of caller."""
    platform, _ = casework
    tag = uuid.uuid4().hex[:8]
    pd, cd, colleague = f"pd-{tag}", f"cd-{tag}", f"pd2-{tag}"
    revoked, other = f"gone-{tag}", f"other-{tag}"
    for person in (pd, colleague, revoked, other):
        set_roster(platform, "process_director", LUMENS, person)
    population = [
        *directed_cases(platform, 2, pd),
        *directed_cases(platform, 1, pd, case_director=(SHELTER, cd)),
        *directed_cases(platform, 1, other, case_director=(SHELTER, cd)),
        *directed_cases(platform, 1, other, case_director=(LUMENS, pd)),
        *directed_cases(platform, 1, pd, state=CaseState.MEETING_PLANNED),
        *directed_cases(platform, 1, pd, state=CaseState.DEESCALATING),
        *directed_cases(
            platform,
            1,
            pd,
            actions=(
                (5, ActionStatus.DONE),
                (-2, ActionStatus.OPEN),
                (1, ActionStatus.IN_PROGRESS),
            ),
        ),
        *directed_cases(platform, 1, other, delegates={LUMENS: (pd,), SHELTER: (cd,)}),
        *directed_cases(platform, 1, revoked),
        *directed_cases(platform, 1, other, case_director=(LUMENS, revoked)),
    ]
    set_roster(platform, "process_director", LUMENS, revoked, held=False)
    callers = [
        who(LUMENS, pd, "process_director"),
        who(SHELTER, cd, "case_director"),
        who(LUMENS, colleague, "process_director"),
        who(LUMENS, revoked, "process_director"),
        who(SHELTER, "someone", "caseworker"),
        Caller(LUMENS, pd, "process_director", party_status="excluded"),
    ]
    today = datetime.now(timezone.utc).date()
    for caller in callers:
        expected = set()
        with platform.uow_factory() as uow:
            for case_id in population:
                case = load_case(uow, case_id)
                try:
                    common.authorise(deps, uow, "list_overdue", caller, case)
                except PermissionDenied:
                    continue
                if case.state in (CaseState.PLAN_ACTIVE, CaseState.DEESCALATING):
                    expected |= {
                        (case_id, a.action_id)
                        for a in uow.cases.actions(case_id)
                        if a.overdue_on(today)
                    }
        shown = overdue_rpc(casework, deps, caller, page_size=500).actions
        assert {(o.case_id, o.action_id) for o in shown} == expected, caller
    # The process director sees both active cases, the deescalating one, the one it also has
    # a case director for, the one it directs as case director; one overdue action each.
    mine = overdue_rpc(casework, deps, callers[0], page_size=500).actions
    assert len(mine) == 6
    assert all(o.days_overdue >= 1 and o.flagged_to for o in mine)


def test_overdue_list_pages_in_a_stable_order_and_a_token_continues_only_its_own_query(
    casework, deps
):
    platform, _ = casework
    director = designated(platform, f"pd-{uuid.uuid4().hex[:8]}")
    directed_cases(
        platform, 12, director.person, actions=((4, ActionStatus.OPEN), (2, ActionStatus.OPEN))
    )
    everything = overdue_rpc(casework, deps, director, page_size=500)
    assert len(everything.actions) == 24 and everything.next_page_token == ""
    walked, token, pages = [], "", 0
    while True:
        reply = overdue_rpc(casework, deps, director, page_size=5, page_token=token)
        walked += [(o.case_id, o.action_id) for o in reply.actions]
        pages += 1
        token = reply.next_page_token
        if not token:
            break
    assert pages == 5 and len(reply.actions) == 4  # the last page has no token
    assert walked == [(o.case_id, o.action_id) for o in everything.actions]
    first = overdue_rpc(casework, deps, director, page_size=5)
    one_case = everything.actions[0].case_id
    digest = paging._query_digest(pb.ListOverdueActionsRequest())
    for bad in (
        {"case_id": one_case, "page_token": first.next_page_token},  # another query's token
        {"page_token": "not-a-token"},
        {"page_token": paging._encode(5, digest, ["case-1", "not-a-date", "act-1"])},
        {"page_token": paging._encode(5, digest, ["case-1"])},
        {"page_size": 501},
    ):
        with pytest.raises(InvalidArgument) as err:
            overdue_rpc(casework, deps, director, **bad)
        assert [f for f, _ in err.value.violations] == [
            "page_size" if "page_size" in bad else "page_token"
        ]


def test_an_outsider_is_told_the_same_of_a_case_it_has_no_part_in_as_of_one_that_never_was(
    casework, deps
):
    """8.4c, ADR 0005: a party with no part in a case learns nothing of it, its existence
    included. An unknown case id answered NOT_FOUND while a real one answered PERMISSION_DENIED
    with reasons naming the case, so an id in an outsider's hands told it whether the case
    exists (and a purged one answered FAILED_PRECONDITION purged). Every read and write of a
    case now answers the outsider alike, whatever the id names: a case, none, or a purged one;
    the meeting and the action it names, real or not."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    plan = c.AdoptPlan(case_id, meeting_id, (c.NewActionIn(POLICE, "x", "2030-01-01"),))
    with platform.uow_factory() as uow:
        _version, actions = decisions.adopt_plan(deps, uow, plan, DIRECTOR)
        uow.commit()
    action_id = actions[0].action_id
    purged_id = f"case-{uuid.uuid4()}"
    with platform.uow_factory() as uow:
        closing.erase(uow, purged_id, datetime.now(timezone.utc))
        uow.commit()
    unknown_id = f"case-{uuid.uuid4()}"

    def calls(cid: str, mid: str, aid: str) -> list:  # noqa: ANN001
        return [
            (meetings.schedule_meeting, schedule(cid)),
            (meetings.record_meeting, c.RecordMeeting(cid, mid, (SHELTER,), "notes")),
            (meetings.pre_read_set, c.GetPreReadSet(cid, mid, "")),
            (meetings.read_minutes, c.GetMinutes(cid, mid)),
            (decisions.appoint_director, c.AppointDirector(cid, mid, SHELTER, "cd-1")),
            (decisions.adopt_plan, c.AdoptPlan(cid, mid, ())),
            (decisions.set_roles, c.SetRoles(cid, mid, ())),
            (decisions.set_criteria, c.SetCriteria(cid, mid, ("stable",))),
            (delegates.name_delegate, c.NameDelegate(cid, "ggd-1")),
            (delegates.release_delegate, c.ReleaseDelegate(cid, "ggd-1")),
            (monitoring.update_action, c.UpdateAction(cid, aid, ActionStatus.DONE, "")),
            (monitoring.overdue_actions, c.ListOverdueActions(cid)),
            (closing.deescalate, c.Deescalate(cid, mid, ("stable",))),
            (closing.escalate, c.Escalate(cid, "zvh_brabant_zuidoost", "stuck")),
            (closing.close_case, c.CloseCase(cid)),
            (closing.purge, c.Purge(cid)),
            (reading.get_case, c.GetCase(cid)),
            (reading.timeline_for, c.ReadTimeline(cid, 0)),
        ]

    outsiders = (
        who(GGD, "ggd-1"),
        Caller(GGD, "pd-2", "process_director", party_status="active"),
    )
    fake_meeting, fake_action = f"mtg-{uuid.uuid4().hex}", f"act-{uuid.uuid4().hex}"
    for outsider in outsiders:
        for (handler, real), (_, none), (_, gone), (_, fakes) in zip(
            calls(case_id, meeting_id, action_id),
            calls(unknown_id, meeting_id, action_id),
            calls(purged_id, meeting_id, action_id),
            calls(case_id, fake_meeting, fake_action),
            strict=True,
        ):
            told = what_caller_is_told(platform, handler, make_deps(platform), real, outsider)
            assert told[0] == "NotShared", (handler.__name__, told)  # PERMISSION_DENIED
            assert case_id not in str(told), (handler.__name__, told)
            for other in (none, gone, fakes):
                assert (
                    what_caller_is_told(platform, handler, make_deps(platform), other, outsider)
                    == told
                ), handler.__name__


def test_no_case_is_restated_when_the_operators_record_cannot_be_written(casework):
    """``zorgtafel restate-cases`` publishes facts that grant access (8.4c): its operator's
    record in casework's access log is written before any case is restated, told how many
    it restates, and when it cannot be written (UNAVAILABLE) no restatement reaches the
    outbox: what cannot be recorded is not published."""
    platform, _ = casework
    case_id = open_case(casework)
    told: list[int] = []

    def account(cases: int) -> None:
        told.append(cases)
        raise Unavailable("the access log cannot record this call: nothing is released")

    with pytest.raises(Unavailable):
        restating.restate_all(platform.uow_factory, account=account)
    assert told and told[0] >= 1
    assert not outbox(platform, case_id, ev.CASE_RESTATED)
    counted: list[int] = []
    restated = restating.restate_all(platform.uow_factory, account=counted.append)
    assert counted == [len(restated)] and case_id in restated
    assert len(outbox(platform, case_id, ev.CASE_RESTATED)) == 1


def test_a_restricted_cases_overdue_actions_are_listed_to_no_one(casework, deps):
    """Bijlage 3 "afschermen", GDPR art. 18: a case whose restriction was granted shows its
    status only (view.rego), so not its plan by the overdue list either: which actions, of
    which party, due when. Asked for the case its process director is refused with the
    restriction's reason; across the cases it directs, the restricted one is left out, and
    both are back once the restriction is lifted."""
    platform, _ = casework
    director = designated(platform, f"pd-{uuid.uuid4().hex[:8]}")
    restricted, open_one = directed_cases(platform, 2, director.person)
    granted = datetime.now(timezone.utc)
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(restricted, True, granted)
        uow.commit()
    with pytest.raises(PermissionDenied) as refused:
        overdue_rpc(casework, deps, director, case_id=restricted, page_size=500)
    assert any("GDPR art. 18" in r for r in refused.value.reasons)
    listed = overdue_rpc(casework, deps, director, page_size=500).actions
    assert {o.case_id for o in listed} == {open_one}
    with platform.uow_factory() as uow:
        assert uow.cases.set_restricted(restricted, False, granted + timedelta(seconds=1))
        uow.commit()
    assert overdue_rpc(casework, deps, director, case_id=restricted, page_size=500).actions
    listed = overdue_rpc(casework, deps, director, page_size=500).actions
    assert {o.case_id for o in listed} == {restricted, open_one}


def test_a_case_shows_the_pre_read_set_s_item_ids_only_to_the_process_director_s_party(
    casework, deps
):
    """The ids in a meeting's pre-read set name items of the case, some of which an invitee's
    party may not need (8.4c, 15.1): the process director's party composed the set and sees it;
    another party with a part is shown the meeting without them (it reads what it may through
    GetPreReadSet, where disclosure decides each item for it), so neither the ids nor their
    number tell it of items outside its need."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    shelter_delegate(casework, deps, case_id, meeting_id, ("housing",))
    cmd = dataclasses.replace(schedule(case_id), pre_read_item_ids=("item-a", "item-b"))
    with platform.uow_factory() as uow:
        scheduled = meetings.schedule_meeting(deps, uow, cmd, DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        director = reading.get_case(deps, uow, c.GetCase(case_id), DIRECTOR)
    [mine] = [m for m in director.meetings if m.meeting_id == scheduled.meeting_id]
    assert mine.pre_read_item_ids == ("item-a", "item-b")
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), who(SHELTER, "sh-1"))
    [theirs] = [m for m in seen.meetings if m.meeting_id == scheduled.meeting_id]
    assert theirs.pre_read_item_ids == ()
    assert "item-a" not in str(proto_mapping.case_pb(seen))


# -- a replayed request after the case's purge (nothing twice) ----------------------------------
def test_a_meeting_request_replayed_after_the_case_was_erased_is_refused_as_purged(casework, deps):
    """The stored answer goes with the case (an erasure purges it here at once, GDPR art. 17);
    the request id stays recognised, so a partner's late retry is FAILED_PRECONDITION
    request_purged, never carried out again on what is left."""
    platform, _ = casework
    case_id = open_case(casework)
    servicer = CaseworkServicer(deps, platform.uow_factory)
    request = pb.ScheduleMeetingRequest(
        request_id=f"req-{uuid.uuid4()}",
        case_id=case_id,
        goal_code="stabilise_and_protect",
        decision_types=["plan_of_approach"],
        themes=["safety"],
        invitees=[pb.Invitee(party=SHELTER, lawful_themes=["safety"])],
    )
    request.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
    first = call(servicer.ScheduleMeeting, request, DIRECTOR)
    assert call(servicer.ScheduleMeeting, request, DIRECTOR) == first  # the stored answer
    with platform.uow_factory() as uow:
        assert closing.erase(uow, case_id, datetime.now(timezone.utc))
        uow.commit()
    with pytest.raises(FailedPrecondition) as refused:
        call(servicer.ScheduleMeeting, request, DIRECTOR)
    assert refused.value.state == "request_purged"
    assert case_id not in str(refused.value)
    # Another person of the party replaying the id with other content: the same refusal.
    request.goal_code = "other"
    with pytest.raises(FailedPrecondition) as again:
        call(servicer.ScheduleMeeting, request, OTHER_DIRECTOR)
    assert again.value.state == "request_purged"
    with platform.uow_factory() as uow:
        kept = repr(uow.session.execute(select(uow.tables["purged_requests"])).all())
    assert case_id not in kept and request.request_id not in kept


def test_a_restricted_case_is_not_purged_until_its_restriction_is_lifted(casework, deps):
    """GDPR art. 18(2): while the subject's restriction of the case holds, its data may only
    be stored; an erasure is processing, and a restriction under 18(1)(c) exists because the
    subject needs the data kept for a legal claim. The process director's Purge of a closed
    case past its period purged it all the same, and told intake and disclosure to forget it.
    It is now refused naming the state (``case_restricted``): nothing purged, nothing told;
    lifted, the case is purged as before."""
    platform, _ = casework
    case_id = open_case(casework)
    with platform.uow_factory() as uow:  # closed two years ago: past the policy's 365 days
        case = uow.cases.get(case_id, for_update=True)
        case.state, case.outcome = CaseState.CLOSED, "successful"
        case.closed_at = datetime.now(timezone.utc) - timedelta(days=730)
        uow.cases.save(case)
        uow.commit()
    restriction(casework, case_id, True)
    with platform.uow_factory() as uow, pytest.raises(FailedPrecondition) as err:
        closing.purge(deps, uow, c.Purge(case_id), DIRECTOR)
    assert err.value.state == "case_restricted"

    def purged_told() -> list[str]:
        with platform.uow_factory() as uow:
            t = uow.tables["outbox"]
            rows = uow.session.execute(select(t.c.data).where(t.c.type == ev.CASE_PURGED)).all()
        return [json.loads(r.data)["case_id"] for r in rows]

    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).state is CaseState.CLOSED
        assert not uow.cases.was_purged(case_id)
    assert case_id not in purged_told()
    restriction(casework, case_id, False)
    with platform.uow_factory() as uow:
        closing.purge(deps, uow, c.Purge(case_id), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        assert uow.cases.was_purged(case_id)
    assert case_id in purged_told()


def test_a_restricted_case_closed_is_cleansed_only_once_its_restriction_is_lifted(casework, deps):
    """GDPR art. 18(2): while the subject's restriction of the case holds, its data may only
    be stored, and cleansing is erasure (1.2: what is no longer necessary goes at the
    closing). Closing a restricted case cleansed its minutes, plan and roles all the same;
    now it is closed with nothing cleansed (all kept, the response says so) and the cleansing
    is done when the restriction is lifted, once."""
    platform, _ = casework
    case_id = open_case(casework)
    held_meeting(casework, deps, case_id)

    def minutes() -> list[object]:
        with platform.uow_factory() as uow:
            m = uow.tables["meetings"]
            rows = uow.session.execute(select(m.c.minutes_sealed).where(m.c.case_id == case_id))
            return [r.minutes_sealed for r in rows]

    assert all(minutes())
    with platform.uow_factory() as uow:
        case = uow.cases.get(case_id, for_update=True)
        case.state = CaseState.DEESCALATING
        uow.cases.save(case)
        uow.commit()
    restriction(casework, case_id, True)
    with platform.uow_factory() as uow:
        closed, cleansed, kept = closing.close_case(deps, uow, c.CloseCase(case_id), DIRECTOR)
        uow.commit()
    assert closed.state is CaseState.CLOSED and cleansed == () and "minutes" in kept
    assert all(minutes())
    restriction(casework, case_id, False)
    assert not any(minutes())
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).state is CaseState.CLOSED


def test_a_delegate_named_again_in_other_case_is_the_same_person_and_released_by_its_id(
    casework, deps
):
    """A person id names one person without case ("SH-1" is sh-1: validate.same_person, the
    token's subject, as governance compares seats and votes): naming "SH-1" beside sh-1 made a
    second delegate of the same person, and a release of "Sh-1" found none; now the naming
    changes nothing (no second DELEGATE_NAMED) and the release ends sh-1, its event naming the
    id as named, so that disclosure's projection of the delegates drops it too."""
    platform, _ = casework
    case_id = open_case(casework)  # SHELTER was invited in triage
    for person in ("sh-1", "SH-1"):
        with platform.uow_factory() as uow:
            delegates.name_delegate(deps, uow, c.NameDelegate(case_id, person, SHELTER), DIRECTOR)
            uow.commit()
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).delegates == {SHELTER: ("sh-1",)}
    assert [e["person"] for e in outbox(platform, case_id, ev.DELEGATE_NAMED)] == ["sh-1"]
    with platform.uow_factory() as uow:
        delegates.release_delegate(deps, uow, c.ReleaseDelegate(case_id, "Sh-1", SHELTER), DIRECTOR)
        uow.commit()
    with platform.uow_factory() as uow:
        assert load_case(uow, case_id).delegates == {}
    assert [e["person"] for e in outbox(platform, case_id, ev.DELEGATE_RELEASED)] == ["sh-1"]


def test_a_token_for_a_persons_id_in_other_case_is_that_person_in_the_case(casework, deps):
    """The token's subject names its person without case ("SH-1" is sh-1: validate.same_person),
    but the persons policy compared it as typed with the case's delegates and case director,
    and the overdue list with the directors it selects by: the shelter's delegate sh-1 with a
    token for "SH-1" had no part in the case, the case director "Casusregisseur-7" was not the
    named one, and the case director cd-x listed none of its overdue actions as "CD-X"."""
    platform, _ = casework
    case_id = open_case(casework)
    meeting_id = held_meeting(casework, deps, case_id)
    shelter_delegate(casework, deps, case_id, meeting_id, ("identity",))  # names sh-1
    appoint(casework, deps, case_id, meeting_id, SHELTER, "casusregisseur-7")
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), who(SHELTER, "SH-1"))
    assert "subject" in seen.sections and "plan" not in seen.sections
    director = who(SHELTER, "Casusregisseur-7", "case_director")
    with platform.uow_factory() as uow:
        seen = reading.get_case(deps, uow, c.GetCase(case_id), director)
    assert {"subject", "plan", "roles", "escalation"} <= seen.sections
    person = f"cd-{uuid.uuid4().hex[:8]}"
    (directed,) = directed_cases(platform, 1, DIRECTOR.person, case_director=(SHELTER, person))
    listed = overdue_rpc(casework, deps, who(SHELTER, person.upper(), "case_director"))
    assert {o.case_id for o in listed.actions} == {directed}


def test_a_designated_process_director_is_found_on_the_roster_by_its_id_in_other_case(
    casework, deps
):
    """The roster projection (governance's designations, 12.1) was read by the person id as
    typed: a process director designated as pd-x with a token for "PD-X" held no function, so
    was no process director of the cases it directs (the persons policy now compares its id
    without case), and listed none of their overdue actions."""
    platform, _ = casework
    person = f"pd-{uuid.uuid4().hex[:8]}"
    designated(platform, person)
    (directed,) = directed_cases(platform, 1, person)
    token = who(LUMENS, person.upper(), "process_director")
    assert deps.roster.functions(LUMENS, token.person) == ["process_director"]
    listed = overdue_rpc(casework, deps, token)
    assert {o.case_id for o in listed.actions} == {directed}


def test_the_end_of_a_function_ends_it_for_the_same_person_in_any_case(casework, deps):
    """The roster projection applied an appointment and its end by the id exactly as governance
    sent it: "PD-x" designated and then an end for "pd-x" left PD-x holding the function, so a
    revoked process director went on acting (a person id names its person without case)."""
    platform, _ = casework
    person = f"PD-{uuid.uuid4().hex[:8]}"
    designated(platform, person)
    set_roster(platform, "process_director", LUMENS, person.lower(), held=False)
    for spelling in (person, person.lower()):
        assert deps.roster.functions(LUMENS, spelling) == []
        assert not deps.roster.holds("process_director", LUMENS, spelling)
    set_roster(platform, "process_director", LUMENS, person.capitalize())
    assert deps.roster.functions(LUMENS, person) == ["process_director"]
    set_roster(platform, "process_director", LUMENS, person, held=False)
    assert not deps.roster.holds("process_director", LUMENS, person.lower())


def awaiting_rpc(casework, deps, caller: Caller, **fields) -> pb.ListCasesAwaitingDirectorResponse:
    servicer = CaseworkServicer(deps, casework[0].uow_factory)
    return call(
        servicer.ListCasesAwaitingDirector, pb.ListCasesAwaitingDirectorRequest(**fields), caller
    )


def every_awaiting(casework, deps, caller: Caller, page_size: int = 500) -> list:
    """Every page of ListCasesAwaitingDirector, in order."""
    out, token = [], ""
    while True:
        reply = awaiting_rpc(casework, deps, caller, page_size=page_size, page_token=token)
        out.extend(reply.cases)
        token = reply.next_page_token
        if not token:
            return out


def test_a_designated_process_director_finds_the_cases_awaiting_one_until_taken_over(
    casework, deps
):
    """12.3: a designated process director of another active party finds the cases whose
    process director left (their ids, the party each is kept for and since when: nothing of the
    case), takes one over by directing it, and from then on it is listed no more; a case
    someone directs is never listed. Paged by case id: small pages give what one page gives."""
    platform, _ = casework
    left = sorted(left_case(casework, f"zorgcoordinator-{uuid.uuid4().hex[:8]}") for _ in range(3))
    directed = open_case(casework)
    ggd_director = designated(platform, f"pd-ggd-{uuid.uuid4().hex[:8]}", GGD)
    listed = every_awaiting(casework, deps, ggd_director)
    ids = [a.case_id for a in listed]
    assert ids == sorted(ids) and set(left) <= set(ids) and directed not in ids
    mine = [a for a in listed if a.case_id in left]
    assert {a.party for a in mine} == {LUMENS} and all(a.left_at.seconds for a in mine)
    assert [f.name for f, _ in mine[0].ListFields()] == ["case_id", "party", "left_at"]
    assert [a.case_id for a in every_awaiting(casework, deps, ggd_director, page_size=2)] == ids
    with platform.uow_factory() as uow:
        meetings.schedule_meeting(deps, uow, schedule(left[0]), ggd_director)
        uow.commit()
    after = [a.case_id for a in every_awaiting(casework, deps, OTHER_DIRECTOR)]
    assert left[0] not in after and set(left[1:]) <= set(after)


def test_who_is_no_designated_process_director_finds_no_case_awaiting_one(casework, deps):
    """12.3: the list is the roster's: a token's process_director role without the designation,
    a manager, a case director, a delegate and a designated process director of an excluded
    party (23.2) are refused with the policy's reasons."""
    platform, _ = casework
    left_case(casework, f"zorgcoordinator-{uuid.uuid4().hex[:8]}")
    claiming = who(LUMENS, f"claims-{uuid.uuid4().hex[:8]}", "process_director")
    manager = who(LUMENS, "manager-2", "manager")
    set_roster(platform, "manager", LUMENS, manager.person)
    excluded = designated(platform, "pd-sociom-2", SOCIOM)
    excluded = dataclasses.replace(excluded, party_status="excluded")
    refused = (
        claiming,
        manager,
        who(POLICE, "casusregisseur-1", "case_director"),
        who(SHELTER, "sh-1"),
        excluded,
    )
    for caller in refused:
        with pytest.raises(PermissionDenied) as err:
            awaiting_rpc(casework, deps, caller)
        assert any("art. 12.3" in r or "art. 23.2" in r for r in err.value.reasons), caller
    with pytest.raises(PermissionDenied) as err:
        awaiting_rpc(casework, deps, claiming)
    assert any("designated process director" in r for r in err.value.reasons)


def test_cases_awaiting_a_director_take_the_same_queries_and_decisions_for_6_or_30(
    casework, deps, decisions_made
):
    platform, _ = casework
    reader = designated(platform, f"pd-ggd-{uuid.uuid4().hex[:8]}", GGD)
    counts = []
    for n in (6, 30):
        for _ in range(n):
            left_case(casework, f"zorgcoordinator-{uuid.uuid4().hex[:8]}")
        decisions_made.clear()
        with statements() as sent:
            reply = awaiting_rpc(casework, deps, reader, page_size=5)
        counts.append((len(sent), len(decisions_made)))
        assert len(reply.cases) == 5 and reply.next_page_token
    assert counts[0] == counts[1] and limited(sent) and counts[0][1] == 1


def test_a_page_token_of_another_list_is_no_token_of_the_cases_awaiting_a_director(casework, deps):
    platform, _ = casework
    reader = designated(platform, f"pd-ggd-{uuid.uuid4().hex[:8]}", GGD)
    for _ in range(2):
        left_case(casework, f"zorgcoordinator-{uuid.uuid4().hex[:8]}")
    token = awaiting_rpc(casework, deps, reader, page_size=1).next_page_token
    with pytest.raises(InvalidArgument):
        overdue_rpc(casework, deps, reader, page_size=1, page_token=token)


def test_a_page_of_the_cases_awaiting_a_director_is_read_from_its_index_on_postgresql(
    casework, deps
):
    """Among many directed cases, the few awaiting a director are read from an index of their
    own, in case id order, from the page's key on (issue #16: before, every case was walked in
    id order and filtered). The plan of the page's statement, with sequential scans and sorts
    priced out: not a timing, the same plan on any machine."""
    platform, _ = casework
    for _ in range(3):
        left_case(casework, f"zorgcoordinator-{uuid.uuid4().hex[:8]}")
    reader = designated(platform, f"pd-ggd-{uuid.uuid4().hex[:8]}", GGD)
    with sent_with_parameters() as sent:
        awaiting_rpc(casework, deps, reader, page_size=2)
    ((statement, parameters),) = [
        (s, p) for s, p in sent if "process_director_left_at IS NOT NULL" in s and "LIMIT" in s
    ]
    with platform.uow_factory() as uow:
        plan = plan_without_scans_or_sorts(uow.session.connection(), statement, parameters)
    if plan is None:
        pytest.skip("a PostgreSQL plan")
    assert "Sort  (" not in plan and "Seq Scan on cases" not in plan, plan
    assert "ix_cases_awaiting_director" in plan, plan
