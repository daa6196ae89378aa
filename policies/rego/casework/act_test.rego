# Tests for zorgtafel.casework.act (by person: ADR 0005). Every action has an allow and a deny
# case. Input keys are replaced one by one (see disclosure_test.rego for why).
package zorgtafel.casework.act_test

import rego.v1

decide(action, principal, extra) := d if {
	a := action
	p := principal
	c := object.get(extra, "case", case)
	m := object.get(extra, "meeting", null)
	ap := object.get(extra, "action_party", null)
	app := object.get(extra, "appointee", null)
	del := object.get(extra, "delegate", null)
	# lint:ignore line-length: one `with` site on purpose (regopy compiles each site), and Rego has no line continuation
	d := data.zorgtafel.casework.act.decision with input.action as a with input.principal as p with input.case as c with input.meeting as m with input.action_party as ap with input.appointee as app with input.delegate as del
}

pd := "00000099000000000001"

cd := "00000099000000000002"

shelter := "00000099000000000003"

outsider := "00000099000000000005"

case := {
	"id": "case-1",
	"process_director_party": pd,
	"case_director_party": cd,
	"process_director": {"party": pd, "person": "pd-1"},
	"case_director": {"party": cd, "person": "cd-1"},
	"delegates": {shelter: ["p1"]},
	"involved_parties": [cd, shelter],
	"roles": {},
}

who(party, role, status) := {"party": party, "role": role, "person": "p1", "party_status": status, "functions": []}

person(party, id, role) := {"party": party, "role": role, "person": id, "party_status": "active", "functions": []}

director := {"party": pd, "role": "process_director", "person": "pd-1", "party_status": "active", "functions": ["process_director"]}

case_director := person(cd, "cd-1", "case_director")

appointee(party, status) := {"party": party, "person": "cd-1", "is_party": true, "party_status": status}

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
	contains(r, "art. 12.3")
}

