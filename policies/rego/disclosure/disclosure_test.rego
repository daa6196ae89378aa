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
	q := object.get(inp, "requester", null)
	i := object.get(inp, "item", null)
	c := object.get(inp, "case", null)
	s := object.get(inp, "subject", null)
	k := object.get(inp, "consents", null)
	b := object.get(inp, "break_glass", null)
	d := data.zorgtafel.disclosure.decision with input.action as a
		with input.purpose as p
		with input.now as n
		with input.recipient as r
		with input.requester as q
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

anna := {"party": care, "is_party": true, "party_status": "active", "role": "caseworker", "person": "anna", "functions": []}

base := {
	"action": "read",
	"purpose": "care_coordination",
	"now": "2025-06-01T12:00:00Z",
	"recipient": anna,
	"requester": anna,
	"item": item,
	"case": {
		"id": "case-1",
		"involved": {
			care: {"role": "care_provider", "information_need": ["safety", "housing"]},
			police: {"role": "investigation", "information_need": ["safety"]},
		},
		"nominating_party": care,
		"process_director": {"party": care, "person": "pd-1"},
		"case_director": {"party": police, "person": "cd-1"},
		# anna is a delegate of both parties so that the own-item tests can move her party
		"delegates": {care: ["anna"], police: ["anna"]},
	},
	"subject": {"age": 30},
	"consents": {"subject": [], "provider_written": []},
	"break_glass": null,
}

# Replaces inp[k] whole: object.union merges nested objects (OPA, regorus), so a removed
# fact would survive a plain union.
with_key(inp, k, v) := object.union(object.remove(inp, [k]), {k: v})

# patch(obj, changes) replaces the changed keys whole (a shallow union).
patch(obj, changes) := object.union(object.remove(obj, object.keys(changes)), changes)

with_item(inp, changes) := with_key(inp, "item", patch(inp.item, changes))

with_terms(inp, changes) := with_item(inp, {"terms": patch(inp.item.terms, changes)})

# For read, pre_read and onward_share the requester is the recipient: change both.
with_recipient(inp, changes) := with_key(with_key(inp, "recipient", patch(inp.recipient, changes)), "requester", patch(inp.requester, changes))

with_requester(inp, changes) := with_key(inp, "requester", patch(inp.requester, changes))

with_case(inp, changes) := with_key(inp, "case", patch(inp.case, changes))

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

# The recipient roles are matched by relationship (ADR 0005), never against the token role.
test_recipient_token_role_listed_denied if {
	denied_with(with_terms(base, {"recipient_roles": ["caseworker"]}), "only for the roles")
}

test_token_role_case_director_does_not_pass_recipient_roles if {
	inp := with_recipient(base, {"role": "case_director"})
	denied_with(with_terms(inp, {"recipient_roles": ["case_director"]}), "only for the roles")
}

test_token_role_process_director_does_not_pass_recipient_roles if {
	inp := with_recipient(base, {"role": "process_director", "functions": ["process_director"]})
	denied_with(with_terms(inp, {"recipient_roles": ["process_director"]}), "only for the roles")
}

test_recipient_case_role_listed_allowed if {
	allowed(with_terms(base, {"recipient_roles": ["care_provider"]}))
}

test_appointed_case_director_passes_recipient_roles if {
	inp := with_case(base, {"case_director": {"party": care, "person": "anna"}})
	allowed(with_terms(inp, {"recipient_roles": ["case_director"]}))
}

test_process_director_on_the_roster_passes_recipient_roles if {
	inp := with_recipient(base, {"person": "pd-1", "functions": ["process_director"]})
	allowed(with_terms(inp, {"recipient_roles": ["process_director"]}))
}

test_delegate_passes_recipient_roles_naming_delegates if {
	allowed(with_terms(base, {"recipient_roles": ["delegate"]}))
}

test_recipient_role_not_listed_denied if {
	denied_with(with_terms(base, {"recipient_roles": ["case_director"]}), "only for the roles")
}

# --- ADR 0005: persons with a part in the case -------------------------------------------------

test_colleague_of_an_involved_party_without_a_part_denied if {
	denied_with(with_recipient(base, {"person": "bert"}), "no part in the case")
}

test_delegate_released_sees_nothing if {
	denied_with(with_case(base, {"delegates": {police: ["anna"]}}), "no part in the case")
}

test_missing_delegates_fact_denied if {
	denied_with(with_key(base, "case", object.remove(base.case, ["delegates"])), "no part in the case")
}

