# Tests for zorgtafel.disclosure.control: an allow and a deny case for every rule.
# Each test replaces the top-level input keys one by one (see disclosure_test.rego for why).
package zorgtafel.disclosure.control_test

import rego.v1

decide(inp) := d if {
	o := object.get(inp, "operation", null)
	c := object.get(inp, "caller", null)
	r := object.get(inp, "resource", null)
	d := data.zorgtafel.disclosure.control.decision with input.operation as o
		with input.caller as c
		with input.resource as r
}

police := "00000099000000000001"

care := "00000099000000000002"

worker(party) := {"party": party, "person": "p-1", "role": "caseworker", "party_status": "active"}

terms_change(op, party) := {"operation": op, "caller": worker(party), "resource": {"item_id": "itm-1", "provider": police}}

log_query(caller, filter, value) := {"operation": "query_access_log", "caller": caller, "resource": {"filter": filter, "value": value}}

denied_with(inp, fragment) if {
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, fragment)
}

# --- art. 16.2: only the provider changes or retracts ----------------------------------------

test_provider_may_change_its_terms if {
	decide(terms_change("set_usage_terms", police)).allow == true
}

test_other_party_may_not_change_terms if {
	denied_with(terms_change("set_usage_terms", care), "art. 16.2")
}

test_provider_may_retract if {
	decide(terms_change("retract", police)).allow == true
}

test_other_party_may_not_retract if {
	denied_with(terms_change("retract", care), "not the provider")
}

test_excluded_provider_may_not_retract if {
	inp := object.union(terms_change("retract", police), {"caller": object.union(worker(police), {"party_status": "excluded"})})
	denied_with(inp, "only active parties")
}

# --- Bijlage 3 / NEN 7513: who reads which part of the log --------------------------------------

test_privacy_officer_reads_log_per_subject if {
	officer := object.union(worker(care), {"role": "privacy_officer"})
	decide(log_query(officer, "subject_pseudonym", "psn-1")).allow == true
}

test_worker_may_not_read_log_per_subject if {
	denied_with(log_query(worker(care), "subject_pseudonym", "psn-1"), "privacy officers")
}

test_provider_sees_who_used_its_information if {
	decide(log_query(worker(police), "provider", police)).allow == true
}

test_party_may_not_read_log_of_another_provider if {
	denied_with(log_query(worker(care), "provider", police), "own information")
}

test_party_sees_what_its_people_looked_at if {
	decide(log_query(worker(care), "party", care)).allow == true
}

test_party_may_not_read_another_partys_accesses if {
	decide(log_query(worker(care), "party", police)).allow == false
}

test_unknown_operation_denied if {
	denied_with({"operation": "delete_log", "caller": worker(police), "resource": {}}, "not known")
}
