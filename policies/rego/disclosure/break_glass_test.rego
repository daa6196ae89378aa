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
