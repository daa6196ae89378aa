# Tests for zorgtafel.disclosure. Every rule has an allow and a deny case.
#
# Why the helper `decide`: rego-cpp (regopy 1.5.2) crashes on `with input as {...}` when the
# policy has rules that depend on other input-dependent rules, and ignores `with` values that
# are rule references. Replacing each top-level input key from a local variable works in both
# rego-cpp and OPA, so every test goes through `decide`.
package zorgtafel.disclosure_test

import rego.v1

decide(inp) := d if {
	a := object.get(inp, "action", null)
	p := object.get(inp, "purpose", null)
	n := object.get(inp, "now", null)
	r := object.get(inp, "recipient", null)
	i := object.get(inp, "item", null)
	c := object.get(inp, "case", null)
	s := object.get(inp, "subject", null)
	k := object.get(inp, "consents", null)
	b := object.get(inp, "break_glass", null)
	d := data.zorgtafel.disclosure.decision with input.action as a
		with input.purpose as p
		with input.now as n
		with input.recipient as r
		with input.item as i
		with input.case as c
		with input.subject as s
		with input.consents as k
		with input.break_glass as b
}

police := "00000099000000000001"

care := "00000099000000000002"

shelter := "00000099000000000003"

terms := {
	"recipient_parties": [],
	"recipient_roles": [],
	"purposes": ["care_coordination"],
	"onward_sharing_allowed": false,
	"summary_only_fields": [],
	"expires_at": "2030-01-01T00:00:00Z",
	"pre_read_allowed": false,
}

item := {
	"id": "item-1",
	"case_id": "case-1",
	"provider": police,
	"category": "safety",
	"classification": "confidential",
	"legal_basis": "public_task",
	"retracted": false,
	"terms": terms,
}

base := {
	"action": "read",
	"purpose": "care_coordination",
	"now": "2025-06-01T12:00:00Z",
	"recipient": {"party": care, "is_party": true, "party_status": "active", "role": "caseworker", "person": "anna"},
	"item": item,
	"case": {"id": "case-1", "involved": {
		care: {"role": "care_provider", "information_need": ["safety", "housing"]},
		police: {"role": "investigation", "information_need": ["safety"]},
	}},
	"subject": {"age": 30},
	"consents": {"subject": [], "provider_written": []},
	"break_glass": null,
}

with_key(inp, k, v) := object.union(inp, {k: v})

with_item(inp, changes) := with_key(inp, "item", object.union(inp.item, changes))

with_terms(inp, changes) := with_item(inp, {"terms": object.union(inp.item.terms, changes)})

with_recipient(inp, changes) := with_key(inp, "recipient", object.union(inp.recipient, changes))

allowed(inp) if decide(inp).allow == true

denied_with(inp, fragment) if {
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, fragment)
}

# --- art. 16.2 provider decides, 8.4c need to know: the plain allow -----------------------------

test_read_allowed_for_involved_party_with_need if {
	d := decide(base)
	d.allow == true
	d.obligations == []
	some r in d.reasons
	contains(r, "art. 8.4c")
}

# --- art. 16.2 retraction ---------------------------------------------------------------------

test_retracted_item_never_shown if {
	denied_with(with_item(base, {"retracted": true}), "retracted")
}

test_missing_retraction_fact_denied if {
	inp := with_key(base, "item", object.remove(item, ["retracted"]))
	denied_with(inp, "fact is missing")
}

# --- art. 16.2 purposes -----------------------------------------------------------------------

test_purpose_not_in_terms_denied if {
	denied_with(with_key(base, "purpose", "research"), "purposes")
}

test_purpose_in_terms_allowed if {
	allowed(with_terms(base, {"purposes": ["care_coordination", "research"]}))
}

# --- art. 16.2 expiry -------------------------------------------------------------------------

test_expired_terms_denied if {
	denied_with(with_terms(base, {"expires_at": "2025-01-01T00:00:00Z"}), "only until")
}

test_no_expiry_allowed if {
	allowed(with_terms(base, {"expires_at": null}))
}

test_expiry_with_offset_allowed if {
	allowed(with_terms(base, {"expires_at": "2025-06-01T14:30:00+02:00"}))
}

test_invalid_now_denied if {
	denied_with(with_key(base, "now", "yesterday"), "not a valid RFC 3339")
}

# --- art. 16.2 recipient parties and roles ----------------------------------------------------

