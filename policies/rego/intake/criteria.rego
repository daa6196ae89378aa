# METADATA
# title: Criteria for a Zorgtafel case (art. 1.4, Bijlage 2)
# description: >-
#   A casus is by definition a situation that meets these criteria (art. 1.4): the process
#   director judges, with the nominating party, whether each criterion holds and records the
#   grounds (art. 12.2a); this rule decides on that judgement (input.judged): a nomination
#   qualifies only when (A or B) and C and D hold for it (result.decision). On the facts the
#   nominating party stated it gives advice (result.advice) that helps the judgement.
#   A case qualifies when (A or B) and C and D, Bijlage 2:
#   A serious local or area-bound safety problems need a cross-chain approach;
#   B the problems affect (or are expected to affect) the family system or direct social environment;
#   C cooperation between several chains (at least "dwang en drang") is needed because one chain cannot handle it;
#   D multiple problems on more than one life domain.
#   Input contract: schemas/intake.criteria.input.schema.json. Query: data.zorgtafel.intake.criteria.result
# custom:
#   articles: ["Bijlage 2", "art. 1.4", "art. 12.2a"]
#   input: the stated facts (below) and, at the assessment, judged = {A, B, C, D: bool}
package zorgtafel.intake.criteria

import rego.v1

import data.zorgtafel.lib

# Bijlage 2, first bullet.
default a := false

a if input.local_safety_problems == true

# Bijlage 2, second bullet ("of wordt verwacht dat te gaan hebben" is included in the fact).
default b := false

b if input.family_system_affected == true

# Bijlage 2, third bullet: several chains are needed, at least coercion and pressure, because
# the regular cooperation within one chain cannot handle it.
default c := false

c if {
	input.multiple_chains_needed == true
	input.coercion_and_pressure_needed == true
}

# Bijlage 2, fourth bullet: problems on more than one life domain (distinct domains count).
life_domains := {domain | some domain in lib.array_at(input, "life_domains"); is_string(domain)}

default d := false

d if count(life_domains) > 1

default qualifies := false

qualifies if {
	a_or_b
	c
	d
}

default a_or_b := false

a_or_b if a

a_or_b if b

# Which criteria hold, as a set: rego-cpp reports a `false` rule as undefined, a set is explicit.
held contains "A" if a

held contains "B" if b

held contains "C" if c

held contains "D" if d

reasons contains "A holds: serious local or area-bound safety problems need a cross-chain approach (Bijlage 2)." if a

reasons contains "A does not hold: no serious local or area-bound safety problem needing a cross-chain approach was recorded (Bijlage 2)." if not a

reasons contains "B holds: the problems affect, or are expected to affect, the family system or direct social environment (Bijlage 2)." if b

reasons contains "B does not hold: no effect on the family system or direct social environment was recorded (Bijlage 2)." if not b

reasons contains "C holds: cooperation between several chains, at least coercion and pressure, is needed (Bijlage 2)." if c

reasons contains "C does not hold: it was not recorded that several chains including coercion and pressure are needed (Bijlage 2)." if not c

reasons contains sprintf("D holds: problems on %d life domains %v (Bijlage 2).", [count(life_domains), sort([x | some x in life_domains])]) if d

reasons contains sprintf("D does not hold: problems on %d life domain(s); more than one is needed (Bijlage 2).", [count(life_domains)]) if not d

advice := "qualifies" if qualifies

advice := "does_not_qualify" if not qualifies

# -- the decision on the criteria as judged (art. 1.4) -------------------------------------------
judged := lib.object_at(input, "judged")

has_judgement if is_object(input.judged)

# Only an explicit true holds: a missing or non-boolean judgement does not (fail closed).
judged_held contains k if {
	some k in ["A", "B", "C", "D"]
	judged[k] == true
}

default judged_qualifies := false

judged_qualifies if {
	count({"A", "B"} & judged_held) > 0
	"C" in judged_held
	"D" in judged_held
}

decision := "qualifies" if {
	has_judgement
	judged_qualifies
}

decision := "does_not_qualify" if {
	has_judgement
	not judged_qualifies
}

decision_reasons contains "Neither A nor B is judged to hold (art. 1.4, Bijlage 2)." if {
	has_judgement
	count({"A", "B"} & judged_held) == 0
}

decision_reasons contains sprintf("%v is not judged to hold (art. 1.4, Bijlage 2).", [k]) if {
	has_judgement
	some k in ["C", "D"]
	not k in judged_held
}

decision_reasons contains "(A or B) and C and D hold as judged: a Zorgtafel case (art. 1.4, Bijlage 2)." if {
	has_judgement
	judged_qualifies
}

result := object.union(
	{
		"advice": advice,
		"criteria": {"A": a, "B": b, "C": c, "D": d},
		"held": sort([x | some x in held]),
		"reasons": sort([r | some r in reasons]),
		"note": "advice reads the stated facts; decision (when judged is given) decides on the criteria as judged (art. 1.4, art. 12.2a).",
	},
	judgement,
)

default judgement := {}

judgement := {
	"decision": decision,
	"judged_held": sort([x | some x in judged_held]),
	"decision_reasons": sort([r | some r in decision_reasons]),
} if has_judgement
