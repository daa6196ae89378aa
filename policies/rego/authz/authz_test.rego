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

# --- the tables are data (authz/data.json) -------------------------------------------------------

# A policy owner reads in the table why each method admits each role: no entry without roles and
# a citation.
test_every_table_entry_names_roles_and_cites_why if {
	uncited := [m |
		some m
		entry := data.zorgtafel.authz.method_roles[m]
		not cited(entry)
	]
	uncited == []
}

cited(entry) if {
	count(entry.roles) > 0
	regex.match(`(art\. \d|Bijlage \d)`, entry.articles)
}

# --- relayed calls (authenticated_by "mtls_relay") ----------------------------------------------

request_disclosure := "/zorgtafel.disclosure.v1.DisclosureService/RequestDisclosure"

relay_by(role, service) := object.union(who(role, "active"), {"authenticated_by": "mtls_relay", "relayed_by": service})

relay(role) := relay_by(role, "casework")

# Each relayable method is served only to the service of its route: casework's certificate
# cannot reach the subject access report, disclosure's cannot ask for a pre-read.
test_a_relay_is_bound_to_the_service_of_its_route if {
	decide(export_subject_data, relay_by("privacy_officer", "disclosure"), null).allow == true
	decide(export_subject_data, relay_by("privacy_officer", "casework"), null).allow == false
	decide(request_disclosure, relay_by("caseworker", "disclosure"), null).allow == false
	d := decide(request_disclosure, object.remove(relay("caseworker"), ["relayed_by"]), null)
	d.allow == false
	some r in d.reasons
	contains(r, "relay")
}

# art. 12.2f: casework relays a reader's token to disclosure for the pre-read set.
test_relayed_call_may_request_disclosure_for_the_pre_read if {
	d := decide(request_disclosure, relay("caseworker"), null)
	d.allow == true
	some r in d.reasons
	contains(r, "relayed")
}

# A relay carries the person's role: the table still decides.
test_relayed_call_keeps_the_role_check if {
	d := decide(request_disclosure, relay("board_chair"), null)
	d.allow == false
	some r in d.reasons
	contains(r, "may not call")
}

test_relayed_call_keeps_the_party_status_check if {
	p := object.union(relay("caseworker"), {"party_status": "excluded"})
	decide(request_disclosure, p, null).allow == false
}

# art. 8.4c, 15.1: a relay carries a person's token only for the pre-read it serves.
test_relayed_call_to_another_method_denied_citing_need_to_know if {
	d := decide("/zorgtafel.casework.v1.CaseworkService/GetPreReadSet", relay("caseworker"), null)
	d.allow == false
	some r in d.reasons
	contains(r, "relay")
	contains(r, "art. 8.4c")
}

# Every method of the table, called by a relay with a role the method admits: only the pre-read's
# disclosure request and a service's part of the subject access report (issue #14) are served.
test_only_relayable_methods_serve_a_relay if {
	served := {m |
		some m
		entry := data.zorgtafel.authz.method_roles[m]
		some service in ["intake", "casework", "governance", "disclosure"]
		decide(m, relay_by(entry.roles[0], service), null).allow == true
	}
	served == {request_disclosure, export_subject_data}
}

test_applicant_own_application_not_through_a_relay if {
	p := object.union(relay("manager"), {"party_status": "applicant"})
	r := {"party": "00000099000000000001"}
	decide("/zorgtafel.governance.v1.GovernanceService/GetParty", p, r).allow == false
}

test_mtls_still_served_for_every_method if {
	denied := {m |
		some m
		entry := data.zorgtafel.authz.method_roles[m]
		decide(m, who(entry.roles[0], "active"), null).allow == false
	}
	denied == set()
}