test_recipient_party_listed_allowed if {
	allowed(with_terms(base, {"recipient_parties": [care]}))
}

test_recipient_party_not_listed_denied if {
	denied_with(with_terms(base, {"recipient_parties": [shelter]}), "only for the parties")
}

test_recipient_role_listed_allowed if {
	allowed(with_terms(base, {"recipient_roles": ["caseworker"]}))
}

test_recipient_case_role_listed_allowed if {
	allowed(with_terms(base, {"recipient_roles": ["care_provider"]}))
}

test_recipient_role_not_listed_denied if {
	denied_with(with_terms(base, {"recipient_roles": ["case_director"]}), "only for the roles")
}

# --- art. 16.1 own item -----------------------------------------------------------------------

test_provider_reads_own_item if {
	inp := with_recipient(base, {"party": police})
	d := decide(with_terms(inp, {"recipient_parties": [care]}))
	d.allow == true
	some r in d.reasons
	contains(r, "art. 16.1")
}

test_provider_cannot_read_own_retracted_item if {
	inp := with_recipient(base, {"party": police})
	denied_with(with_item(inp, {"retracted": true}), "retracted")
}

# --- art. 8.4c need to know, party status -----------------------------------------------------

test_not_involved_party_sees_nothing if {
	denied_with(with_recipient(base, {"party": shelter}), "not involved")
}

test_category_outside_information_need_denied if {
	denied_with(with_item(base, {"category": "health"}), "information need")
}

test_excluded_party_sees_nothing if {
	denied_with(with_recipient(base, {"party_status": "excluded"}), "art. 23.2")
}

test_withdrawn_party_sees_nothing if {
	denied_with(with_recipient(base, {"party_status": "withdrawn"}), "status withdrawn")
}

test_applicant_party_sees_nothing if {
	denied_with(with_recipient(base, {"party_status": "applicant"}), "status applicant")
}

test_front_desk_never_sees_dossier if {
	denied_with(with_recipient(base, {"role": "front_desk"}), "never the dossier")
}

test_non_party_read_denied if {
	denied_with(with_recipient(base, {"is_party": false, "party_status": "unknown"}), "art. 9.2")
}

# --- art. 12.2f pre-reading -------------------------------------------------------------------

test_pre_read_without_provider_agreement_denied if {
	denied_with(with_key(base, "action", "pre_read"), "art. 12.2f")
}

test_pre_read_with_provider_agreement_allowed if {
	inp := with_key(base, "action", "pre_read")
	d := decide(with_terms(inp, {"pre_read_allowed": true}))
	d.allow == true
	some r in d.reasons
	contains(r, "art. 12.2f")
}

# --- art. 16.2 onward sharing -----------------------------------------------------------------

test_onward_share_not_allowed_denied if {
	denied_with(with_key(base, "action", "onward_share"), "passed on")
}

test_onward_share_allowed if {
	inp := with_key(base, "action", "onward_share")
	allowed(with_terms(inp, {"onward_sharing_allowed": true}))
}

# --- art. 9.2 third parties -------------------------------------------------------------------

third := with_recipient(with_key(base, "action", "third_party_release"), {"party": "Stichting X", "is_party": false, "party_status": "unknown"})

test_third_party_without_written_consent_denied if {
	denied_with(third, "prior written consent")
}

test_third_party_with_written_consent_allowed if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": police}]})
	d := decide(inp)
	d.allow == true
	some r in d.reasons
	contains(r, "art. 9.2")
}

test_third_party_consent_by_other_party_denied if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": care}]})
	denied_with(inp, "prior written consent")
}

test_third_party_consent_for_other_item_denied if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-2", "given_by": police}]})
	denied_with(inp, "prior written consent")
}

test_party_as_third_party_release_denied if {
	denied_with(with_key(base, "action", "third_party_release"), "not a third party")
}

# --- art. 15.2 legal basis, unknown action ----------------------------------------------------

test_unknown_legal_basis_denied if {
	denied_with(with_item(base, {"legal_basis": "curiosity"}), "art. 15.2")
}

test_unknown_action_denied if {
	denied_with(with_key(base, "action", "delete"), "not known")
}

# --- Bijlage 3 consent by age -----------------------------------------------------------------

consent_item := with_item(base, {"legal_basis": "consent"})

