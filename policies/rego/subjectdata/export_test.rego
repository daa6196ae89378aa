# Tests for zorgtafel.subjectdata.export: an allow and a deny case for every rule.
# Each test replaces the top-level input keys one by one (see disclosure_test.rego for why).
package zorgtafel.subjectdata.export_test

import rego.v1

decide(inp) := d if {
	o := object.get(inp, "operation", null)
	c := object.get(inp, "caller", null)
	r := object.get(inp, "resource", null)
	d := data.zorgtafel.subjectdata.export.decision with input.operation as o
		with input.caller as c
		with input.resource as r
}

police := "00000099000000000001"

care := "00000099000000000002"

officer(party) := {"party": party, "person": "fg-1", "role": "privacy_officer", "party_status": "active"}

export(caller, controllers) := {"operation": "export_subject_data", "caller": caller, "resource": {"service": "intake", "controllers": controllers, "holds_subject_data": true}}

maintain(caller, maintainers) := {"operation": "maintain_register", "caller": caller, "resource": {"activity_id": "ZT-VA-01", "maintainers": maintainers}}

denied_with(inp, fragment) if {
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, fragment)
}

test_controllers_privacy_officer_gets_the_export if {
	d := decide(export(officer(police), [police]))
	d.allow == true
	some o in d.obligations
	o.type == "withhold_internal_notes"
	o.except_party == police
}

only_cases(d) := ids if {
	some o in d.obligations
	o.type == "only_cases"
	ids := o.case_ids
}

test_of_a_subjects_cases_only_those_the_party_controls_are_given if {
	inp := {"operation": "export_subject_data", "caller": officer(care), "resource": {"service": "casework", "controllers": [police, care], "holds_subject_data": true, "cases": [{"id": "c1", "controllers": [police]}, {"id": "c2", "controllers": [care, police]}]}}
	d := decide(inp)
	d.allow == true
	only_cases(d) == ["c2"]
}

test_without_the_cases_fact_no_case_is_given if {
	d := decide(export(officer(police), [police]))
	d.allow == true
	only_cases(d) == []
}

test_a_case_without_controllers_is_not_given if {
	inp := {"operation": "export_subject_data", "caller": officer(police), "resource": {"service": "intake", "controllers": [police], "holds_subject_data": true, "cases": [{"id": "c1"}, {"id": "c2", "controllers": "00000099000000000001"}, {"id": "c3", "controllers": [police]}]}}
	only_cases(decide(inp)) == ["c3"]
}

test_other_partys_privacy_officer_is_refused if {
	denied_with(export(officer(care), [police]), "nothing held for party")
}

test_no_controllers_is_refused if {
	denied_with(export(officer(care), []), "nothing held for party")
}

# 8.4c: held for other controllers and nothing held read alike (the servicer decides nothing
# held as a holding with no controller): the refusal names neither a controller nor a case.
test_a_refusal_reads_the_same_whether_held_for_others_or_nothing_held if {
	held := {"operation": "export_subject_data", "caller": officer(care), "resource": {"service": "intake", "controllers": [police], "holds_subject_data": true, "cases": [{"id": "c1", "controllers": [police]}]}}
	none := {"operation": "export_subject_data", "caller": officer(care), "resource": {"service": "intake", "controllers": [], "holds_subject_data": true, "cases": []}}
	d := decide(held)
	not d.allow
	d.reasons == decide(none).reasons
	every r in d.reasons {
		not contains(r, police)
		not contains(r, "c1")
	}
}

test_a_caseworker_of_the_controller_is_refused if {
	inp := export(object.union(officer(police), {"role": "caseworker"}), [police])
	denied_with(inp, "only a privacy officer")
}

test_an_excluded_controller_is_refused if {
	inp := export(object.union(officer(police), {"party_status": "excluded"}), [police])
	denied_with(inp, "only active parties")
}

test_a_service_holding_nothing_says_so_to_any_privacy_officer if {
	inp := {"operation": "export_subject_data", "caller": officer(care), "resource": {"service": "governance", "controllers": [], "holds_subject_data": false}}
	decide(inp).allow == true
}

test_holding_nothing_is_no_answer_to_a_worker if {
	inp := {"operation": "export_subject_data", "caller": object.union(officer(care), {"role": "caseworker"}), "resource": {"service": "governance", "controllers": [], "holds_subject_data": false}}
	denied_with(inp, "only a privacy officer")
}

test_missing_holding_fact_is_a_deny if {
	inp := {"operation": "export_subject_data", "caller": officer(care), "resource": {"service": "governance"}}
	decide(inp).allow == false
}

test_maintainer_changes_the_register if {
	decide(maintain(officer(police), [police, care])).allow == true
}

test_non_maintainer_is_refused if {
	denied_with(maintain(officer(care), [police]), "does not maintain")
}

test_maintainer_worker_is_refused if {
	denied_with(maintain(object.union(officer(police), {"role": "caseworker"}), [police]), "only a privacy officer")
}

test_unknown_operation_is_refused if {
	denied_with({"operation": "erase", "caller": officer(police), "resource": {}}, "not known")
}
