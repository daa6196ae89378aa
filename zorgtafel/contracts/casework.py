"""Events on ``zorgtafel.casework.v1`` (key: case_id)."""

_NS = "nl.zorgtafel.casework"

# data: case_id, subject_pseudonym, nominating_party, age_band, invitees [OIN..],
#       process_director_party
CASE_OPENED = f"{_NS}.case.opened.v1"
# data: case_id, meeting_id, scheduled_for, invitees [OIN..]
MEETING_SCHEDULED = f"{_NS}.meeting.scheduled.v1"
# data: case_id, meeting_id, attendees [OIN..]   (never the minutes: 9.2)
MEETING_HELD = f"{_NS}.meeting.held.v1"
# data: case_id, party, person
DIRECTOR_APPOINTED = f"{_NS}.director.appointed.v1"
# data: case_id, roles {OIN: {"role": str, "information_need": [category..]}} (8.4c)
#       -- the complete set: a party missing from it is no longer involved
ROLES_SET = f"{_NS}.roles.set.v1"
# data: case_id, plan_version, actions (count)
PLAN_ADOPTED = f"{_NS}.plan.adopted.v1"
# data: case_id, meeting_id, criteria [code..] (8.4d)
CRITERIA_SET = f"{_NS}.criteria.set.v1"
# data: case_id, action_id, party, status ("open"|"in_progress"|"done"|"cancelled")
ACTION_UPDATED = f"{_NS}.action.updated.v1"
# data: case_id, meeting_id
CASE_DEESCALATED = f"{_NS}.case.deescalated.v1"
# data: case_id, zvh, reason_code
CASE_ESCALATED = f"{_NS}.case.escalated.v1"
# data: case_id, outcome ("successful"|"escalated"|"other")
CASE_CLOSED = f"{_NS}.case.closed.v1"
# data: case_id -- every service deletes its copies and projections of the case
CASE_PURGED = f"{_NS}.case.purged.v1"
