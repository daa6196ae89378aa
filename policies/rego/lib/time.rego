# METADATA
# title: Shared helpers for the Zorgtafel policies
# description: >-
#   Time parsing shared by every policy that checks an expiry (art. 16.2: the provider sets
#   "until when" information may be used).
package zorgtafel.lib

import rego.v1

# ns(t) is the RFC 3339 time t in nanoseconds since the epoch (art. 16.2 expiry checks).
# Why the detour: rego-cpp (regopy 1.5.2) rejects the "Z" zone designator, which OPA accepts;
# rewriting "Z" to "+00:00" gives the same instant in both engines. In a time that passed
# rfc3339, a "Z" (after upper) can only be the zone designator.
ns(t) := time.parse_rfc3339_ns(replace(upper(t), "Z", "+00:00")) if rfc3339(t)

# rfc3339(t) holds when t is an RFC 3339 date-time naming a real calendar day (art. 16.2).
# Why: OPA answers an unparsable time with undefined, regorus with an error; checking the format
# first gives every engine the same answer (undefined, so the expiry check fails closed).
rfc3339(t) if {
	is_string(t)
	regex.match(rfc3339_pattern, t)
}

# The format and the calendar in one pattern: the days of each month, and 29 February only in a
# leap year (divisible by 4 and not by 100, or by 400). lib/time_test.rego builds the same
# pattern from its named parts (test_rfc3339_pattern_is_the_calendar) and says what each part
# matches. Why one literal and no bracket expressions ([0-9]): rego-cpp compiles the pattern on
# every regex.match, and each bracket expression costs it more than the rest of the pattern; a
# Rego function per digit was most of a disclosure decision's time (issue #16).
rfc3339_pattern := `^(?:(?:0|1|2|3|4|5|6|7|8|9){4}-(?:(?:0(?:1|3|5|7|8)|1(?:0|2))-(?:0(?:1|2|3|4|5|6|7|8|9)|(?:1|2)(?:0|1|2|3|4|5|6|7|8|9)|3(?:0|1))|(?:0(?:4|6|9)|11)-(?:0(?:1|2|3|4|5|6|7|8|9)|(?:1|2)(?:0|1|2|3|4|5|6|7|8|9)|30)|02-(?:0(?:1|2|3|4|5|6|7|8|9)|1(?:0|1|2|3|4|5|6|7|8|9)|2(?:0|1|2|3|4|5|6|7|8)))|(?:(?:0|1|2|3|4|5|6|7|8|9){2}(?:0(?:4|8)|(?:2|4|6|8)(?:0|4|8)|(?:1|3|5|7|9)(?:2|6))|(?:(?:0|2|4|6|8)(?:0|4|8)|(?:1|3|5|7|9)(?:2|6))00)-02-29)(?:T|t)(?:(?:0|1)(?:0|1|2|3|4|5|6|7|8|9)|2(?:0|1|2|3)):(?:0|1|2|3|4|5)(?:0|1|2|3|4|5|6|7|8|9):(?:0|1|2|3|4|5)(?:0|1|2|3|4|5|6|7|8|9)(?:\.(?:0|1|2|3|4|5|6|7|8|9){1,9})?(?:Z|z|(?:\+|-)(?:(?:0|1)(?:0|1|2|3|4|5|6|7|8|9)|2(?:0|1|2|3)):(?:0|1|2|3|4|5)(?:0|1|2|3|4|5|6|7|8|9))$`
