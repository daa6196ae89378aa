"""Casework's use cases called directly (no gRPC, no broker): a migrated database, the
embedded policy engine and the case keys, as ``zorgtafel.testing.handler_platform`` builds
them. The case is opened the way it is in production: from intake's triage outcome, through
the consumed-event handler."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.casework.bootstrap import Deps, make_deps
from services.casework.domain import commands as c
from services.casework.domain.model import CaseState, MeetingStatus
from services.casework.entrypoints import proto_mapping
from services.casework.service_layer.handlers import closing, meetings
from services.casework.service_layer.handlers.common import load_case
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from zorgtafel.testing import deliver, handler_platform, set_party_status

VEILIG_THUIS = "00000099000000000066"
LUMENS = "00000099000000000053"  # the process director's organisation
SHELTER = "00000099000000000051"
POLICE = "00000099000000000061"
GGD = "00000099000000000043"  # active, not this case's process director
SOCIOM = "00000099000000000063"  # excluded (art. 23.2)

DIRECTOR = Caller(LUMENS, "zorgcoordinator-1", "process_director", party_status="active")


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def casework(request, tmp_path_factory):
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    with handler_platform("casework", tmp_path_factory.mktemp("casework"), url) as built:
        platform, _parts = built
        for party in (VEILIG_THUIS, LUMENS, SHELTER, POLICE, GGD):
            set_party_status(platform, party)
        set_party_status(platform, SOCIOM, "excluded")
        yield built


@pytest.fixture(scope="module")
def deps(casework) -> Deps:
    return make_deps(casework[0])


def open_case(casework) -> str:
    """Intake's triage outcome, applied by casework's consumed-event handler."""
    platform, parts = casework
    case_id = f"case-{uuid.uuid4()}"
    deliver(
        platform,
        parts,
        ev.CASE_TRIAGED,
        {
            "case_id": case_id,
            "subject_pseudonym": "ps-1",
            "nominating_party": VEILIG_THUIS,
            "age_band": "16_plus",
            "routing": "case_meeting",
            "goal_code": "stabilise",
            "themes": ["safety"],
            "decision_types": ["plan"],
            "invitees": [SHELTER, POLICE],
            "process_director_party": LUMENS,
        },
    )
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
    platform, _ = casework
    case_id = open_case(casework)
    other = Caller(GGD, "pd-2", "process_director", party_status="active")
    with platform.uow_factory() as uow, pytest.raises(PermissionDenied) as err:
        meetings.schedule_meeting(deps, uow, schedule(case_id), other)
    assert err.value.policy == "zorgtafel.casework.act"
    assert any("Only the process director" in r for r in err.value.reasons)


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
