# Tests for zorgtafel.casework.act. Every action has an allow and a deny case. Input keys are
# replaced one by one (see disclosure_test.rego for why).
package zorgtafel.casework.act_test

import rego.v1

decide(action, principal, extra) := d if {
	a := action
	p := principal
	c := case
	m := object.get(extra, "meeting", null)
	ap := object.get(extra, "action_party", null)
	d := data.zorgtafel.casework.act.decision with input.action as a with input.principal as p with input.case as c with input.meeting as m with input.action_party as ap
}

pd := "00000099000000000001"

cd := "00000099000000000002"

shelter := "00000099000000000003"

case := {"id": "case-1", "process_director_party": pd, "case_director_party": cd, "roles": {}}

who(party, role, status) := {"party": party, "role": role, "person": "p1", "party_status": status}

director := who(pd, "process_director", "active")

test_process_director_acts_on_own_case if {
	every a in ["schedule_meeting", "record_meeting", "decide", "close", "purge", "escalate", "adopt_plan", "list_overdue", "update_action", "read_minutes"] {
		decide(a, director, {}).allow == true
	}
}

test_process_director_of_another_party_refused if {
	d := decide("schedule_meeting", who(shelter, "process_director", "active"), {})
	d.allow == false
	some r in d.reasons
	contains(r, "Only the process director")
}

test_excluded_process_director_refused if {
	d := decide("purge", who(pd, "process_director", "excluded"), {})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
}

test_case_director_adopts_plan_and_lists_overdue_but_does_not_purge if {
	decide("adopt_plan", who(cd, "case_director", "active"), {}).allow == true
	decide("list_overdue", who(cd, "case_director", "active"), {}).allow == true
	decide("purge", who(cd, "case_director", "active"), {}).allow == false
}

test_caseworker_may_not_adopt_plan if {
	decide("adopt_plan", who(cd, "caseworker", "active"), {}).allow == false
}

test_party_updates_its_own_action if {
	decide("update_action", who(shelter, "caseworker", "active"), {"action_party": shelter}).allow == true
}

test_party_may_not_update_another_partys_action if {
	d := decide("update_action", who(shelter, "caseworker", "active"), {"action_party": cd})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 8.5")
}

test_invitee_pre_reads if {
	decide("pre_read", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": []}}).allow == true
}

test_non_invitee_may_not_pre_read if {
	d := decide("pre_read", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [cd], "attendees": []}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.2e-f")
}

test_attendee_reads_minutes if {
	decide("read_minutes", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": [shelter]}}).allow == true
}

test_invitee_who_did_not_attend_may_not_read_minutes if {
	d := decide("read_minutes", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": []}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 9.2")
}

test_unknown_action_denied if {
	d := decide("steal", director, {})
	d.allow == false
	some r in d.reasons
	contains(r, "not known")
}
