# Tests that pin each condition of authz.rego on its own (Bijlage 3, art. 20, art. 21.3, 12.2f):
# `zorgtafel policy mutation` found these conditions no test depended on: dropping one passed
# the whole suite. A decision's reasons are checked exactly (one reason, the right one), so a
# reason shown for a condition that does not hold fails too. Helpers are in authz_test.rego.
package zorgtafel.authz_test

import rego.v1

get_party := "/zorgtafel.governance.v1.GovernanceService/GetParty"

own_party := {"party": "00000099000000000001"}

only_reason(d, text) if {
	count(d.reasons) == 1
	contains(d.reasons[0], text)
}

# Bijlage 3: a principal is a party and a person, both non-empty text.
test_a_party_that_is_no_text_is_not_authenticated if {
	p := object.union(who("caseworker", "active"), {"party": 7})
	decide(list_parties, p, null).allow == false
}

test_an_empty_party_is_not_authenticated if {
	p := object.union(who("caseworker", "active"), {"party": ""})
	decide(list_parties, p, null).allow == false
}

test_a_person_that_is_no_text_is_not_authenticated if {
	p := object.union(who("caseworker", "active"), {"person": 7})
	decide(list_parties, p, null).allow == false
}

# art. 20: only an applicant reads its own application without a role for the method.
test_an_active_party_without_the_role_does_not_read_as_an_applicant if {
	decide(get_party, who("janitor", "active"), own_party).allow == false
}

# (a role the method does not name: the applicant's own reading needs none, so no role reason)
test_an_unauthenticated_applicant_gets_only_the_authentication_reason if {
	p := object.union(who("janitor", "applicant"), {"authenticated_by": "none"})
	d := decide(get_party, p, own_party)
	d.allow == false
	only_reason(d, "not authenticated")
}

test_an_applicant_reading_its_application_gets_only_the_art_20_grant if {
	d := decide(get_party, who("manager", "applicant"), own_party)
	d.allow == true
	only_reason(d, "art. 20")
}

# Bijlage 3: a role the method does not name gets that reason, and no other.
test_a_role_refusal_gives_only_the_role_reason if {
	d := decide(list_parties, who("janitor", "active"), null)
	d.allow == false
	only_reason(d, "may not call")
}

# art. 21.3, 23.2: a withdrawn party gets the party-status reason, not a role reason.
test_a_withdrawn_party_gets_only_the_status_reason if {
	d := decide(list_parties, who("caseworker", "withdrawn"), null)
	d.allow == false
	only_reason(d, "art. 21.3")
}

# art. 12.2f: a relay for the pre-read with a role the method does not name: the role reason
# only (the relay itself is lawful there).
test_a_relayed_role_refusal_gives_only_the_role_reason if {
	d := decide(request_disclosure, relay("janitor"), null)
	d.allow == false
	only_reason(d, "may not call")
}

test_an_allowed_call_gets_only_the_role_grant if {
	d := decide(list_parties, who("caseworker", "active"), null)
	d.allow == true
	only_reason(d, "is active and the role")
}
