# The safety override (Bijlage 3, consent rules; art. 16.2) for each way consent can be missing:
# `zorgtafel policy mutation` found that no test depended on the override in the denials for a
# withdrawn consent, an unknown age, a child under 12 and a child of 12 up to 16 (dropping
# `not break_glass_valid` there passed the whole suite). Helpers are in disclosure_test.rego.
package zorgtafel.disclosure_test

import rego.v1

with_glass(inp) := with_key(inp, "break_glass", glass)

test_break_glass_overrides_a_withdrawn_consent if {
	allowed(with_glass(withdrawn_consent("2025-05-31T00:00:00Z")))
}

test_break_glass_overrides_an_unknown_age if {
	allowed(with_glass(with_key(consent_item, "subject", {})))
}

test_break_glass_overrides_the_missing_consent_for_a_child_under_12 if {
	allowed(with_glass(with_age_and_consent(8, [])))
}

test_break_glass_overrides_the_missing_consents_for_a_child_of_12_up_to_16 if {
	allowed(with_glass(with_age_and_consent(14, [])))
}

# Bijlage 3: the colleague consulted is another person than the requester. A person id names one
# person in any case, width or surrounding white space ("Anna" is anna): the colleague was
# compared as typed, so the requester in capitals passed as a colleague consulted.
test_break_glass_the_requester_in_another_case_width_or_spacing_is_no_colleague if {
	every self in ["anna", "Anna", "ANNA", " anna", concat("", ["anna", `	`]), "ａｎｎａ", "Ａnna"] {
		inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": self})
		denied_with(inp, "safety override needs")
	}
}

# Only a person id (of [A-Za-z0-9._:@-], as the services check it) is a colleague consulted.
test_break_glass_a_colleague_is_a_person_id if {
	every other in ["bram", "Bram", "b.de-vries@team:2", "anna2"] {
		allowed(with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": other}))
	}
	every no_id in ["bram jansen", "bräm", concat("", ["b" | some _ in numbers.range(1, 129)])] {
		inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": no_id})
		denied_with(inp, "safety override needs")
	}
}