with_age_and_consent(age, givers) := with_key(
	with_key(consent_item, "subject", {"age": age}),
	"consents",
	{"subject": [{"given_by": g, "scope": ["safety"]} | some g in givers], "provider_written": []},
)

test_adult_without_consent_denied if {
	denied_with(with_age_and_consent(30, []), "16 or over")
}

test_adult_with_own_consent_allowed if {
	allowed(with_age_and_consent(30, ["subject"]))
}

test_adult_with_parent_consent_only_denied if {
	denied_with(with_age_and_consent(17, ["parent"]), "16 or over")
}

test_consent_for_other_category_denied if {
	inp := with_key(with_key(consent_item, "subject", {"age": 30}), "consents", {"subject": [{"given_by": "subject", "scope": ["housing"]}], "provider_written": []})
	denied_with(inp, "16 or over")
}

test_child_under_12_with_guardian_consent_allowed if {
	allowed(with_age_and_consent(10, ["guardian"]))
}

test_child_under_12_with_own_consent_only_denied if {
	denied_with(with_age_and_consent(10, ["subject"]), "under 12")
}

test_child_12_to_16_needs_both if {
	allowed(with_age_and_consent(13, ["parent", "subject"]))
}

test_child_12_to_16_parent_only_denied if {
	denied_with(with_age_and_consent(15, ["parent"]), "12 up to 16")
}

test_child_12_to_16_child_only_denied if {
	denied_with(with_age_and_consent(12, ["subject"]), "12 up to 16")
}

test_sixteen_year_old_own_consent_allowed if {
	allowed(with_age_and_consent(16, ["subject"]))
}

test_unknown_age_denied if {
	inp := with_key(with_age_and_consent(30, ["subject"]), "subject", {"age": null})
	denied_with(inp, "age of the data subject is unknown")
}

test_consent_not_needed_for_legal_obligation if {
	allowed(with_item(with_age_and_consent(10, []), {"legal_basis": "legal_obligation"}))
}

# --- Bijlage 3 safety override (break-glass) --------------------------------------------------

test_break_glass_allows_without_consent_with_obligations if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat by trafficker", "consulted_colleague": "bram"})
	d := decide(inp)
	d.allow == true
	types := {o.type | some o in d.obligations}
	types == {"log_break_glass", "notify_provider", "review", "inform_subject"}
}

test_break_glass_without_justification_denied if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": " ", "consulted_colleague": "bram"})
	denied_with(inp, "safety override needs")
}

test_break_glass_without_colleague_denied if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": ""})
	denied_with(inp, "safety override needs")
}

test_break_glass_self_consultation_denied if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": "anna"})
	denied_with(inp, "safety override needs")
}

test_break_glass_does_not_override_need_to_know if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": "bram"})
	denied_with(with_recipient(inp, {"party": shelter}), "not involved")
}

test_break_glass_not_used_when_consent_present if {
	inp := with_key(with_age_and_consent(30, ["subject"]), "break_glass", {"justification": "acute threat", "consulted_colleague": "bram"})
	d := decide(inp)
	d.allow == true
	d.obligations == []
}

# --- art. 16.2 summary-only fields -> redact obligation --------------------------------------

test_summary_only_fields_give_redact_obligation if {
	d := decide(with_terms(base, {"summary_only_fields": ["statement", "address"]}))
	d.allow == true
	some o in d.obligations
	o.type == "redact"
	o.fields == ["address", "statement"]
}

test_no_redact_obligation_on_deny if {
	inp := with_terms(base, {"summary_only_fields": ["statement"], "purposes": []})
	d := decide(inp)
	d.allow == false
	d.obligations == []
}

# --- default deny -----------------------------------------------------------------------------

test_empty_input_denied if {
	d := decide({})
	d.allow == false
	count(d.reasons) > 0
}

# --- the explainer's facts --------------------------------------------------------------------

test_checks_show_failed_need_to_know if {
	inp := with_recipient(base, {"party": shelter})
	r := inp.recipient
	i := inp.item
	c := inp.case
	checks := data.zorgtafel.disclosure.checks with input.action as "read"
		with input.purpose as "care_coordination"
		with input.now as "2025-06-01T12:00:00Z"
		with input.recipient as r
		with input.item as i
		with input.case as c
	checks["need to know (art. 8.4c)"] == false
	checks["item not retracted (art. 16.2)"] == true
}
