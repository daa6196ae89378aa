"""2-3. Preparing and holding the case meeting (12.2c-f, 8.4): scheduling with only lawful
invitees, the pre-read set as the disclosure service decides it, the record and its minutes."""

from __future__ import annotations

import uuid

from services.casework.adapters.disclosure_client import PreReadOutcome
from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import commands as c
from services.casework.domain import events as ev
from services.casework.domain.model import MEETING_STATES, Meeting, MeetingStatus
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers.common import (
    authorise,
    authorised_meeting,
    invite,
    load_case,
    meeting_of,
    party_facts,
)
from zorgtafel.kernel.accesslog.service import listed, saw
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument, PermissionDenied
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import (
    check_code,
    check_codes,
    check_id,
    check_list,
    check_oins,
    check_text,
)

DEFAULT_PURPOSE = "care_coordination"


def schedule_meeting(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.ScheduleMeeting, caller: Caller
) -> Meeting:
    case = load_case(uow, cmd.case_id, for_update=True)
    authorise(deps, uow, "schedule_meeting", caller, case)
    case.schedule_meeting()
    if cmd.scheduled_for is None:
        raise InvalidArgument("scheduled_for", "required")
    check_code(cmd.goal_code, "goal_code")
    decision_types = check_codes(cmd.decision_types, "decision_types", required=True)
    themes = check_codes(cmd.themes, "themes", required=True)
    parties = check_oins([i.party for i in cmd.invitees], "invitees", required=True)
    for n, i in enumerate(cmd.invitees):
        check_codes(i.lawful_themes, f"invitees[{n}].lawful_themes")
    pre_read = check_list(cmd.pre_read_item_ids, "pre_read_item_ids", check_id)

    # 12.2e: only parties that may lawfully attend - zorgtafel.casework.invite decides.
    candidates = []
    for i in cmd.invitees:
        is_party, status = party_facts(uow, i.party)
        candidates.append(
            {
                "party": i.party,
                "is_party": is_party,
                "status": status,
                "relevance": (
                    "asked_in_triage"
                    if i.party in case.triage_invitees
                    else "named_by_process_director"
                ),
                "lawful_themes": list(i.lawful_themes),
            }
        )
    result = invite(deps, case, themes, candidates)
    allowed = set(result.get("invite") or [])
    refused = [p for p in parties if p not in allowed]
    if refused:
        reasons = [r for x in result.get("refused") or [] for r in x.get("reasons", [])]
        raise PermissionDenied(
            reasons or [f"{p} may not be invited (art. 12.2e)." for p in refused],
            policy="zorgtafel.casework.invite",
        )

    meeting = Meeting(
        meeting_id=str(uuid.uuid4()),
        case_id=case.case_id,
        status=MeetingStatus.SCHEDULED,
        scheduled_for=cmd.scheduled_for,
        goal_code=cmd.goal_code,
        decision_types=decision_types,
        themes=themes,
        invitees=parties,
        pre_read_item_ids=pre_read,
    )
    uow.cases.add_meeting(meeting)
    uow.cases.save(case)
    uow.emit(
        ev.MeetingScheduled(
            case_id=case.case_id,
            meeting_id=meeting.meeting_id,
            scheduled_for=meeting.scheduled_for.isoformat(),
            invitees=parties,
        )
    )
    return meeting


def pre_read_set(
    deps: Deps, uow: CaseworkUnitOfWork, q: c.GetPreReadSet, caller: Caller
) -> PreReadOutcome:
    """The items of a meeting's pre-read set the calling invitee may read: casework checks that
    the caller is invited, the disclosure service decides each item (12.2f)."""
    # A code, as disclosure checks it (16.2: compared with the provider's purposes).
    purpose = check_code(q.purpose, "purpose", required=False) or DEFAULT_PURPOSE
    case = load_case(uow, q.case_id)
    check_id(q.meeting_id, "meeting_id")
    # Named before the policy decides, so that a refusal is logged against the case too: the id
    # asked for, before it is looked up, so that the record is alike for a meeting the case
    # holds and one it does not (the caller may not know which, 8.4c).
    saw(
        case_id=case.case_id,
        subject=case.subject_pseudonym,
        resource=f"meeting:{q.meeting_id}",
        purpose=purpose,
    )
    meeting, decision = authorised_meeting(deps, uow, "pre_read", caller, case, q.meeting_id)
    saw(decision=decision)
    # After the relationship was checked (an outsider learns no state): the pre-read is for a
    # meeting that can still be held, as RecordMeeting needs (12.2f); a case that is
    # de-escalating (8.4d) or closed holds no meeting, so nothing is released before one.
    case.require(MEETING_STATES, "pre-read for a meeting of")
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise FailedPrecondition(
            meeting.status.value,
            "the pre-read set is for before the meeting (12.2f)",
            subject="meeting.status",
        )
    # End the read before asking disclosure: no transaction stays open across remote calls.
    uow.rollback()
    outcome = deps.disclosure.pre_read(
        case.case_id, list(meeting.pre_read_item_ids), purpose, dict(q.relayed_metadata)
    )
    # What the caller gets: the meeting's items that disclosure released (it logs each
    # item's decision itself, for the reader).
    saw(
        resource=listed(
            [f"meeting:{meeting.meeting_id}", *(f"item:{r.item_id}" for r in outcome.released)]
        )
    )
    return outcome


def record_meeting(
    deps: Deps, uow: CaseworkUnitOfWork, cmd: c.RecordMeeting, caller: Caller
) -> Meeting:
    case = load_case(uow, cmd.case_id, for_update=True)
    # Only the process director records a meeting, whatever the meeting is: refused first, so
    # that a person who may not see the case's meetings (8.4c) learns nothing of which ids it
    # holds (NOT_FOUND there, the refusal here), as the decisions of a meeting are refused.
    authorise(deps, uow, "record_meeting", caller, case)
    meeting = meeting_of(uow, case, cmd.meeting_id, caller)
    attendees = check_oins(cmd.attendees, "attendees", required=True)
    stranger = [a for a in attendees if a not in meeting.invitees]
    if stranger:
        raise InvalidArgument("attendees", "only invited parties attend (12.2e, 9.2)")
    minutes = check_text(cmd.minutes, "minutes", required=False)
    case.record_meeting(meeting, attendees, utcnow())
    uow.cases.save_meeting_held(meeting, minutes)
    uow.emit(
        ev.MeetingHeld(case_id=case.case_id, meeting_id=meeting.meeting_id, attendees=attendees)
    )
    return meeting


def read_minutes(deps: Deps, uow: CaseworkUnitOfWork, q: c.GetMinutes, caller: Caller) -> str:
    case = load_case(uow, q.case_id)
    check_id(q.meeting_id, "meeting_id")
    # Named before the policy decides, so that a refusal is logged against the case too: the id
    # asked for, before it is looked up, alike for a meeting the case holds and one it does not.
    saw(
        case_id=case.case_id,
        subject=case.subject_pseudonym,
        resource=f"minutes:{q.meeting_id}",
    )
    meeting, decision = authorised_meeting(deps, uow, "read_minutes", caller, case, q.meeting_id)
    saw(decision=decision)
    if meeting.status is not MeetingStatus.HELD:
        raise FailedPrecondition(
            meeting.status.value, "the meeting was not held yet", subject="meeting.status"
        )
    minutes = uow.cases.minutes(meeting)
    if minutes is None:
        raise FailedPrecondition(
            case.state.value, "the minutes were cleansed (1.2)", subject="meeting.minutes"
        )
    return minutes
