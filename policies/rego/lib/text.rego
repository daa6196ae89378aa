# METADATA
# title: Unicode-aware text helpers
# description: >-
#   A justification that is only white space is no justification (art. 12.4 break-glass). OPA's
#   trim_space trims Unicode white space, rego-cpp's only ASCII; an explicit cutset makes every
#   engine trim the same characters.
package zorgtafel.lib

import rego.v1

# unicode_space is every Unicode White_Space character (PropList.txt) plus the zero-width space
# and the byte order mark that copy-paste leaves behind (art. 12.4). Written as literal
# characters in raw strings: rego-cpp does not decode escape sequences in string literals.
# The first string holds TAB, LF, VT, FF, CR and SPACE; the second U+0085, U+00A0, U+1680,
# U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+200B and U+FEFF.
unicode_space := concat("", [`	

 `, `                 　​﻿`])

# trim_unicode_space(s) is s without leading and trailing Unicode white space (art. 12.4).
trim_unicode_space(s) := trim(s, unicode_space) if is_string(s)

# blank(s) holds when s is not a string or only white space (art. 12.4: no justification).
blank(s) if not is_string(s)

blank(s) if trim_unicode_space(s) == ""

# same_person(a, b) holds when a and b are person ids (the kernel's validate.PERSON: ASCII) that
# name one person, without case ("PD-1" is pd-1: validate.same_person, the token's subject).
# Only person ids are lowered: regorus's lower is Unicode, regopy's ASCII-only (the Kelvin sign
# is k on regorus alone), and over what is no string regorus raises an error.
same_person(a, b) if {
	is_string(a)
	is_string(b)
	regex.match(`^[A-Za-z0-9._:@-]{1,128}$`, a)
	regex.match(`^[A-Za-z0-9._:@-]{1,128}$`, b)
	lower(a) == lower(b)
}
