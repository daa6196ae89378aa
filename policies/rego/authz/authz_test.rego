# Tests for the common authorisation rules (authz.rego). Helpers are shared by the per-service
# test files in this package. See disclosure_test.rego for why tests replace input keys one by one.
package zorgtafel.authz_test

import rego.v1

decide(method, principal, resource) := d if {
	m := method
	p := principal
	r := resource
	d := data.zorgtafel.authz.decision with input.method as m with input.principal as p with input.resource as r
}

who(role, status) := {"party": "00000099000000000001", "party_status": status, "role": role, "person": "anna", "authenticated_by": "mtls"}

may(method, role) if decide(method, who(role, "active"), null).allow == true

may_not(method, role) if decide(method, who(role, "active"), null).allow == false

# Every method in `cases` allows its `allow` role and denies its `deny` role; the result lists
# the methods where that is not so (empty when all hold).
table_failures(cases) := [m |
	some m
	c := cases[m]
	not table_ok(m, c)
]

table_ok(m, c) if {
	may(m, c.allow)
	may_not(m, c.deny)
}

list_parties := "/zorgtafel.governance.v1.GovernanceService/ListParties"

test_active_party_with_role_allowed if {
	d := decide(list_parties, who("caseworker", "active"), null)
	d.allow == true
	some r in d.reasons
	contains(r, "Bijlage 3")
}

test_unknown_method_denied if {
	d := decide("/zorgtafel.x.v1.XService/Steal", who("process_director", "active"), null)
	d.allow == false
	some r in d.reasons
	contains(r, "not in the authorisation table")
}

test_health_is_not_in_policy if {
	may_not("/grpc.health.v1.Health/Check", "process_director")
}

test_excluded_party_denied if {
	d := decide(list_parties, who("caseworker", "excluded"), null)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
}

test_withdrawn_party_denied if {
	decide(list_parties, who("caseworker", "withdrawn"), null).allow == false
}

test_unknown_role_denied if {
	may_not(list_parties, "janitor")
}

test_unauthenticated_denied if {
	p := object.union(who("caseworker", "active"), {"authenticated_by": "none"})
	d := decide(list_parties, p, null)
	d.allow == false
	some r in d.reasons
	contains(r, "not authenticated")
}

test_missing_person_denied if {
	p := object.union(who("caseworker", "active"), {"person": ""})
	decide(list_parties, p, null).allow == false
}

test_dev_token_allowed if {
	p := object.union(who("caseworker", "active"), {"authenticated_by": "dev_token"})
	decide(list_parties, p, null).allow == true
}

test_empty_input_denied if {
	decide(null, null, null).allow == false
}
