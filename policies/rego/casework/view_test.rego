# Tests for zorgtafel.casework.view (art. 8.4c need to know, by person: ADR 0005). Every rule has
# an allow and a deny case. Input keys are replaced one by one (see disclosure_test.rego for why).
package zorgtafel.casework.view_test

import rego.v1

# Why one helper with one `with` site: rego-cpp (regopy 1.5.2) compiles every `with` site of a
# test package against every input-dependent rule; one site keeps the package fast.
evaluate(principal, c, entry, entries) := r if {
	p := principal
	k := c
	e := entry
	es := entries
	r := data.zorgtafel.casework.view.result with input.principal as p with input.case as k with input.entry as e with input.entries as es
}

view(principal, entry) := evaluate(principal, case, entry, [])

view_of(principal, c) := evaluate(principal, c, no_entry, [])

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
	"process_director": {"party": pd, "person": "pd-1"},
	"case_director": {"party": cd, "person": "cd-1"},
	"delegates": {cd: ["p1"], shelter: ["p1"], police: ["p1"]},
	"involved_parties": [cd, police, shelter],
	"roles": {
		cd: {"role": "care", "information_need": ["plan_of_approach"]},
		shelter: {"role": "shelter", "information_need": ["identity", "case_meetings"]},
		police: {"role": "safety", "information_need": ["safety"]},
	},
}

who(party, role, status) := {"party": party, "role": role, "person": "p1", "party_status": status, "functions": []}

person(party, id, role) := {"party": party, "role": role, "person": id, "party_status": "active", "functions": []}

director := {"party": pd, "role": "process_director", "person": "pd-1", "party_status": "active", "functions": ["process_director"]}

entry(kind, parties) := {"kind": kind, "parties": parties}

no_entry := {"kind": "none", "parties": []}

test_process_director_sees_every_section if {
	r := view(director, no_entry)
	r.visible == true
	r.sections == ["escalation", "meetings", "plan", "roles", "status", "subject"]
}

# Bijlage 3 "afschermen", GDPR art. 18: a restricted case shows its status only, to the process
# director and to a delegate alike, and no timeline entry of another section; lifted, all again.
test_a_restricted_case_shows_only_its_status if {
	restricted := object.union(case, {"restricted": true})
	every p in [director, who(shelter, "caseworker", "active"), who(shelter, "front_desk", "active")] {
		r := view_of(p, restricted)
		r.visible == true
		r.sections == ["status"]
		r.partial == []
		some reason in r.reasons
		contains(reason, "GDPR art. 18")
	}
	r := evaluate(director, restricted, no_entry, [entry("case.opened", []), entry("meeting.held", [shelter]), entry("plan.adopted", [])])
	r.entries_visible == [0]
}

test_a_lifted_restriction_shows_the_sections_again if {
	r := view_of(director, object.union(case, {"restricted": false}))
	r.sections == ["escalation", "meetings", "plan", "roles", "status", "subject"]
}

test_process_director_no_longer_designated_sees_nothing if {
	r := view(object.union(director, {"functions": []}), no_entry)
	r.visible == false
	some reason in r.reasons
	contains(reason, "art. 12.3")
}

test_process_director_of_another_case_sees_nothing_citing_12_3 if {
	other := object.union(director, {"person": "pd-2"})
	r := view(other, no_entry)
	r.visible == false
	r.sections == []
	some reason in r.reasons
	contains(reason, "art. 12.3")
}

test_token_claiming_process_director_sees_nothing if {
	r := view(who(outsider, "process_director", "active"), no_entry)
	r.visible == false
	some reason in r.reasons
	contains(reason, "art. 12.3")
}

test_other_role_of_process_director_party_is_not_the_director if {
	r := view(who(pd, "caseworker", "active"), no_entry)
	r.visible == false
}

test_named_case_director_sees_every_section if {
	r := view(person(cd, "cd-1", "case_director"), no_entry)
	r.sections == ["escalation", "meetings", "plan", "roles", "status", "subject"]
}

test_colleague_with_case_director_role_sees_only_as_a_delegate if {
	r := view(person(cd, "p1", "case_director"), no_entry)
	r.sections == ["plan", "status"]
	r.partial == ["meetings_invited", "roles_own"]
}

