# METADATA
# title: Shared helpers for the Zorgtafel policies
# description: >-
#   Time parsing shared by every policy that checks an expiry (art. 16.2: the provider sets
#   "until when" information may be used).
package zorgtafel.lib

import rego.v1

# ns(t) is the RFC 3339 time t in nanoseconds since the epoch (art. 16.2 expiry checks).
# Why the detour: rego-cpp (regopy 1.5.2) rejects the "Z" zone designator, which OPA accepts;
# rewriting "Z" to "+00:00" gives the same instant in both engines.
ns(t) := time.parse_rfc3339_ns(concat("", [trim_suffix(upper(t), "Z"), "+00:00"])) if {
	is_string(t)
	endswith(upper(t), "Z")
}

ns(t) := time.parse_rfc3339_ns(t) if {
	is_string(t)
	not endswith(upper(t), "Z")
}