test_process_director_on_the_roster_reads if {
	allowed(with_recipient(base, {"person": "pd-1", "functions": ["process_director"]}))
}

test_process_director_no_longer_on_the_roster_denied if {
	denied_with(with_recipient(base, {"person": "pd-1"}), "no longer designated")
}

test_process_director_of_another_party_denied if {
	inp := with_recipient(base, {"party": police, "person": "pd-1", "functions": ["process_director"]})
	denied_with(inp, "no part in the case")
}

test_case_director_reads if {
	allowed(with_recipient(base, {"party": police, "person": "cd-1"}))
}

test_token_role_case_director_alone_grants_nothing if {
	denied_with(with_recipient(base, {"person": "bert", "role": "case_director"}), "no part in the case")
}

test_recipient_other_than_requester_denied if {
	inp := with_requester(base, {"person": "pd-1", "functions": ["process_director"]})
	denied_with(inp, "the person who asks")
}

# --- a requester without a part learns nothing of the case from a refusal (ADR 0005) ----------

# Everything else about the item and the case would also refuse: closed, restricted,
# corrected, retracted, another purpose, expired, consent missing for a subject of 14.
told_nothing := with_item(
	with_case(
		with_key(with_key(base, "purpose", "research"), "subject", {"age": 14}),
		{"closed": true, "restricted": true},
	),
	{
		"legal_basis": "consent", "superseded": true, "retracted": true,
		"terms": patch(terms, {"expires_at": "2025-01-01T00:00:00Z", "recipient_roles": ["case_director"]}),
	},
)

only_part_reasons(d) if {
	d.allow == false
	count(d.reasons) > 0
	every r in d.reasons {
		part_reason(r)
	}
}

part_reason(r) if contains(r, "has no part in the case")

part_reason(r) if contains(r, "no longer designated as a process director")

part_reason(r) if contains(r, "is not involved in the case")

test_outsider_is_told_only_that_it_has_no_part if {
	d := decide(with_recipient(told_nothing, {"party": shelter}))
	only_part_reasons(d)
	some r in d.reasons
	contains(r, "not involved")
}

test_colleague_without_a_part_is_told_only_that if {
	d := decide(with_recipient(told_nothing, {"person": "bert"}))
	only_part_reasons(d)
	count(d.reasons) == 1
}

test_process_director_off_the_roster_is_told_only_that if {
	d := decide(with_recipient(told_nothing, {"person": "pd-1"}))
	only_part_reasons(d)
	some r in d.reasons
	contains(r, "no longer designated")
}

# An outsider may hold no more than an item id: its refusal names neither the item's case nor
# anything of the item (its category, its provider), whoever the outsider is (art. 8.4c).
names_nothing_of_the_case(d) if {
	only_part_reasons(d)
	not names_the_case_or_item(d)
}

# A positive rule negated (not a negation inside every, which rego-cpp lets pass unchecked).
names_the_case_or_item(d) if {
	some r in d.reasons
	some fragment in ["case-1", "item-1", item.category, item.provider]
	contains(r, fragment)
}

test_an_uninvolved_partys_refusal_names_nothing_of_the_case if {
	names_nothing_of_the_case(decide(with_recipient(told_nothing, {"party": shelter})))
}

test_a_colleague_without_a_parts_refusal_names_nothing_of_the_case if {
	names_nothing_of_the_case(decide(with_recipient(told_nothing, {"person": "bert"})))
}

test_a_process_director_off_the_rosters_refusal_names_nothing_of_the_case if {
	names_nothing_of_the_case(decide(with_recipient(told_nothing, {"person": "pd-1"})))
}

test_an_outsider_asking_a_third_party_releases_refusal_names_nothing_of_the_case if {
	names_nothing_of_the_case(decide(with_requester(with_key(third, "purpose", "research"), {"party": shelter})))
}

test_outsider_asking_a_third_party_release_is_told_only_that if {
	inp := with_requester(with_key(third, "purpose", "research"), {"party": shelter})
	only_part_reasons(decide(inp))
}

test_the_items_provider_without_a_part_is_told_every_reason if {
	d := decide(with_recipient(told_nothing, {"party": police, "person": "bert"}))
	d.allow == false
	some r in d.reasons
	contains(r, "no part in the case")
	some s in d.reasons
	contains(s, "retracted")
}

