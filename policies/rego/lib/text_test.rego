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
