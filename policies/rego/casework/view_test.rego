# Tests for zorgtafel.casework.view (art. 8.4c need to know). Every rule has an allow and a deny
# case. Input keys are replaced one by one (see disclosure_test.rego for why).
package zorgtafel.casework.view_test

import rego.v1

view(principal, entry) := r if {
	p := principal
	c := case
	e := entry
	r := data.zorgtafel.casework.view.result with input.principal as p with input.case as c with input.entry as e
}

pd := "00000099000000000001"

cd := "00000099000000000002"

shelter := "00000099000000000003"

police := "00000099000000000004"

outsider := "00000099000000000005"

case := {
	"id": "case-1",
	"state": "plan_active",
	"process_director_party": pd,
	"case_director_party": cd,
	"roles": {
		cd: {"role": "care", "information_need": ["plan_of_approach"]},
		shelter: {"role": "shelter", "information_need": ["identity", "case_meetings"]},
		police: {"role": "safety", "information_need": ["safety"]},
	},
}

who(party, role, status) := {"party": party, "role": role, "person": "p1", "party_status": status}

entry(kind, parties) := {"kind": kind, "parties": parties}

no_entry := {"kind": "none", "parties": []}

test_process_director_sees_every_section if {
	r := view(who(pd, "process_director", "active"), no_entry)
	r.visible == true
	r.sections == ["escalation", "meetings", "plan", "roles", "status", "subject"]
}

test_other_role_of_process_director_party_is_not_the_director if {
	r := view(who(pd, "caseworker", "active"), no_entry)
	r.visible == false
}

test_case_director_sees_every_section if {
	r := view(who(cd, "case_director", "active"), no_entry)
	r.sections == ["escalation", "meetings", "plan", "roles", "status", "subject"]
}

test_caseworker_of_case_director_party_sees_its_need_only if {
	r := view(who(cd, "caseworker", "active"), no_entry)
	r.sections == ["plan", "status"]
	r.partial == ["meetings_invited", "roles_own"]
}

test_involved_party_sees_sections_of_its_information_need if {
	r := view(who(shelter, "caseworker", "active"), no_entry)
	r.visible == true
	r.sections == ["meetings", "status", "subject"]
	r.partial == ["plan_own", "roles_own"]
}

test_uninvolved_party_sees_nothing if {
	r := view(who(outsider, "caseworker", "active"), no_entry)
	r.visible == false
	r.sections == []
	some reason in r.reasons
	contains(reason, "not involved")
}

test_excluded_party_sees_nothing if {
	r := view(who(police, "caseworker", "excluded"), no_entry)
	r.visible == false
	r.sections == []
	some reason in r.reasons
	contains(reason, "art. 23.2")
}

test_front_desk_sees_who_is_in_care_not_the_dossier if {
	r := view(who(shelter, "front_desk", "active"), no_entry)
	r.sections == ["status", "subject"]
	r.partial == []
}

test_escalation_entry_only_for_safety_need if {
	view(who(police, "caseworker", "active"), entry("case.escalated", [])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("case.escalated", [])).entry_visible == false
}

test_meeting_entry_for_invitee_without_meeting_need if {
	view(who(police, "caseworker", "active"), entry("meeting.scheduled", [police])).entry_visible == true
	view(who(police, "caseworker", "active"), entry("meeting.scheduled", [shelter])).entry_visible == false
}

test_own_action_entry_without_plan_need if {
	view(who(shelter, "caseworker", "active"), entry("action.updated", [shelter])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("action.updated", [police])).entry_visible == false
	view(who(shelter, "caseworker", "active"), entry("plan.adopted", [])).entry_visible == false
}

test_roles_entry_needs_coordination if {
	view(who(pd, "process_director", "active"), entry("roles.set", [])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("roles.set", [shelter])).entry_visible == false
}

test_status_entry_for_every_involved_party_but_not_outsiders if {
	view(who(police, "caseworker", "active"), entry("case.closed", [])).entry_visible == true
	view(who(outsider, "caseworker", "active"), entry("case.closed", [])).entry_visible == false
}

test_unknown_entry_kind_is_not_shown if {
	view(who(pd, "process_director", "active"), entry("minutes.text", [])).entry_visible == false
}

test_batch_of_entries_filtered_by_need if {
	p := who(police, "caseworker", "active")
	c := case
	es := [entry("case.escalated", []), entry("plan.adopted", []), entry("meeting.held", [police]), entry("roles.set", [])]
	r := data.zorgtafel.casework.view.result with input.principal as p with input.case as c with input.entries as es
	r.entries_visible == [0, 2]
}

test_batch_of_entries_empty_for_outsider if {
	p := who(outsider, "caseworker", "active")
	c := case
	es := [entry("case.escalated", []), entry("case.closed", [])]
	r := data.zorgtafel.casework.view.result with input.principal as p with input.case as c with input.entries as es
	r.entries_visible == []
}
