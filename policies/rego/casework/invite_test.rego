# Tests for art. 12.2e invitations. See disclosure_test.rego for why input keys are replaced one by one.
package zorgtafel.casework.invite_test

import rego.v1

invite(case, candidates) := r if {
	c := case
	k := candidates
	r := data.zorgtafel.casework.invite.result with input.case as c with input.candidates as k
}

case := {"id": "case-1", "themes": ["housing", "safety"], "nominating_party": "P1"}

cand(party, changes) := object.union({"party": party, "is_party": true, "status": "active", "relevance": "asked_in_triage", "lawful_themes": ["safety"]}, changes)

refusal_of(r, party) := reasons if {
	some x in r.refused
	x.party == party
	reasons := x.reasons
}

test_active_relevant_lawful_party_invited if {
	r := invite(case, [cand("P2", {})])
	r.invite == ["P2"]
	r.themes_by_party.P2 == ["safety"]
}

test_named_by_process_director_invited if {
	r := invite(case, [cand("P2", {"relevance": "named_by_process_director"})])
	r.invite == ["P2"]
}

test_nominating_party_invited_without_triage if {
	r := invite(case, [cand("P1", {"relevance": "none"})])
	r.invite == ["P1"]
}

test_not_relevant_party_refused if {
	r := invite(case, [cand("P3", {"relevance": "none"})])
	r.invite == []
	some reason in refusal_of(r, "P3")
	contains(reason, "not asked in the triage")
}

test_excluded_party_refused if {
	r := invite(case, [cand("P2", {"status": "excluded"})])
	r.invite == []
	some reason in refusal_of(r, "P2")
	contains(reason, "art. 23.2")
}

test_party_without_legal_basis_refused if {
	r := invite(case, [cand("P2", {"lawful_themes": ["health"]})])
	r.invite == []
	some reason in refusal_of(r, "P2")
	contains(reason, "no legal basis")
}

test_third_party_refused if {
	r := invite(case, [cand("Journalist", {"is_party": false})])
	r.invite == []
	some reason in refusal_of(r, "Journalist")
	contains(reason, "art. 9.2")
}

test_mixed_candidates if {
	r := invite(case, [cand("P1", {}), cand("P2", {"status": "withdrawn"}), cand("P3", {"lawful_themes": ["housing", "safety"]})])
	r.invite == ["P1", "P3"]
	count(r.refused) == 1
}

test_a_candidate_without_a_status_is_refused_as_status_unknown if {
	r := invite(case, [{"party": "P2", "is_party": true, "relevance": "asked_in_triage", "lawful_themes": ["safety"]}])
	r.invite == []
	some reason in refusal_of(r, "P2")
	contains(reason, "has status unknown")
}

test_a_status_that_is_not_text_is_shown_as_unknown if {
	r := invite(case, [cand("P2", {"status": 7})])
	r.invite == []
	some reason in refusal_of(r, "P2")
	contains(reason, "has status unknown")
}

test_a_party_named_twice_is_refused_once_with_every_reason if {
	r := invite(case, [cand("P2", {"is_party": false}), cand("P2", {"status": "excluded"})])
	r.invite == []
	count(r.refused) == 1
	reasons := refusal_of(r, "P2")
	count(reasons) == 2
	some a in reasons
	contains(a, "not a party to the covenant")
	some b in reasons
	contains(b, "has status excluded")
}