test_a_requester_with_a_part_is_told_every_reason if {
	d := decide(told_nothing)
	d.allow == false
	some r in d.reasons
	contains(r, "is closed")
	some s in d.reasons
	contains(s, "12 up to 16")
	not some_part_reason(d)
}

some_part_reason(d) if {
	some r in d.reasons
	part_reason(r)
}

test_pre_read_by_colleague_without_a_part_denied if {
	inp := with_terms(with_key(base, "action", "pre_read"), {"pre_read_allowed": true})
	denied_with(with_recipient(inp, {"person": "bert"}), "no part in the case")
}

test_onward_share_by_colleague_without_a_part_denied if {
	inp := with_terms(with_key(base, "action", "onward_share"), {"onward_sharing_allowed": true})
	denied_with(with_recipient(inp, {"person": "bert"}), "no part in the case")
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

third := with_key(with_key(base, "action", "third_party_release"), "recipient", {"party": "Stichting X", "is_party": false, "party_status": "unknown", "role": "", "person": "", "functions": []})

third_consented := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": police}]})

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

# A consent that is not an object (the schema forbids it) counts for nothing, on every engine:
# the written consent beside it still releases, and alone it releases nothing.
test_third_party_consent_that_is_not_an_object_counts_for_nothing if {
	every bad in [false, "consent", [], 7, null] {
		beside := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": police}, bad]})
		allowed(beside)
		alone := with_key(third, "consents", {"subject": [], "provider_written": [bad]})
		denied_with(alone, "prior written consent")
	}
}

test_third_party_consent_by_other_party_denied if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": care}]})
	denied_with(inp, "prior written consent")
}

test_third_party_consent_for_other_item_denied if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-2", "given_by": police}]})
	denied_with(inp, "prior written consent")
}

# Issue #13 point 1: the requester of a release must be involved with the need for the item.
test_third_party_release_by_uninvolved_party_denied_despite_consent if {
	inp := with_requester(third_consented, {"party": shelter})
	denied_with(inp, "no part in the case")
}

test_third_party_release_by_party_without_the_need_denied_despite_consent if {
	involved := {care: {"role": "care_provider", "information_need": ["housing"]}, police: base.case.involved[police]}
	denied_with(with_case(third_consented, {"involved": involved}), "art. 9.2, 8.4c")
}

test_third_party_release_by_colleague_without_a_part_denied if {
	denied_with(with_requester(third_consented, {"person": "bert"}), "no part in the case")
}

test_third_party_release_by_inactive_requester_denied if {
	denied_with(with_requester(third_consented, {"party_status": "excluded"}), "only an active party")
}

test_third_party_release_by_front_desk_denied if {
	denied_with(with_requester(third_consented, {"role": "front_desk"}), "cannot release")
}

test_third_party_release_without_requester_denied if {
	d := decide(object.remove(third_consented, ["requester"]))
	d.allow == false
}

test_third_party_release_by_provider_delegate_allowed if {
	allowed(with_requester(third_consented, {"party": police}))
}

