# Tests for the Bijlage 2 criteria. See disclosure_test.rego for why input keys are replaced one by one.
package zorgtafel.intake.criteria_test

import rego.v1

advise(inp) := r if {
	a := object.get(inp, "local_safety_problems", null)
	b := object.get(inp, "family_system_affected", null)
	c := object.get(inp, "multiple_chains_needed", null)
	p := object.get(inp, "coercion_and_pressure_needed", null)
	l := object.get(inp, "life_domains", null)
	r := data.zorgtafel.intake.criteria.result with input.local_safety_problems as a
		with input.family_system_affected as b
		with input.multiple_chains_needed as c
		with input.coercion_and_pressure_needed as p
		with input.life_domains as l
}

full := {
	"local_safety_problems": true,
	"family_system_affected": false,
	"multiple_chains_needed": true,
	"coercion_and_pressure_needed": true,
	"life_domains": ["housing", "safety"],
}

test_a_c_d_qualifies if {
	r := advise(full)
	r.advice == "qualifies"
	r.held == ["A", "C", "D"]
}

test_b_instead_of_a_qualifies if {
	r := advise(object.union(full, {"local_safety_problems": false, "family_system_affected": true}))
	r.advice == "qualifies"
	r.held == ["B", "C", "D"]
}

test_neither_a_nor_b_does_not_qualify if {
	r := advise(object.union(full, {"local_safety_problems": false}))
	r.advice == "does_not_qualify"
	r.criteria.A == false
	some reason in r.reasons
	contains(reason, "A does not hold")
}

test_without_c_does_not_qualify if {
	r := advise(object.union(full, {"multiple_chains_needed": false}))
	r.advice == "does_not_qualify"
	r.held == ["A", "D"]
}

test_c_needs_coercion_and_pressure if {
	r := advise(object.union(full, {"coercion_and_pressure_needed": false}))
	r.advice == "does_not_qualify"
	r.criteria.C == false
}

test_one_life_domain_does_not_qualify if {
	r := advise(object.union(full, {"life_domains": ["housing", "housing"]}))
	r.advice == "does_not_qualify"
	r.criteria.D == false
}

test_missing_facts_do_not_qualify if {
	r := advise({})
	r.advice == "does_not_qualify"
	r.held == []
}

# -- the decision on the criteria as judged (art. 1.4) -------------------------------------------
decide_judged(j) := r if {
	r := data.zorgtafel.intake.criteria.result with input.local_safety_problems as false
		with input.family_system_affected as false
		with input.multiple_chains_needed as false
		with input.coercion_and_pressure_needed as false
		with input.life_domains as []
		with input.judged as j
}

test_judged_a_c_d_qualifies_whatever_the_advice if {
	r := decide_judged({"A": true, "B": false, "C": true, "D": true})
	r.decision == "qualifies"
	r.judged_held == ["A", "C", "D"]
	r.advice == "does_not_qualify"
}

test_judged_b_instead_of_a_qualifies if {
	decide_judged({"A": false, "B": true, "C": true, "D": true}).decision == "qualifies"
}

test_judged_all_false_does_not_qualify_citing_art_1_4 if {
	r := decide_judged({"A": false, "B": false, "C": false, "D": false})
	r.decision == "does_not_qualify"
	r.judged_held == []
	some reason in r.decision_reasons
	contains(reason, "art. 1.4")
}

test_judged_without_c_or_d_does_not_qualify if {
	r := decide_judged({"A": true, "B": true, "C": false, "D": true})
	r.decision == "does_not_qualify"
	some reason in r.decision_reasons
	contains(reason, "C is not judged")
	decide_judged({"A": true, "B": true, "C": true, "D": false}).decision == "does_not_qualify"
}

test_a_judgement_that_is_not_true_does_not_hold if {
	decide_judged({"A": "yes", "C": true, "D": true}).decision == "does_not_qualify"
}

test_without_a_judgement_there_is_advice_but_no_decision if {
	r := advise(full)
	not r.decision
	r.advice == "qualifies"
}
