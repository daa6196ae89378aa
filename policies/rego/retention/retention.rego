# METADATA
# title: How long each kind of record lives (retention, Bijlage 3 "houdbaarheid", art. 1.2)
# description: >-
#   The covenant fixes no retention period: de-escalation leads to cleansing and final removal
#   (art. 1.2) and Annex 3 says data no longer needed is destroyed or anonymised. Every period
#   here is a PROJECT CHOICE set by the policy owners in retention/data.json (data.zorgtafel.
#   retention.kinds), adopted like every policy revision. A service asks for the periods of
#   the kinds it owns (input.service); a period that is not a whole number of seconds of at
#   least 1 is left out and reported in result.invalid, so nothing of that kind is purged
#   (failing closed towards keeping: a typo never deletes data early).
#   Input contract: schemas/retention.input.schema.json. Query: data.zorgtafel.retention.result
# custom:
#   articles: ["art. 1.2", "Bijlage 3"]
#   input: service (intake|casework|governance|disclosure|kernel, optional)
package zorgtafel.retention

import rego.v1

# The kinds the asking service owns; without input.service, every kind (the CLI, tests).
wanted contains kind if {
	some kind
	entry := data.zorgtafel.retention.kinds[kind]
	not is_string(input.service)
	is_object(entry)
}

wanted contains kind if {
	some kind
	entry := data.zorgtafel.retention.kinds[kind]
	is_object(entry)
	entry.owner == input.service
}

valid_seconds(entry) if {
	is_number(entry.seconds)
	entry.seconds >= 1
	entry.seconds == round(entry.seconds)
}

# Bijlage 3: each period as set by the policy owners, in seconds.
periods[kind] := entry.seconds if {
	some kind in wanted
	entry := data.zorgtafel.retention.kinds[kind]
	valid_seconds(entry)
}

# A malformed period: the service keeps those records (never purges on a typo) and says so.
invalid contains kind if {
	some kind in wanted
	entry := data.zorgtafel.retention.kinds[kind]
	not valid_seconds(entry)
}

choices[kind] := entry.choice if {
	some kind in wanted
	entry := data.zorgtafel.retention.kinds[kind]
	is_string(entry.choice)
}

result := {
	"periods": periods,
	"invalid": sort_invalid,
	"choices": choices,
}

sort_invalid := sort([k | some k in invalid])
