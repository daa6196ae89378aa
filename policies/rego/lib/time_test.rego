package zorgtafel.lib_test

import rego.v1

import data.zorgtafel.lib

test_ns_accepts_z_suffix if {
	lib.ns("2024-01-01T00:00:00Z") == 1704067200000000000
}

test_ns_accepts_offset if {
	lib.ns("2024-01-01T02:00:00+02:00") == 1704067200000000000
}

test_ns_rejects_garbage if {
	not lib.ns("not a time")
}

test_ns_rejects_non_string if {
	not lib.ns(42)
}

test_ns_rejects_impossible_dates if {
	not lib.ns("2023-02-29T00:00:00Z")
	not lib.ns("2024-13-01T00:00:00Z")
	not lib.ns("2024-04-31T00:00:00Z")
	not lib.ns("2024-01-01T24:00:00Z")
	not lib.ns("2024-01-01")
	not lib.ns("")
}

test_ns_accepts_leap_day_and_fraction if {
	lib.ns("2024-02-29T00:00:00Z") == 1709164800000000000
	lib.ns("2000-02-29T00:00:00.5Z") == 951782400500000000
	lib.ns("2024-01-01t00:00:00z") == 1704067200000000000
}

test_ns_follows_the_leap_year_rule if {
	lib.ns("2000-02-29T00:00:00Z") == 951782400000000000
	lib.ns("1996-02-29T00:00:00Z")
	not lib.ns("1900-02-29T00:00:00Z")
	not lib.ns("2100-02-29T00:00:00Z")
	# outside the nanosecond range, so rfc3339 only (time.parse_rfc3339_ns refuses them)
	lib.rfc3339("2400-02-29T00:00:00Z")
	lib.rfc3339("0400-02-29T00:00:00Z")
	lib.rfc3339("0000-02-29T00:00:00Z")
	not lib.rfc3339("2200-02-29T00:00:00Z")
	not lib.rfc3339("0100-02-29T00:00:00Z")
	not lib.ns("2023-02-29T00:00:00Z")
	not lib.ns("2024-02-30T00:00:00Z")
}

test_ns_knows_the_days_of_each_month if {
	every m in ["01", "03", "05", "07", "08", "10", "12"] {
		lib.ns(concat("", ["2025-", m, "-31T00:00:00Z"]))
		not lib.ns(concat("", ["2025-", m, "-32T00:00:00Z"]))
	}
	every m in ["04", "06", "09", "11"] {
		lib.ns(concat("", ["2025-", m, "-30T00:00:00Z"]))
		not lib.ns(concat("", ["2025-", m, "-31T00:00:00Z"]))
	}
	lib.ns("2025-02-28T00:00:00Z")
	not lib.ns("2025-00-10T00:00:00Z")
	not lib.ns("2025-01-00T00:00:00Z")
}

test_ns_checks_the_clock_and_the_zone if {
	lib.ns("2025-06-01T23:59:59.123456789-23:59")
	lib.ns("2025-06-01T00:00:00+00:00") == lib.ns("2025-06-01T00:00:00Z")
	not lib.ns("2025-06-01T12:60:00Z")
	not lib.ns("2025-06-01T12:00:60Z")
	not lib.ns("2025-06-01T12:00:00.1234567890Z")
	not lib.ns("2025-06-01T12:00:00+24:00")
	not lib.ns("2025-06-01T12:00:00+0100")
	not lib.ns("2025-06-01T12:00:00")
	not lib.ns("2025-06-01T12:00:00Z ")
	not lib.ns(" 2025-06-01T12:00:00Z")
}

# The pattern lib.rfc3339 uses is exactly this one, built from named parts.
test_rfc3339_pattern_is_the_calendar if {
	digit := "(?:0|1|2|3|4|5|6|7|8|9)"
	digit_1_9 := "(?:1|2|3|4|5|6|7|8|9)"
	hour := concat("", ["(?:(?:0|1)", digit, "|2(?:0|1|2|3))"])
	sixty := concat("", ["(?:0|1|2|3|4|5)", digit])
	# any year; a month of 31 days (01 03 05 07 08 10 12) or of 30 days (04 06 09 11); February to the 28th
	common_year := concat("", [
		digit, "{4}-(?:(?:0(?:1|3|5|7|8)|1(?:0|2))-(?:0", digit_1_9, "|(?:1|2)", digit, "|3(?:0|1))",
		"|(?:0(?:4|6|9)|11)-(?:0", digit_1_9, "|(?:1|2)", digit, "|30)",
		"|02-(?:0", digit_1_9, "|1", digit, "|2(?:0|1|2|3|4|5|6|7|8)))",
	])
	# 29 February of a leap year: ..04, ..08, ..., ..96 (not ..00), or 0000, 0400, ..., 9600
	leap_day := concat("", [
		"(?:", digit, "{2}(?:0(?:4|8)|(?:2|4|6|8)(?:0|4|8)|(?:1|3|5|7|9)(?:2|6))",
		"|(?:(?:0|2|4|6|8)(?:0|4|8)|(?:1|3|5|7|9)(?:2|6))00)-02-29",
	])
	# T, hh:mm:ss (00:00:00 to 23:59:59), an optional fraction of 1 to 9 digits, then Z or +hh:mm / -hh:mm
	clock := concat("", ["(?:T|t)", hour, ":", sixty, ":", sixty, `(?:\.`, digit, "{1,9})?"])
	zone := concat("", [`(?:Z|z|(?:\+|-)`, hour, ":", sixty, ")"])
	lib.rfc3339_pattern == concat("", ["^(?:", common_year, "|", leap_day, ")", clock, zone, "$"])
}