test_withdrawn_provider_consent_refuses_the_release if {
	inp := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": police, "withdrawn_at": "2025-05-01T00:00:00Z"}]})
	denied_with(inp, "was withdrawn")
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

# Issue #13 point 5: from the moment of withdrawal no release rests on a consent.
withdrawn_consent(at) := with_key(consent_item, "consents", {"subject": [{"given_by": "subject", "scope": ["safety"], "withdrawn_at": at}], "provider_written": []})

test_withdrawn_consent_refuses_the_item if {
	denied_with(withdrawn_consent("2025-05-31T00:00:00Z"), "was withdrawn")
}

test_not_withdrawn_consent_with_null_counts if {
	allowed(withdrawn_consent(null))
}

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

# Bijlage 3: a justification of Unicode white space only ( , ideographic space) is none.
test_break_glass_with_unicode_blank_justification_denied if {
	every blank in [" ", "　", "  　\t"] {
		inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": blank, "consulted_colleague": "bram"})
		denied_with(inp, "safety override needs")
	}
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

test_break_glass_does_not_override_a_missing_part if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", {"justification": "acute threat", "consulted_colleague": "bram"})
	denied_with(with_recipient(inp, {"person": "bert"}), "no part in the case")
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
	q := inp.requester
	i := inp.item
	c := inp.case
	checks := data.zorgtafel.disclosure.checks with input.action as "read"
		with input.purpose as "care_coordination"
		with input.now as "2025-06-01T12:00:00Z"
		with input.recipient as r
		with input.requester as q
		with input.item as i
		with input.case as c
	checks["need to know (art. 8.4c)"] == false
	checks["item not retracted (art. 16.2)"] == true
}

# --- a relayed call (casework assembles a pre-read set, art. 12.2f): pre-read only ---------------

relayed_pre_read := with_terms(with_recipient(with_key(base, "action", "pre_read"), {"authenticated_by": "mtls_relay"}), {"pre_read_allowed": true})

test_relayed_pre_read_allowed if {
	allowed(relayed_pre_read)
}

test_relayed_read_denied if {
	denied_with(with_key(relayed_pre_read, "action", "read"), "only ask for a pre-read")
}

test_relayed_onward_share_denied if {
	inp := with_terms(with_key(relayed_pre_read, "action", "onward_share"), {"onward_sharing_allowed": true})
	denied_with(inp, "only ask for a pre-read")
}

test_relayed_third_party_release_denied if {
	inp := with_key(relayed_pre_read, "action", "third_party_release")
	denied_with(inp, "only ask for a pre-read")
}

test_relayed_call_with_a_safety_override_denied if {
	inp := with_key(relayed_pre_read, "break_glass", {"justification": "acute danger", "consulted_colleague": "bob"})
	denied_with(inp, "carries no safety override")
}

test_read_over_own_certificate_is_not_limited_by_the_relay_rule if {
	allowed(with_recipient(base, {"authenticated_by": "mtls"}))
}

# --- art. 1.2 closure, Bijlage 3 restriction and correction (issue #14) -----------------------

own_read := with_recipient(base, {"party": police})

glass := {"justification": "acute threat by trafficker", "consulted_colleague": "bram"}

test_closed_case_refused_to_an_involved_party if {
	denied_with(with_case(base, {"closed": true}), "is closed")
}

test_closed_case_read_by_its_provider if {
	allowed(with_case(own_read, {"closed": true}))
}

test_open_case_still_read if {
	allowed(with_case(base, {"closed": false}))
}

test_closed_case_no_pre_read_even_for_the_provider if {
	inp := with_terms(with_key(own_read, "action", "pre_read"), {"pre_read_allowed": true})
	allowed(inp)
	denied_with(with_case(inp, {"closed": true}), "is closed")
}

test_closed_case_no_break_glass if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", glass)
	allowed(inp)
	denied_with(with_case(inp, {"closed": true}), "is closed")
}

test_closed_case_no_third_party_release if {
	inp := with_case(base, {"closed": true})
	tp := with_key(with_key(inp, "action", "third_party_release"), "recipient", {"party": "third", "is_party": false, "party_status": "unknown", "role": "", "person": ""})
	denied_with(tp, "is closed")
}

test_restricted_item_refused if {
	denied_with(with_item(base, {"restricted": true}), "restriction")
}

test_restricted_case_refused if {
	denied_with(with_case(base, {"restricted": true}), "restriction")
}

test_restricted_item_read_by_its_provider if {
	allowed(with_item(own_read, {"restricted": true}))
}

test_unrestricted_item_read if {
	allowed(with_item(with_case(base, {"restricted": false}), {"restricted": false}))
}

test_restricted_item_no_break_glass if {
	inp := with_key(with_age_and_consent(30, []), "break_glass", glass)
	denied_with(with_item(inp, {"restricted": true}), "restriction")
}

test_restricted_item_no_relayed_pre_read if {
	inp := with_terms(with_key(base, "action", "pre_read"), {"pre_read_allowed": true})
	relayed := with_recipient(inp, {"authenticated_by": "mtls_relay"})
	allowed(relayed)
	denied_with(with_item(relayed, {"restricted": true}), "restriction")
}

test_superseded_item_never_released if {
	denied_with(with_item(base, {"superseded": true}), "corrected")
	denied_with(with_item(own_read, {"superseded": true}), "corrected")
}

test_current_version_released if {
	allowed(with_item(base, {"superseded": false}))
}

# A recipient whose status the input lacks is refused as of status "unknown" (fail closed). The
# words come from lib.status_shown: rego-cpp 1.5 wrote object.get's default term quoted inside
# sprintf, an answer that is no JSON (found by the differential test, Hypothesis 6.170).
test_a_recipient_without_a_status_is_refused_as_of_status_unknown if {
	inp := with_key(base, "recipient", object.remove(anna, ["party_status"]))
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, sprintf("Party %v has status unknown;", [care]))
}

