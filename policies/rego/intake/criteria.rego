# METADATA
# title: Criteria for a Zorgtafel case (Bijlage 2)
# description: >-
#   Advice, not a decision (art. 12.2a: the process director judges suitability with the
#   nominating party). A case qualifies when (A or B) and C and D, Bijlage 2:
#   A serious local or area-bound safety problems need a cross-chain approach;
#   B the problems affect (or are expected to affect) the family system or direct social environment;
#   C cooperation between several chains (at least "dwang en drang") is needed because one chain cannot handle it;
#   D multiple problems on more than one life domain.
#   Input contract: schemas/intake.criteria.input.schema.json. Query: data.zorgtafel.intake.criteria.result
# custom:
#   articles: ["Bijlage 2", "art. 1.4", "art. 12.2a"]
package zorgtafel.intake.criteria

import rego.v1

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
life_domains := {d | some d in object.get(input, "life_domains", [])}

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

result := {
	"advice": advice,
	"criteria": {"A": a, "B": b, "C": c, "D": d},
	"held": sort([x | some x in held]),
	"reasons": sort([r | some r in reasons]),
	"note": "Advice only: the process director decides with the nominating party and records the decision (art. 12.2a).",
}
