# METADATA
# title: Type-guarded lookups shared by the Zorgtafel policies
# description: >-
#   Facts missing or of the wrong type must deny in every engine (art. 16.2: a missing fact is a
#   deny). OPA answers object.get(null, ...) and `some x in null` with undefined; regorus raises
#   an error. These lookups give every engine the same empty (so failing closed) value instead.
package zorgtafel.lib

import rego.v1

# object_at(doc, key) is doc[key] when that is an object, else {} (art. 16.2 missing facts deny).
object_at(doc, key) := doc[key] if {
	is_object(doc)
	is_object(doc[key])
} else := {}

# array_at(doc, key) is doc[key] when that is an array or a set, else [] (art. 16.2).
array_at(doc, key) := doc[key] if {
	is_object(doc)
	is_array(doc[key])
} else := doc[key] if {
	is_object(doc)
	is_set(doc[key])
} else := []

# status_shown(who) is who.party_status for the words of a reason, "unknown" when the input lacks
# it. The fallback is written here, in the function's body: rego-cpp 1.5 writes a default term
# handed to object.get (or as an argument) quoted inside sprintf, an answer that is no JSON.
status_shown(who) := who.party_status if {
	is_object(who)
	is_string(who.party_status)
	who.party_status != ""
} else := "unknown"
