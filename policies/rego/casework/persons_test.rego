# Tests for zorgtafel.casework.persons: who the calling person is in this case. Input keys are
# replaced one by one (see disclosure_test.rego for why).
package zorgtafel.casework.persons_test

import rego.v1

pd := "00000099000000000001"

cd := "00000099000000000002"

shelter := "00000099000000000003"

case := {
	"id": "case-1",
	"process_director": {"party": pd, "person": "pd-1"},
	"case_director": {"party": cd, "person": "cd-1"},
	"delegates": {shelter: ["sh-1"], cd: ["cd-2"]},
}

who(party, person, role, functions) := {"party": party, "person": person, "role": role, "party_status": "active", "functions": functions}

persons(principal, c) := r if {
	p := principal
	k := c
	r := data.zorgtafel.casework.persons with input.principal as p with input.case as k
}

test_designated_person_directing_the_case_is_its_process_director if {
	persons(who(pd, "pd-1", "process_director", ["process_director"]), case).process_director == true
}

test_process_director_no_longer_designated_is_not if {
	persons(who(pd, "pd-1", "process_director", []), case).process_director == false
}

test_other_designated_process_director_of_the_same_party_is_not if {
	r := persons(who(pd, "pd-2", "process_director", ["process_director"]), case)
	r.process_director == false
	r.claims_process_director == true
}

test_token_claim_alone_is_not_the_process_director if {
	r := persons(who(shelter, "sh-1", "process_director", []), case)
	r.process_director == false
	r.claims_process_director == true
}

test_case_without_process_director_person_has_none if {
	c := object.union(case, {"process_director": {"party": pd, "person": ""}})
	persons(who(pd, "", "process_director", ["process_director"]), c).process_director == false
}

test_named_case_director_is_the_case_director if {
	r := persons(who(cd, "cd-1", "caseworker", []), case)
	r.case_director == true
	r.director == true
	r.acts_for_own_party == true
}

test_colleague_of_the_case_director_is_not if {
	r := persons(who(cd, "cd-3", "case_director", []), case)
	r.case_director == false
	r.acts_for_own_party == false
}

test_no_case_director_appointed_makes_nobody_case_director if {
	c := object.union(case, {"case_director": null})
	persons(who(cd, "cd-1", "case_director", []), c).case_director == false
}

test_delegate_of_own_party_acts_for_it if {
	r := persons(who(shelter, "sh-1", "caseworker", []), case)
	r.delegate == true
	r.acts_for_own_party == true
	r.director == false
}

test_delegate_of_another_party_is_not_a_delegate_here if {
	persons(who(pd, "sh-1", "caseworker", []), case).delegate == false
}

test_colleague_without_a_part_is_nothing if {
	r := persons(who(shelter, "sh-2", "caseworker", []), case)
	r.delegate == false
	r.acts_for_own_party == false
	r.claims_process_director == false
}

test_missing_facts_make_nobody_anything if {
	r := persons(who(shelter, "sh-1", "caseworker", []), {"id": "case-1"})
	r.delegate == false
	r.director == false
}

# A person id names its person without case ("SH-1" is sh-1: validate.same_person).
test_a_person_id_in_other_case_is_the_same_person if {
	persons(who(shelter, "SH-1", "caseworker", []), case).delegate == true
	persons(who(cd, "CD-1", "caseworker", []), case).case_director == true
	persons(who(pd, "Pd-1", "process_director", ["process_director"]), case).process_director == true
	persons(who(shelter, "sh-10", "caseworker", []), case).delegate == false
}

# A fact that is no person id (null, a number, a Kelvin sign for K) names nobody, on both engines.
test_a_person_fact_that_is_no_person_id_names_nobody if {
	odd := {
		"id": "case-1",
		"process_director": {"party": pd, "person": null},
		"case_director": {"party": cd, "person": 7},
		"delegates": {shelter: [null, "\u212a-1"]},
	}
	persons(who(pd, "pd-1", "process_director", ["process_director"]), odd).process_director == false
	persons(who(cd, "cd-1", "caseworker", []), odd).case_director == false
	persons(who(shelter, "k-1", "caseworker", []), odd).delegate == false
}

# art. 12.3: a designated process director takes over a case not closed its process director
# left (casework took that person off it); not one someone directs or not marked as left.
test_a_designated_process_director_takes_over_a_case_its_process_director_left if {
	left := object.union(case, {"state": "open", "process_director": {"party": pd, "person": "", "left": true}})
	r := persons(who(shelter, "pd-9", "process_director", ["process_director"]), left)
	r.takes_over == true
	r.process_director == false
	persons(who(shelter, "pd-9", "process_director", []), left).takes_over == false
	persons(who(shelter, "pd-9", "process_director", ["process_director"]), object.union(left, {"state": "closed"})).takes_over == false
	persons(who(pd, "pd-2", "process_director", ["process_director"]), object.union(case, {"state": "open"})).takes_over == false
	never := object.union(case, {"state": "open", "process_director": {"party": pd, "person": ""}})
	persons(who(pd, "pd-2", "process_director", ["process_director"]), never).takes_over == false
}