test_case_director_colleague_without_a_part_sees_nothing if {
	r := view(person(cd, "cd-9", "case_director"), no_entry)
	r.visible == false
	some reason in r.reasons
	contains(reason, "art. 13.1")
}

test_delegate_of_case_director_party_sees_its_need_only if {
	r := view(who(cd, "caseworker", "active"), no_entry)
	r.sections == ["plan", "status"]
	r.partial == ["meetings_invited", "roles_own"]
}

test_delegate_sees_sections_of_its_partys_information_need if {
	r := view(who(shelter, "caseworker", "active"), no_entry)
	r.visible == true
	r.sections == ["meetings", "status", "subject"]
	r.partial == ["plan_own", "roles_own"]
}

test_colleague_of_a_delegate_without_a_part_sees_nothing if {
	r := view(person(shelter, "p2", "caseworker"), no_entry)
	r.visible == false
	r.sections == []
	r.partial == []
	some reason in r.reasons
	contains(reason, "no part in the case")
}

test_involved_party_without_delegates_sees_nothing if {
	# object.remove first: object.union merges nested objects, keeping the old delegates.
	c := object.union(object.remove(case, ["delegates"]), {"delegates": {}})
	r := view_of(who(shelter, "caseworker", "active"), c)
	r.visible == false
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
	r := view(person(shelter, "desk-1", "front_desk"), no_entry)
	r.visible == true
	r.sections == ["status", "subject"]
	r.partial == []
}

test_front_desk_of_an_uninvolved_party_sees_nothing if {
	r := view(person(outsider, "desk-1", "front_desk"), no_entry)
	r.visible == false
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
	view(director, entry("roles.set", [])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("roles.set", [shelter])).entry_visible == false
}

test_own_delegate_entries_without_coordination_need if {
	view(who(shelter, "caseworker", "active"), entry("delegate.named", [shelter])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("delegate.released", [shelter])).entry_visible == true
	view(who(shelter, "caseworker", "active"), entry("delegate.named", [police])).entry_visible == false
	view(director, entry("delegate.named", [police])).entry_visible == true
}

test_status_entry_for_every_delegate_but_not_outsiders if {
	view(who(police, "caseworker", "active"), entry("case.closed", [])).entry_visible == true
	view(who(outsider, "caseworker", "active"), entry("case.closed", [])).entry_visible == false
	view(person(police, "p2", "caseworker"), entry("case.closed", [])).entry_visible == false
}

test_unknown_entry_kind_is_not_shown if {
	view(director, entry("minutes.text", [])).entry_visible == false
}

test_batch_of_entries_filtered_by_need if {
	es := [entry("case.escalated", []), entry("plan.adopted", []), entry("meeting.held", [police]), entry("roles.set", [])]
	r := evaluate(who(police, "caseworker", "active"), case, no_entry, es)
	r.entries_visible == [0, 2]
}

test_batch_of_entries_empty_for_outsider if {
	es := [entry("case.escalated", []), entry("case.closed", [])]
	r := evaluate(who(outsider, "caseworker", "active"), case, no_entry, es)
	r.entries_visible == []
}

# A refusal, and what a restriction withholds, name no case id: the caller knows which case it
# asked about (as disclosure's refusals).
test_a_refusal_says_the_case_not_its_id if {
	every p in [
		who(outsider, "caseworker", "active"),
		who(pd, "process_director", "active"),
		person(cd, "cd-2", "case_director"),
		person(shelter, "p2", "caseworker"),
	] {
		r := view_of(p, case)
		r.visible == false
		count(r.reasons) > 0
		every reason in r.reasons {
			not contains(reason, "case-1")
		}
	}
	some reason in view_of(director, object.union(case, {"restricted": true})).reasons
	contains(reason, "restriction of the case was granted")
}

# art. 12.3: a case its process director left is read by the one who takes it over once that
# person has (casework records it); before, a designated process director sees nothing of it.
test_a_case_its_process_director_left_is_not_shown_before_it_is_taken_over if {
	left := object.union(case, {"process_director": {"party": pd, "person": "", "left": true}})
	view_of(object.union(director, {"person": "pd-2"}), left).visible == false
	view_of(director, left).visible == false
}