test_designated_process_director_of_another_case_refused if {
	other := object.union(director, {"person": "pd-2"})
	d := decide("decide", other, {})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_process_director_no_longer_designated_refused if {
	d := decide("close", object.union(director, {"functions": []}), {})
	d.allow == false
}

test_excluded_process_director_refused if {
	d := decide("purge", object.union(director, {"party_status": "excluded"}), {})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
}

test_case_director_adopts_plan_and_lists_overdue_but_does_not_purge if {
	decide("adopt_plan", case_director, {}).allow == true
	decide("list_overdue", case_director, {}).allow == true
	decide("purge", case_director, {}).allow == false
}

test_colleague_of_the_case_director_may_not_adopt_plan if {
	d := decide("adopt_plan", person(cd, "cd-2", "case_director"), {})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 13.1")
}

test_caseworker_may_not_adopt_plan if {
	decide("adopt_plan", who(cd, "caseworker", "active"), {}).allow == false
}

test_process_director_appoints_a_person_of_an_involved_active_party if {
	d := decide("appoint_director", director, {"appointee": appointee(cd, "active")})
	d.allow == true
	some r in d.reasons
	contains(r, "art. 13.1")
}

test_case_director_of_a_party_never_invited_refused if {
	d := decide("appoint_director", director, {"appointee": appointee(outsider, "active")})
	d.allow == false
	some r in d.reasons
	contains(r, "not involved")
	contains(r, "art. 13.1")
}

test_case_director_from_an_oin_that_is_not_a_party_refused if {
	a := {"party": "00000099000000000777", "person": "x", "is_party": false, "party_status": "unknown"}
	c := object.union(case, {"involved_parties": [cd, shelter, "00000099000000000777"]})
	d := decide("appoint_director", director, {"appointee": a, "case": c})
	d.allow == false
	some r in d.reasons
	contains(r, "not a party of the covenant")
}

test_case_director_from_an_excluded_party_refused if {
	d := decide("appoint_director", director, {"appointee": appointee(cd, "excluded")})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 13.1")
}

test_case_director_without_a_person_refused if {
	a := object.union(appointee(cd, "active"), {"person": ""})
	d := decide("appoint_director", director, {"appointee": a})
	d.allow == false
	some r in d.reasons
	contains(r, "named person")
}

test_only_the_process_director_appoints if {
	d := decide("appoint_director", case_director, {"appointee": appointee(cd, "active")})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_delegate_updates_its_partys_action if {
	decide("update_action", who(shelter, "caseworker", "active"), {"action_party": shelter}).allow == true
}

test_colleague_without_a_part_may_not_update_its_partys_action if {
	d := decide("update_action", person(shelter, "p2", "caseworker"), {"action_party": shelter})
	d.allow == false
	some r in d.reasons
	contains(r, "Bijlage 3")
}

test_party_may_not_update_another_partys_action if {
	d := decide("update_action", who(shelter, "caseworker", "active"), {"action_party": cd})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 8.5")
}

test_delegate_of_invitee_pre_reads if {
	decide("pre_read", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": []}}).allow == true
}

test_colleague_of_invitee_without_a_part_may_not_pre_read if {
	d := decide("pre_read", person(shelter, "p2", "caseworker"), {"meeting": {"invitees": [shelter], "attendees": []}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.2f")
}

test_non_invitee_may_not_pre_read if {
	d := decide("pre_read", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [cd], "attendees": []}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.2e-f")
}

test_delegate_of_attendee_reads_minutes if {
	decide("read_minutes", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": [shelter]}}).allow == true
}

test_colleague_of_attendee_without_a_part_may_not_read_minutes if {
	d := decide("read_minutes", person(shelter, "p2", "caseworker"), {"meeting": {"invitees": [shelter], "attendees": [shelter]}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 9.2")
	contains(r, "delegates")
}

test_invitee_who_did_not_attend_may_not_read_minutes if {
	d := decide("read_minutes", who(shelter, "caseworker", "active"), {"meeting": {"invitees": [shelter], "attendees": []}})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 9.2")
}

# Bijlage 3 "afschermen", GDPR art. 18: a restricted case's minutes and pre-read go to no one,
# its process director included; lifted (or never restricted), they go as before.
test_a_restricted_case_shows_its_minutes_and_pre_read_to_no_one if {
	restricted := object.union(case, {"restricted": true})
	held := {"invitees": [shelter], "attendees": [shelter]}
	every a in ["read_minutes", "pre_read"] {
		every p in [who(shelter, "caseworker", "active"), director] {
			d := decide(a, p, {"case": restricted, "meeting": held})
			d.allow == false
			some r in d.reasons
			contains(r, "GDPR art. 18")
		}
	}
}

test_a_lifted_restriction_shows_the_minutes_again if {
	lifted := object.union(case, {"restricted": false})
	decide("read_minutes", who(shelter, "caseworker", "active"), {"case": lifted, "meeting": {"invitees": [shelter], "attendees": [shelter]}}).allow == true
	decide("read_minutes", director, {"case": lifted, "meeting": {"invitees": [shelter], "attendees": [shelter]}}).allow == true
}

test_a_restriction_does_not_stop_the_process_director_directing_the_case if {
	decide("close", director, {"case": object.union(case, {"restricted": true})}).allow == true
}

# GDPR art. 18(2): a restricted case is only kept: nothing is added to it or decided in it, by
# its process director, its case director or a delegate; what ends or escalates it, and who acts
# for a party, stay possible; lifted, everything goes as before.
test_nothing_is_added_to_or_decided_in_a_restricted_case if {
	restricted := object.union(case, {"restricted": true})
	lifted := object.union(case, {"restricted": false})
	every a in ["schedule_meeting", "record_meeting", "decide", "adopt_plan", "update_action"] {
		d := decide(a, director, {"case": restricted, "action_party": shelter})
		d.allow == false
		some r in d.reasons
		contains(r, "GDPR art. 18(2)")
		decide(a, director, {"case": lifted, "action_party": shelter}).allow == true
	}
	decide("adopt_plan", case_director, {"case": restricted}).allow == false
	decide("update_action", person(shelter, "p1", "caseworker"), {"case": restricted, "action_party": shelter}).allow == false
	every a in ["close", "purge", "escalate"] {
		decide(a, director, {"case": restricted}).allow == true
	}
	decide("name_delegate", person(shelter, "p1", "caseworker"), {"case": restricted, "delegate": {"party": shelter, "person": "p3"}}).allow == true
}

# The restriction is told only to whom the action would otherwise be allowed (who sees the
# case's status): not to a person of another party, nor to a colleague without a part.
test_a_restriction_is_not_told_to_whom_may_not_act_anyway if {
	restricted := object.union(case, {"restricted": true})
	every a in [
		["update_action", person(shelter, "p2", "caseworker")],
		["update_action", who(outsider, "caseworker", "active")],
		["schedule_meeting", who(shelter, "process_director", "active")],
	] {
		d := decide(a[0], a[1], {"case": restricted, "action_party": shelter})
		d.allow == false
		every r in d.reasons {
			not contains(r, "GDPR art. 18")
		}
	}
}

test_a_delegate_names_and_releases_a_colleague_of_its_own_party if {
	p := person(shelter, "p1", "caseworker")
	decide("name_delegate", p, {"delegate": {"party": shelter, "person": "p3"}}).allow == true
	decide("release_delegate", p, {"delegate": {"party": shelter, "person": "p3"}}).allow == true
}

test_the_process_director_names_and_releases_an_involved_partys_delegate if {
	decide("name_delegate", director, {"delegate": {"party": shelter, "person": "p3"}}).allow == true
	decide("release_delegate", director, {"delegate": {"party": shelter, "person": "p1"}}).allow == true
}

test_a_colleague_without_a_part_cannot_name_itself_a_delegate if {
	d := decide("name_delegate", person(shelter, "p2", "caseworker"), {"delegate": {"party": shelter, "person": "p2"}})
	d.allow == false
	some r in d.reasons
	contains(r, "Bijlage 3")
	contains(r, "cannot name itself")
}

test_uninvolved_party_may_not_name_a_delegate if {
	d := decide("name_delegate", who(outsider, "caseworker", "active"), {"delegate": {"party": outsider, "person": "p1"}})
	d.allow == false
	some r in d.reasons
	contains(r, "not involved")
	contains(r, "art. 16.1")
}

test_party_may_not_name_a_delegate_for_another_party if {
	d := decide("name_delegate", who(shelter, "caseworker", "active"), {"delegate": {"party": cd, "person": "p1"}})
	d.allow == false
	some r in d.reasons
	contains(r, "by a delegate of that party")
}

test_excluded_party_may_not_name_a_delegate if {
	p := who(shelter, "caseworker", "excluded")
	decide("name_delegate", p, {"delegate": {"party": shelter, "person": "p1"}}).allow == false
}

test_unknown_action_denied if {
	d := decide("steal", director, {})
	d.allow == false
	some r in d.reasons
	contains(r, "not known")
}

# --- a refusal names no case id: the caller knows which case it asked about (as disclosure's) ---

test_a_refusal_says_the_case_not_its_id if {
	held := {"invitees": [shelter], "attendees": [shelter]}
	restricted := object.union(case, {"restricted": true})
	not_a_party := {"party": "00000099000000000777", "person": "x", "is_party": false, "party_status": "unknown"}
	every inp in [
		["schedule_meeting", who(shelter, "process_director", "active"), {}],
		["appoint_director", director, {"appointee": appointee(outsider, "active")}],
		["appoint_director", director, {"appointee": not_a_party}],
		["adopt_plan", person(cd, "cd-2", "case_director"), {}],
		["update_action", who(shelter, "caseworker", "active"), {"action_party": cd}],
		["update_action", person(shelter, "p2", "caseworker"), {"action_party": shelter}],
		["pre_read", person(shelter, "p2", "caseworker"), {"meeting": held}],
		["read_minutes", person(shelter, "p2", "caseworker"), {"meeting": held}],
		["read_minutes", director, {"case": restricted, "meeting": held}],
		["name_delegate", who(outsider, "caseworker", "active"), {"delegate": {"party": outsider, "person": "p1"}}],
		["name_delegate", person(shelter, "p2", "caseworker"), {"delegate": {"party": shelter, "person": "p2"}}],
	] {
		d := decide(inp[0], inp[1], inp[2])
		d.allow == false
		count(d.reasons) > 0
		every r in d.reasons {
			not contains(r, "case-1")
		}
	}
}

# --- a refusal tells a caller not entitled to the action nothing of the named party (8.4c) ---

# The caller's reasons with the named party's id (which it gave) taken out: what they say of it.
said(d, named) := sort([replace(r, named, "<named>") | some r in d.reasons])

# A worker of an involved party without a part in the case, and a delegate of it, see nothing of
# which parties are involved, or only their own role (view.rego): the refusal to name or release
# another party's delegate is the same whether that party is involved (cd) or not (outsider).
test_a_delegate_refusal_says_nothing_of_whether_the_named_party_is_involved if {
	every p in [person(shelter, "p2", "caseworker"), person(shelter, "p1", "caseworker")] {
		every a in ["name_delegate", "release_delegate"] {
			involved := decide(a, p, {"delegate": {"party": cd, "person": "x"}})
			uninvolved := decide(a, p, {"delegate": {"party": outsider, "person": "x"}})
			involved.allow == false
			uninvolved.allow == false
			said(involved, cd) == said(uninvolved, outsider)
			every r in uninvolved.reasons {
				not contains(r, "not involved")
			}
		}
	}
}

# The process director sees the whole case: it is told the party it named is not involved.
test_the_process_director_is_told_the_named_party_is_not_involved if {
	d := decide("name_delegate", director, {"delegate": {"party": outsider, "person": "x"}})
	d.allow == false
	some r in d.reasons
	contains(r, "not involved")
}

# Only the process director appoints a case director: anyone else is refused for that alone,
# alike for an appointee of an involved party and one of a party not involved or not a party.
test_an_appointment_refusal_says_nothing_of_the_appointee_to_a_non_director if {
	not_a_party := {"party": "00000099000000000777", "person": "cd-1", "is_party": false, "party_status": "unknown"}
	every p in [person(shelter, "p2", "caseworker"), person(shelter, "p1", "caseworker"), case_director] {
		involved := decide("appoint_director", p, {"appointee": appointee(shelter, "active")})
		uninvolved := decide("appoint_director", p, {"appointee": appointee(outsider, "active")})
		stranger := decide("appoint_director", p, {"appointee": not_a_party})
		involved.allow == false
		said(involved, shelter) == said(uninvolved, outsider)
		said(involved, shelter) == said(stranger, "00000099000000000777")
	}
}

# A worker of an involved party without a part sees nothing of the case (view.rego), so not whose
# an action is: its refusal to update one is the same for its party's action, another party's
# and one no party carries out (the handler asks so for an id the case does not hold).
test_an_update_refusal_to_a_colleague_without_a_part_says_nothing_of_the_action if {
	p := person(shelter, "p2", "caseworker")
	own := decide("update_action", p, {"action_party": shelter})
	own.allow == false
	own.reasons == decide("update_action", p, {"action_party": cd}).reasons
	own.reasons == decide("update_action", p, {"action_party": ""}).reasons
}

# A delegate sees its own party's actions only: another party's action and none are alike to it.
test_a_delegate_is_told_alike_for_another_partys_action_and_none if {
	p := who(shelter, "caseworker", "active")
	other := decide("update_action", p, {"action_party": cd})
	other.allow == false
	other.reasons == decide("update_action", p, {"action_party": ""}).reasons
}

# A worker of an involved party without a part sees nothing of the case (view.rego), so not
# whether its party was invited to a meeting: its pre-read refusal is the same for a meeting its
# party was invited to, one it was not and none (the handler asks so for an id the case does
# not hold). A delegate sees the meetings its party was invited to only: a meeting it was not
# invited to and none are alike to it.
test_a_pre_read_refusal_says_nothing_of_the_meeting_to_whom_may_not_see_it if {
	worker := person(shelter, "p2", "caseworker")
	invited := decide("pre_read", worker, {"meeting": {"invitees": [shelter], "attendees": []}})
	invited.allow == false
	invited.reasons == decide("pre_read", worker, {"meeting": {"invitees": [cd], "attendees": []}}).reasons
	invited.reasons == decide("pre_read", worker, {"meeting": {"invitees": [], "attendees": []}}).reasons
	delegate := who(shelter, "caseworker", "active")
	other := decide("pre_read", delegate, {"meeting": {"invitees": [cd], "attendees": []}})
	other.allow == false
	other.reasons == decide("pre_read", delegate, {"meeting": {"invitees": [], "attendees": []}}).reasons
}

# A worker of an involved party without a part sees nothing of the case (view.rego), so not
# whether its party attended a meeting: its refusal to read the minutes is the same for a
# meeting its party attended, one it did not and none (the handler asks so for an id the case
# does not hold). A delegate is told alike for a meeting its party did not attend and none.
test_a_minutes_refusal_says_nothing_of_the_meeting_to_whom_may_not_see_it if {
	worker := person(shelter, "p2", "caseworker")
	attended := decide("read_minutes", worker, {"meeting": {"invitees": [shelter], "attendees": [shelter]}})
	attended.allow == false
	attended.reasons == decide("read_minutes", worker, {"meeting": {"invitees": [cd], "attendees": [cd]}}).reasons
	attended.reasons == decide("read_minutes", worker, {"meeting": {"invitees": [], "attendees": []}}).reasons
	delegate := who(shelter, "caseworker", "active")
	other := decide("read_minutes", delegate, {"meeting": {"invitees": [cd], "attendees": [cd]}})
	other.allow == false
	other.reasons == decide("read_minutes", delegate, {"meeting": {"invitees": [], "attendees": []}}).reasons
}

# Bijlage 3 "afschermen", GDPR art. 18: a restricted case shows its status only (view.rego), so
# the overdue list does not show its plan (which actions, of which party, due when) either.
test_a_restricted_cases_overdue_actions_are_listed_to_no_one if {
	d := decide("list_overdue", director, {"case": object.union(case, {"restricted": true})})
	d.allow == false
	some r in d.reasons
	contains(r, "GDPR art. 18")
	decide("list_overdue", director, {"case": object.union(case, {"restricted": false})}).allow == true
}

# art. 12.3: the designation of its process director ended and casework took the person off it
# (RosterChanged): a designated process director of an active party takes it over by directing
# it (the service records who did); in directing only, and not before it is taken over.
left_case := object.union(case, {"state": "meeting_planned", "process_director": {"party": pd, "person": "", "left": true}})

taking_over := object.union(director, {"person": "pd-2"})

test_a_case_its_process_director_left_is_taken_over_by_a_designated_one if {
	every a in ["schedule_meeting", "record_meeting", "decide", "close", "escalate"] {
		decide(a, taking_over, {"case": left_case}).allow == true
	}
	d := decide("schedule_meeting", taking_over, {"case": left_case})
	some r in d.reasons
	contains(r, "takes it over")
	not any_as_delegate(d.reasons)
	decide("schedule_meeting", object.union(taking_over, {"party": shelter}), {"case": left_case}).allow == true
	decide("appoint_director", taking_over, {"case": left_case, "appointee": appointee(cd, "active")}).allow == true
}

any_as_delegate(reasons) if {
	some r in reasons
	contains(r, "as its delegate")
}

test_who_is_not_a_designated_process_director_of_an_active_party_takes_over_nothing if {
	decide("schedule_meeting", object.union(taking_over, {"functions": []}), {"case": left_case}).allow == false
	decide("schedule_meeting", object.union(taking_over, {"functions": ["manager"]}), {"case": left_case}).allow == false
	d := decide("schedule_meeting", object.union(taking_over, {"party_status": "excluded"}), {"case": left_case})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
	decide("schedule_meeting", object.union(taking_over, {"person": ""}), {"case": left_case}).allow == false
}

test_a_case_is_taken_over_in_directing_only if {
	decide("adopt_plan", taking_over, {"case": left_case}).allow == false
	decide("list_overdue", taking_over, {"case": left_case}).allow == false
	decide("read_minutes", taking_over, {"case": left_case, "meeting": {"invitees": [], "attendees": []}}).allow == false
	decide("name_delegate", taking_over, {"case": left_case, "delegate": {"party": shelter, "person": "p2"}}).allow == false
}

test_a_case_someone_directs_never_directed_or_closed_is_not_taken_over if {
	directed := object.union(left_case, {"process_director": {"person": "pd-1", "left": false}})
	d := decide("schedule_meeting", taking_over, {"case": directed})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
	# not marked as left (casework marks a case opened naming no person as left at its opening):
	# fail closed, nobody takes it over
	never := object.union(case, {"state": "open", "process_director": {"party": pd, "person": ""}})
	decide("schedule_meeting", taking_over, {"case": never}).allow == false
	decide("purge", taking_over, {"case": object.union(left_case, {"state": "closed"})}).allow == false
	decide("decide", taking_over, {"case": object.remove(left_case, ["state"])}).allow == false
	decide("close", taking_over, {"case": object.union(left_case, {"process_director": {"left": "true"}})}).allow == false
	decide("close", taking_over, {"case": object.union(left_case, {"process_director": {"person": null}})}).allow == false
}

# art. 12.3: the cases awaiting a process director are listed to a designated process director
# of an active party only (the roster's function, never the token's role), asked of a case as
# one awaiting its director (monitoring._awaiting).
test_a_designated_process_director_sees_the_cases_awaiting_one if {
	d := decide("list_awaiting_director", taking_over, {"case": left_case})
	d.allow == true
	some r in d.reasons
	contains(r, "art. 12.3")
	not any_as_delegate(d.reasons)
	decide("list_awaiting_director", object.union(taking_over, {"party": shelter}), {"case": left_case}).allow == true
}

test_who_is_no_designated_process_director_sees_no_case_awaiting_one if {
	d := decide("list_awaiting_director", object.union(taking_over, {"functions": []}), {"case": left_case})
	d.allow == false
	some r in d.reasons
	contains(r, "designated process director")
	decide("list_awaiting_director", object.union(taking_over, {"functions": ["manager"], "role": "manager"}), {"case": left_case}).allow == false
	decide("list_awaiting_director", object.union(case_director, {"party": cd}), {"case": left_case}).allow == false
	decide("list_awaiting_director", object.union(taking_over, {"party_status": "excluded"}), {"case": left_case}).allow == false
	decide("list_awaiting_director", object.union(taking_over, {"person": ""}), {"case": left_case}).allow == false
	# a case someone directs is no case awaiting one
	directed := object.union(left_case, {"process_director": {"person": "pd-1", "left": false}})
	decide("list_awaiting_director", taking_over, {"case": directed}).allow == false
}
