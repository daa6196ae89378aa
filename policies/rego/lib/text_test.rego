package zorgtafel.lib_test

import rego.v1

import data.zorgtafel.lib

# Unicode white space, written as literal characters (rego-cpp does not decode escapes).
test_blank_is_unicode_aware if {
	lib.blank(" ")
	lib.blank("　")
	lib.blank(" \t   ")
	lib.blank("")
	lib.blank(null)
}

test_text_is_not_blank if {
	not lib.blank("Zoë")
	not lib.blank(" x　")
	lib.trim_unicode_space(" voilà　") == "voilà"
}

test_same_person_is_a_person_id_without_case if {
	lib.same_person("PD-1", "pd-1")
	lib.same_person("pd-1", "pd-1")
	not lib.same_person("pd-1", "pd-10")
	not lib.same_person("K-1", "k-1") # the Kelvin sign (a literal) is no person id
	not lib.same_person(null, "pd-1")
	not lib.same_person("pd-1", 1)
	not lib.same_person("", "")
}
