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
