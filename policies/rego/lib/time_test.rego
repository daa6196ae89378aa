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
