# METADATA
# title: Who may act on this case (beyond the method table of zorgtafel.authz)
# description: >-
#   zorgtafel.authz decides which roles may call a method at all; this policy decides whether
#   the caller may do it to THIS case. The process director of the case organises its meetings
#   and records their decisions (art. 12.2c-f, 8.4), closes and purges it (1.2) and escalates it
#   (Bijlage 2). The case director monitors the plan (art. 13.2); a party updates the actions it
#   carries out under its own powers (art. 8.5, 16.1). Only invitees pre-read (art. 12.2f, the
#   disclosure service then decides per item); minutes are not public (art. 9.2): only the
#   process director and the meeting's attendees read them. Only active parties act (art. 23.2).
#   Input contract: schemas/casework.act.input.schema.json. Query: data.zorgtafel.casework.act.decision
# custom:
#   articles: ["art. 1.2", "art. 8.4", "art. 8.5", "art. 9.2", "art. 12.2", "art. 13.2", "art. 16.1", "art. 23.2", "Bijlage 2"]
package zorgtafel.casework.act

import rego.v1

principal := object.get(input, "principal", {})

case := object.get(input, "case", {})

party := object.get(principal, "party", "")

meeting := object.get(input, "meeting", {})

process_director_acts := {"schedule_meeting", "record_meeting", "decide", "close", "purge", "escalate"}

actions := process_director_acts | {"adopt_plan", "update_action", "list_overdue", "pre_read", "read_minutes"}

default active := false

active if principal.party_status == "active"

default process_director := false

process_director if {
	party != ""
	party == case.process_director_party
	principal.role == "process_director"
}

default case_director := false

case_director if {
	party != ""
	party == case.case_director_party
	principal.role == "case_director"
}

default acts_for_party := false

acts_for_party if {
	party != ""
	party == input.action_party
}

default attendee := false

attendee if party in object.get(meeting, "attendees", [])

default invitee := false

invitee if party in object.get(meeting, "invitees", [])

default role_fits := false

role_fits if {
	input.action in process_director_acts
	process_director
}

role_fits if {
	input.action in {"adopt_plan", "list_overdue"}
	process_director
}

role_fits if {
	input.action in {"adopt_plan", "list_overdue"}
	case_director
}

role_fits if {
	input.action == "update_action"
	process_director
}

role_fits if {
	input.action == "update_action"
	case_director
}

role_fits if {
	input.action == "update_action"
	acts_for_party
}

role_fits if {
	input.action == "pre_read"
	invitee
}

role_fits if {
	input.action == "read_minutes"
	process_director
}

role_fits if {
	input.action == "read_minutes"
	attendee
}

default permitted := false

permitted if {
	active
	input.action in actions
	role_fits
}

denials contains sprintf("The action %v is not known to this policy; denied by default.", [object.get(input, "action", null)]) if not input.action in actions

denials contains sprintf("Party %v has status %v; only active parties act on a case (art. 21.3, art. 23.2).", [party, object.get(principal, "party_status", "unknown")]) if not active

denials contains sprintf("Only the process director of case %v may %v it (art. 12.2, art. 8.4, art. 1.2, Bijlage 2).", [object.get(case, "id", null), input.action]) if {
	input.action in process_director_acts
	not process_director
}

denials contains sprintf("Only the process director or the case director of case %v may do this (art. 8.4b, art. 13.2-13.3).", [object.get(case, "id", null)]) if {
	input.action in {"adopt_plan", "list_overdue"}
	not process_director
	not case_director
}

denials contains sprintf("Party %v does not carry out this action and does not direct case %v (art. 8.5, art. 13.2).", [party, object.get(case, "id", null)]) if {
	input.action == "update_action"
	not role_fits
}

denials contains sprintf("Party %v was not invited to this meeting; only invitees read before it (art. 12.2e-f).", [party]) if {
	input.action == "pre_read"
	not invitee
}

denials contains sprintf("Minutes are not public: only the process director and the meeting's attendees read them; party %v did not attend (art. 9.2).", [party]) if {
	input.action == "read_minutes"
	not role_fits
}

grants contains sprintf("Party %v may %v case %v as its process director (art. 12.2).", [party, input.action, case.id]) if {
	permitted
	process_director
}

grants contains sprintf("Party %v may %v case %v as its case director (art. 13.2).", [party, input.action, case.id]) if {
	permitted
	not process_director
	case_director
}

grants contains sprintf("Party %v may %v as the party concerned (art. 8.5, art. 12.2f, art. 9.2).", [party, input.action]) if {
	permitted
	not process_director
	not case_director
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
