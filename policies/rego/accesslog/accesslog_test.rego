# Tests for zorgtafel.accesslog: who reads which part of an access log (Bijlage 3, NEN 7513).
# Each test replaces the top-level input keys one by one (see disclosure_test.rego for why).
package zorgtafel.accesslog_test

import rego.v1

decide(inp) := d if {
	o := object.get(inp, "operation", null)
	c := object.get(inp, "caller", null)
	r := object.get(inp, "resource", null)
	d := data.zorgtafel.accesslog.decision with input.operation as o
		with input.caller as c
		with input.resource as r
}

police := "00000099000000000001"

care := "00000099000000000002"

shelter := "00000099000000000003"

worker(party) := {"party": party, "person": "p-1", "role": "caseworker", "party_status": "active", "functions": []}

officer(party) := object.union(worker(party), {"role": "privacy_officer"})

auditor(party) := object.union(worker(party), {"role": "auditor"})

log_query(caller, filter, value) := {"operation": "query_access_log", "caller": caller, "resource": {"filter": filter, "value": value}}

concerned(inp, parties) := object.union(inp, {"resource": object.union(inp.resource, {"scoped": true, "concerned": parties})})

denied_with(inp, fragment) if {
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, fragment)
}

restricted_to(d, party) if {
	d.allow == true
	some o in d.obligations
	o.type == "restrict_to_party"
	o.party == party
}

# --- Bijlage 3 / NEN 7513: who reads which part of the log --------------------------------------

test_privacy_officer_reads_log_per_subject_restricted_to_its_party if {
	restricted_to(decide(concerned(log_query(officer(care), "subject_pseudonym", "psn-1"), [care, police])), care)
}

test_auditor_reads_log_of_a_case_its_party_is_concerned_in if {
	d := decide(concerned(log_query(auditor(police), "case_id", "case-1"), [police]))
	restricted_to(d, police)
	d.reasons == ["The auditor of party 00000099000000000001 sees what concerns its own party as controller (Bijlage 3, NEN 7513)."]
}

# Issue #13 point 2: an oversight role of a party not concerned is refused.
test_privacy_officer_of_another_party_may_not_read_the_subjects_log if {
	denied_with(concerned(log_query(officer(shelter), "subject_pseudonym", "psn-1"), [care, police]), "own party as controller")
}

test_privacy_officer_reads_its_own_partys_log_narrowed_to_its_party if {
	restricted_to(decide(concerned(log_query(officer(care), "party", care), [care])), care)
}

# A listing not narrowed to a case or subject shows only the caller's party's part of it.
test_an_unscoped_listing_is_read_narrowed_to_the_callers_party if {
	inp := object.union(log_query(officer(shelter), "party", shelter), {"resource": {"scoped": false, "concerned": []}})
	restricted_to(decide(inp), shelter)
}

test_a_listing_asked_about_with_no_party_concerned_is_refused if {
	denied_with(concerned(log_query(officer(care), "decision_id", "dec-1"), []), "nothing asked for here concerns party")
}

test_worker_may_not_read_log_per_subject if {
	denied_with(log_query(worker(care), "subject_pseudonym", "psn-1"), "privacy officers")
}

test_a_providers_worker_reads_no_log_of_its_own_information if {
	denied_with(concerned(log_query(worker(police), "provider", police), [police]), "does not read it")
}

test_a_worker_may_not_read_log_of_another_provider if {
	denied_with(log_query(worker(care), "provider", police), "does not read it")
}

test_a_worker_reads_no_log_of_what_its_people_looked_at if {
	decide(concerned(log_query(worker(care), "party", care), [care])).allow == false
}

test_party_may_not_read_another_partys_accesses if {
	decide(log_query(worker(care), "party", police)).allow == false
}

# art. 21.3, 23.2: an officer of a party that is not active reads nothing, also of its own.
test_an_officer_of_an_excluded_party_reads_no_log if {
	excluded := object.union(officer(care), {"party_status": "excluded"})
	denied_with(concerned(log_query(excluded, "party", care), [care]), "only active parties")
}

test_an_officer_without_a_party_reads_no_log if {
	denied_with(concerned(log_query(object.union(officer(care), {"party": ""}), "party", care), [care]), "only active parties")
}

test_unknown_operation_denied if {
	denied_with({"operation": "list_reviews", "caller": officer(police), "resource": {"scoped": false}}, "not known")
}

test_a_missing_operation_is_denied if {
	denied_with({"caller": officer(police), "resource": {"scoped": false}}, "not known")
}

test_no_caller_is_denied if {
	d := decide({"operation": "query_access_log", "resource": {"scoped": false}})
	d.allow == false
	count(d.reasons) > 0
}

# --- The whole answer: each refusal names exactly its grounds -------------------------------------

worker_refused := "The access log is read by the privacy officers and auditors of the controller it concerns; a worker, also of the providing party, does not read it (Bijlage 3, NEN 7513)."

test_a_worker_is_told_only_that_a_worker_reads_no_log if {
	decide(concerned(log_query(worker(care), "party", care), [care])) == {"allow": false, "reasons": [worker_refused], "obligations": []}
}

test_an_officer_of_a_party_not_concerned_is_told_only_that if {
	d := decide(concerned(log_query(officer(shelter), "subject_pseudonym", "psn-1"), [care]))
	d == {"allow": false, "reasons": ["The privacy_officer of party 00000099000000000003 sees only what concerns its own party as controller (items it provided or received); nothing asked for here concerns party 00000099000000000003 (Bijlage 3, NEN 7513, art. 8.4c)."], "obligations": []}
}

test_an_officer_of_an_excluded_party_is_told_its_status_and_that_it_reads_no_log if {
	excluded := object.union(officer(care), {"party_status": "excluded"})
	d := decide(concerned(log_query(excluded, "party", care), [care]))
	d.reasons == sort(["Party 00000099000000000002 has status excluded; only active parties are served (art. 21.3, 23.2).", worker_refused])
}

test_an_unknown_operation_is_told_only_that if {
	d := decide({"operation": "list_reviews", "caller": officer(police), "resource": {"scoped": false}})
	d.reasons == ["The operation list_reviews is not known; denied by default."]
}

test_an_unknown_operation_is_refused_for_that_alone_whoever_asks if {
	unknown := {"operation": "delete_log", "resource": {"scoped": true, "concerned": []}}
	decide(object.union(unknown, {"caller": worker(care)})).reasons == ["The operation delete_log is not known; denied by default."]
	decide(object.union(unknown, {"caller": officer(care)})).reasons == ["The operation delete_log is not known; denied by default."]
}
