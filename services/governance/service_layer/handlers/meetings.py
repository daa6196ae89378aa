"""Meetings of the regional board and the partner council and who attended them (art. 4.2,
4.5, 6.2, 6.7): attendance decides who counts as present on a proposal (5.3, 7.2)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain import commands as c
from services.governance.domain.bodies import Body
from services.governance.domain.decisions import Meeting
from services.governance.domain.formats import check_issued_id
from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers.common import (
    StandIn,
    authorise,
    authorise_in_body,
    decided_by,
    known_party,
    meeting_parties,
    new_id,
    unknown,
)
from zorgtafel.kernel.accesslog.service import saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.validate import check_oins

MAX_PRESENT = 200


@dataclass(frozen=True)
class MeetingView:
    meeting: Meeting
    present: list[str]


MEETING = ("meeting", "meeting_id")


def find_meeting(
    uow: GovernanceUnitOfWork, meeting_id: str, stand_in: StandIn | None = None
) -> Meeting:
    """The meeting ``meeting_id``; when there is none, what a person with no seat in the
    meeting's body is told of a real one (``unknown``)."""
    check_issued_id(meeting_id, "meeting_id")
    meeting = uow.proposals.meeting(meeting_id)
    if meeting is None:
        raise unknown(uow, MEETING, stand_in)
    return meeting


def of_a_body(deps: Deps, caller: Caller, action: str, **facts: Any) -> StandIn:
    """The stand-in of a body's meeting or proposal for ``action``: the decision on a matter
    of the regional board organised, proposed or affecting no party (its facts as
    ``authorise_in_body`` gives them)."""
    return StandIn(deps, caller, action, {"body": Body.REGIONAL_BOARD.value, **facts})


def get_meeting(uow: GovernanceUnitOfWork, meeting_id: str) -> MeetingView:
    meeting = find_meeting(uow, meeting_id)
    return MeetingView(meeting, uow.proposals.attendance(meeting.meeting_id))


def read_meeting(
    deps: Deps, uow: GovernanceUnitOfWork, meeting_id: str, caller: Caller
) -> MeetingView:
    """A meeting, to the holders of a seat in its body (art. 5.5, 7.5: not public)."""
    meeting = find_meeting(uow, meeting_id, of_a_body(deps, caller, "read_meeting"))
    saw(resource=meeting.meeting_id)  # named in a refusal's record too
    decided_by(
        authorise_in_body(
            deps, uow, caller, "read_meeting", meeting.body, meeting_parties(meeting), MEETING
        )
    )
    return MeetingView(meeting, uow.proposals.attendance(meeting.meeting_id))


def schedule_meeting(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.ScheduleMeeting, caller: Caller
) -> MeetingView:
    if cmd.body is Body.MANAGERS:
        raise InvalidArgument(
            "body", "meetings are held by the regional board (4.2) and the partner council (6.2)"
        )
    if cmd.scheduled_for is None:
        raise InvalidArgument("scheduled_for", "required")
    authorise(deps, uow, caller, "schedule_meeting", body=cmd.body.value)
    meeting = Meeting(new_id("mtg"), cmd.body, cmd.scheduled_for, caller.party, deps.now())
    uow.proposals.add(meeting)
    return MeetingView(meeting, [])


def record_attendance(
    deps: Deps, uow: GovernanceUnitOfWork, cmd: c.RecordAttendance, caller: Caller
) -> MeetingView:
    meeting = find_meeting(uow, cmd.meeting_id, of_a_body(deps, caller, "record_attendance"))
    present = check_oins(cmd.present, "present", limit=MAX_PRESENT, duplicates="merge")
    # Before the parties are looked up: their answer would tell an outsider the meeting exists.
    authorise_in_body(
        deps, uow, caller, "record_attendance", meeting.body, meeting_parties(meeting), MEETING
    )
    for party_id in present:
        known_party(uow, party_id, "present")
    # Who attended is known once the meeting has begun: a list recorded ahead of it made its
    # parties present on matters decided before anyone met (5.3, 7.2). After the relationship
    # was checked, so that only the body's chair or secretary learns the meeting's state.
    meeting.require_begun(deps.now(), "who attended is recorded from its start")
    uow.proposals.add_attendance(meeting.meeting_id, present)
    uow.session.flush()
    return MeetingView(meeting, uow.proposals.attendance(meeting.meeting_id))
