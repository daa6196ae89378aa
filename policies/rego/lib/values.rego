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