# --- the lists the checks read: an array or a set, anything else is an empty list -------------
# (the rules terms_purposes, involvement_need, requester_functions, requester_party_delegates and
# terms_summary_only_fields read what lib.array_at read before them, issue #16)

test_purposes_as_a_set_allowed if {
	allowed(with_terms(base, {"purposes": {"care_coordination"}}))
}

test_purposes_not_a_list_denied if {
	denied_with(with_terms(base, {"purposes": "care_coordination"}), "purposes")
}

test_information_need_as_a_set_allowed if {
	involved := {care: {"role": "care_provider", "information_need": {"safety"}}}
	allowed(with_case(base, {"involved": involved}))
}

test_information_need_not_a_list_denied if {
	involved := {care: {"role": "care_provider", "information_need": "safety"}}
	denied_with(with_case(base, {"involved": involved}), "information need")
}

test_delegates_as_a_set_allowed if {
	allowed(with_case(base, {"delegates": {care: {"anna"}, police: {"anna"}}}))
}

test_delegates_not_an_object_give_no_part if {
	denied_with(with_case(base, {"delegates": ["anna"]}), "no part in the case")
}

test_delegates_of_the_party_not_a_list_give_no_part if {
	denied_with(with_case(base, {"delegates": {care: "anna", police: "anna"}}), "no part in the case")
}

test_process_director_functions_as_a_set_read if {
	allowed(with_recipient(base, {"person": "pd-1", "functions": {"process_director"}}))
}

test_process_director_functions_not_a_list_denied if {
	denied_with(with_recipient(base, {"person": "pd-1", "functions": "process_director"}), "no longer designated")
}

test_summary_only_fields_as_a_set_give_redact_obligation if {
	d := decide(with_terms(base, {"summary_only_fields": {"statement"}}))
	d.allow == true
	some o in d.obligations
	o.type == "redact"
	o.fields == ["statement"]
}

test_summary_only_fields_not_a_list_give_no_obligation if {
	d := decide(with_terms(base, {"summary_only_fields": "statement"}))
	d.allow == true
	d.obligations == []
}

# A release's refusal names no id the caller typed: the requester knows which item it asked about.
test_a_third_party_releases_refusals_say_the_item_and_the_case_not_their_ids if {
	involved := {care: {"role": "care_provider", "information_need": ["housing"]}, police: base.case.involved[police]}
	withdrawn := with_key(third, "consents", {"subject": [], "provider_written": [{"recipient": "Stichting X", "item_id": "item-1", "given_by": police, "withdrawn_at": "2025-05-01T00:00:00Z"}]})
	every inp in [third, withdrawn, with_case(third_consented, {"involved": involved})] {
		d := decide(inp)
		d.allow == false
		every r in d.reasons {
			not contains(r, "item-1")
			not contains(r, "case-1")
		}
	}
}

# A refusal says whether the requester's party needs the item (its own, or its category in the
# information need of its role): a listing by case shows a person with a part none of the items
# its party does not need, not even their ids and categories among the refused (art. 8.4c).
test_a_refusal_says_the_requesters_party_does_not_need_the_item if {
	d := decide(with_item(base, {"category": "health"}))
	d.allow == false
	d.requester_needs_item == false
	d.requester_has_part == true
}

test_a_refusal_on_other_grounds_says_the_requesters_party_needs_the_item if {
	d := decide(with_item(base, {"retracted": true}))
	d.allow == false
	d.requester_needs_item == true
	third := decide(with_case(third_consented, {"involved": {care: {"role": "care_provider", "information_need": ["housing"]}}}))
	third.allow == false
	third.requester_needs_item == false
}

# To a person with a part whose party does not need the item, a refusal also gives the reasons
# an item id naming no item gets (an outsider's part reasons), so that asked by item id it is
# told the same of both (art. 8.4c, 15.1); nobody else is given them.
test_a_refusal_outside_the_need_gives_the_reasons_of_an_unknown_item if {
	d := decide(with_item(base, {"category": "health"}))
	d.requester_needs_item == false
	unknown := decide(with_item(object.remove(base, ["case"]), {"category": "health"}))
	unknown.requester_has_part == false
	d.unknown_item_reasons == unknown.reasons
	not contains(concat(" ", d.unknown_item_reasons), "health")
	retracted := decide(with_item(base, {"retracted": true}))
	retracted.unknown_item_reasons == []
	unknown.unknown_item_reasons == []
}
