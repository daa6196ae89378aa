# METADATA
# title: Type-guarded lookups shared by the Zorgtafel policies
# description: >-
#   Facts missing or of the wrong type must deny in every engine (art. 16.2: a missing fact is a
#   deny). OPA answers object.get(null, ...) and `some x in null` with undefined; regorus raises
#   an error. These lookups give every engine the same empty (so failing closed) value instead.
package zorgtafel.lib

import rego.v1

# Why `v := doc[key]` in the body and not `doc[key]` in the head: rego-cpp evaluates a head
# `doc[key]` as a scan of doc that calls the type test on every member, and each builtin call
# copies its whole evaluation state (issue #16); here the test runs on the member found only.

# object_at(doc, key) is doc[key] when that is an object, else {} (art. 16.2 missing facts deny).
object_at(doc, key) := v if {
	is_object(doc)
	v := doc[key]
	is_object(v)
} else := {}

# array_at(doc, key) is doc[key] when that is an array or a set, else [] (art. 16.2).
array_at(doc, key) := v if {
	is_object(doc)
	v := doc[key]
	is_array(v)
} else := v if {
	is_object(doc)
	v := doc[key]
	is_set(v)
} else := []

# member_shown(doc, key) is doc[key] for the words of a reason, null when doc has no such member
# or is no object (an array, a string, null): object.get(doc, key, null) without its evaluation
# error on regorus over what is no object, and without a type test (a builtin call, issue #16).
member_shown(doc, key) := v if {
	v := doc[key]
} else := null

# status_shown(who) is who.party_status for the words of a reason, "unknown" when the input lacks
# it. The fallback is written here, in the function's body: rego-cpp 1.5 writes a default term
# handed to object.get (or as an argument) quoted inside sprintf, an answer that is no JSON.
status_shown(who) := who.party_status if {
	is_object(who)
	is_string(who.party_status)
	who.party_status != ""
} else := "unknown"
