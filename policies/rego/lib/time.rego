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
	rfc3339(t)
	endswith(upper(t), "Z")
}

ns(t) := time.parse_rfc3339_ns(upper(t)) if {
	rfc3339(t)
	not endswith(upper(t), "Z")
}

# rfc3339(t) holds when t is an RFC 3339 date-time naming a real calendar day (art. 16.2).
# Why: OPA answers an unparsable time with undefined, regorus with an error; checking the format
# first gives every engine the same answer (undefined, so the expiry check fails closed).
rfc3339(t) if {
	is_string(t)
	regex.match(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,9})?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$`, t)
	year := ((digit(t, 0) * 10 + digit(t, 1)) * 10 + digit(t, 2)) * 10 + digit(t, 3)
	month := digit(t, 5) * 10 + digit(t, 6)
	day := digit(t, 8) * 10 + digit(t, 9)
	day <= days_in_month(year, month)
}

# digit(s, i) is the value of the ASCII digit at byte i of s (to_number("01") errors in regorus).
digit(s, i) := indexof("0123456789", substring(s, i, 1))

days_in_month(year, month) := 29 if {
	month == 2
	leap_year(year)
} else := [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]

leap_year(year) if {
	year % 4 == 0
	year % 100 != 0
}

leap_year(year) if year % 400 == 0
