# Tests for zorgtafel.intake.access: an allow and a deny case for every action.
# Input keys are replaced one by one (see disclosure_test.rego for why).
package zorgtafel.intake.access_test

import rego.v1

decide(action, principal, nomination) := d if {
	d := decide_for(action, principal, nomination, null)
}

decide_for(action, principal, nomination, candidate) := d if {
	a := action
	p := principal
	n := nomination
	c := candidate
	d := data.zorgtafel.intake.access.decision with input.action as a
		with input.principal as p
		with input.nomination as n
		with input.candidate as c
}

nominator := "00000099000000000001"

asked := "00000099000000000040"

outsider := "00000099000000000050"

nom := {"case_id": "c1", "nominating_party": nominator, "status": "triage", "asked_parties": [asked]}

who(party, role) := {"party": party, "role": role}

test_nominating_party_reads_its_nomination if {
	d := decide("read_nomination", who(nominator, "caseworker"), nom)
	d.allow == true
	some r in d.reasons
	contains(r, "art. 16.2")
}

test_process_director_reads_nomination if {
	decide("read_nomination", who(outsider, "process_director"), nom).allow == true
}

test_other_party_reads_nothing if {
	d := decide("read_nomination", who(outsider, "caseworker"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 8.4c")
}

test_asked_party_does_not_read_the_nomination if {
	decide("read_nomination", who(asked, "caseworker"), nom).allow == false
}

test_nominating_party_withdraws if {
	decide("withdraw_nomination", who(nominator, "caseworker"), nom).allow == true
}

test_process_director_of_another_party_does_not_withdraw if {
	d := decide("withdraw_nomination", who(outsider, "process_director"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 16.1")
}

test_asked_party_reads_question_and_answers if {
	decide("read_triage_question", who(asked, "caseworker"), nom).allow == true
	decide("answer_triage", who(asked, "case_director"), nom).allow == true
}

test_party_not_asked_may_not_answer if {
	d := decide("answer_triage", who(outsider, "caseworker"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 1.15")
}

test_process_director_reads_question_but_does_not_answer if {
	decide("read_triage_question", who(outsider, "process_director"), nom).allow == true
	decide("answer_triage", who(outsider, "process_director"), nom).allow == false
}

test_unknown_action_denied if {
	d := decide("delete_everything", who(nominator, "process_director"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "Unknown action")
}

test_missing_principal_denied if {
	decide("read_nomination", null, nom).allow == false
}

test_active_party_may_be_asked_in_triage if {
	d := decide_for("ask_in_triage", who(outsider, "process_director"), nom, {"party": asked, "status": "active"})
	d.allow == true
}

test_excluded_party_is_not_asked_in_triage if {
	d := decide_for("ask_in_triage", who(outsider, "process_director"), nom, {"party": asked, "status": "excluded"})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
}

test_unknown_party_is_not_asked_in_triage if {
	decide_for("ask_in_triage", who(outsider, "process_director"), nom, {"party": asked, "status": "unknown"}).allow == false
}

test_only_the_process_director_asks if {
	decide_for("ask_in_triage", who(nominator, "caseworker"), nom, {"party": asked, "status": "active"}).allow == false
}
