# Tests for zorgtafel.disclosure.control: an allow and a deny case for every rule.
# Each test replaces the top-level input keys one by one (see disclosure_test.rego for why).
package zorgtafel.disclosure.control_test

import rego.v1

decide(inp) := d if {
	o := object.get(inp, "operation", null)
	c := object.get(inp, "caller", null)
	r := object.get(inp, "resource", null)
	k := object.get(inp, "case", null)
	d := data.zorgtafel.disclosure.control.decision with input.operation as o
		with input.caller as c
		with input.resource as r
		with input.case as k
}

police := "00000099000000000001"

care := "00000099000000000002"

worker(party) := {"party": party, "person": "p-1", "role": "caseworker", "party_status": "active"}

terms_change(op, party) := {"operation": op, "caller": worker(party), "resource": {"item_id": "itm-1", "provider": police}}

denied_with(inp, fragment) if {
	d := decide(inp)
	d.allow == false
	some r in d.reasons
	contains(r, fragment)
}

# --- art. 16.2: only the provider changes or retracts ----------------------------------------

test_provider_may_change_its_terms if {
	decide(terms_change("set_usage_terms", police)).allow == true
}

test_other_party_may_not_change_terms if {
	denied_with(terms_change("set_usage_terms", care), "art. 16.2")
}

test_provider_may_retract if {
	decide(terms_change("retract", police)).allow == true
}

test_other_party_may_not_retract if {
	denied_with(terms_change("retract", care), "not the provider")
}

test_excluded_provider_may_not_retract if {
	inp := object.union(terms_change("retract", police), {"caller": object.union(worker(police), {"party_status": "excluded"})})
	denied_with(inp, "only active parties")
}

# A non-provider may hold no more than the item id: its refusal does not name the provider
# (which party gave information about the subject is itself case information, art. 8.4c).
refusal_names_no_provider(inp) if {
	d := decide(inp)
	d.allow == false
	count(d.reasons) > 0
	not names_the_provider(d)
}

names_the_provider(d) if {
	some r in d.reasons
	contains(r, police)
}

test_a_non_providers_refusal_to_change_terms_names_no_provider if {
	refusal_names_no_provider(terms_change("set_usage_terms", shelter))
}

test_a_non_providers_refusal_to_retract_names_no_provider if {
	refusal_names_no_provider(terms_change("retract", shelter))
}

test_a_non_providers_refusal_to_supersede_names_no_provider if {
	refusal_names_no_provider(terms_change("supersede", shelter))
}

test_a_non_providers_refusal_to_give_a_written_consent_names_no_provider if {
	refusal_names_no_provider(provider_consent("record_provider_consent", shelter))
}

test_a_non_providers_refusal_to_withdraw_a_written_consent_names_no_provider if {
	refusal_names_no_provider(provider_consent("withdraw_consent", shelter))
}

# --- Bijlage 3 / NEN 7513: who reads which part of the log --------------------------------------

shelter := "00000099000000000003"

officer(party) := object.union(worker(party), {"role": "privacy_officer"})

# Reading an access log is zorgtafel.accesslog's rule (accesslog/accesslog_test.rego);
# disclosure asks it here, and control answers it exactly as zorgtafel.accesslog does.
log_query(caller, scoped, parties) := {"operation": "query_access_log", "caller": caller, "resource": {"filter": "party", "value": care, "scoped": scoped, "concerned": parties}}

as_accesslog_decides(inp) if {
	c := object.get(inp, "caller", null)
	r := object.get(inp, "resource", null)
	d := data.zorgtafel.accesslog.decision with input.operation as "query_access_log"
		with input.caller as c
		with input.resource as r
	decide(inp) == d
}

test_control_reads_the_access_log_as_zorgtafel_accesslog_decides if {
	excluded := object.union(officer(care), {"party_status": "excluded"})
	every inp in [
		log_query(officer(care), true, [care]),
		log_query(officer(shelter), true, [care]),
		log_query(officer(shelter), false, []),
		log_query(worker(care), true, [care]),
		log_query(excluded, true, [care]),
	] {
		as_accesslog_decides(inp)
	}
	decide(log_query(officer(care), true, [care])).allow == true
	denied_with(log_query(worker(care), true, [care]), "does not read it")
}

oversight(op, caller, resource) := {"operation": op, "caller": caller, "resource": resource}

test_auditor_lists_reviews_of_a_case_its_party_is_concerned_in if {
	auditor := object.union(worker(police), {"role": "auditor"})
	decide(oversight("list_reviews", auditor, {"scoped": true, "concerned": [police]})).allow == true
}

test_privacy_officer_of_another_party_may_not_list_a_cases_reviews if {
	denied_with(oversight("list_reviews", officer(shelter), {"scoped": true, "concerned": [police, care]}), "Bijlage 3")
}

test_unscoped_review_list_is_narrowed_to_the_own_party if {
	d := decide(oversight("list_reviews", officer(shelter), {"scoped": false, "concerned": []}))
	d.allow == true
	some o in d.obligations
	o.party == shelter
}

# GDPR art. 18(2): a review list always carries the obligation not to open the texts of a
# review whose case or item a restriction holds (the service reads which in the page's query).
test_a_review_list_withholds_the_texts_of_restricted_cases_and_items if {
	every resource in [{"scoped": false, "concerned": []}, {"scoped": true, "concerned": [shelter]}] {
		d := decide(oversight("list_reviews", officer(shelter), resource))
		d.allow == true
		some o in d.obligations
		o.type == "withhold_texts_while_restricted"
		contains(o.reason, "GDPR art. 18(2)")
	}
	every o in decide(oversight("list_subject_requests", officer(shelter), {"scoped": false, "concerned": []})).obligations {
		o.type != "withhold_texts_while_restricted"
	}
}

test_worker_may_not_list_reviews if {
	denied_with(oversight("list_reviews", worker(care), {"scoped": false}), "Only privacy officers")
}

test_privacy_officer_of_another_party_may_not_read_the_subject_access_report if {
	denied_with(oversight("subject_access_report", officer(shelter), {"scoped": true, "concerned": [police]}), "own party as controller")
}

test_privacy_officer_lists_subject_requests_addressed_to_its_party if {
	decide(oversight("list_subject_requests", officer(police), {"scoped": true, "concerned": [police]})).allow == true
}

# --- Bijlage 3: subject requests are decided by the controller's privacy officer ----------------

decide_request(caller, controller) := {"operation": "decide_subject_request", "caller": caller, "resource": {"subject_request_id": "sr-1", "controller": controller}}

test_controllers_privacy_officer_decides_its_subject_request if {
	decide(decide_request(officer(police), police)).allow == true
}

test_another_partys_privacy_officer_may_not_decide_a_subject_request if {
	denied_with(decide_request(officer(care), police), "privacy officer of the controller")
}

# A refused officer may hold no more than a request id: the refusal names neither the request
# nor its controller, so it reads the same as for an id of no request (no controller), 8.4c.
test_a_refused_decision_of_a_subject_request_does_not_name_its_controller if {
	d := decide(decide_request(officer(care), police))
	not d.allow
	every r in d.reasons {
		not contains(r, police)
		not contains(r, "sr-1")
	}
	none := decide(decide_request(officer(care), ""))
	none.reasons == d.reasons
}

test_controllers_worker_may_not_decide_a_subject_request if {
	denied_with(decide_request(worker(police), police), "privacy officer of the controller")
}

# --- Bijlage 3 / issue #13 point 5: who records or withdraws a consent -------------------------

case_1 := {
	"id": "case-1",
	"involved": [care, police],
	"nominating_party": police,
	"process_director": {"party": police, "person": "pd-1"},
	"case_director": null,
	"delegates": {care: ["p-1"]},
}

consent_by(op, caller) := {"operation": op, "caller": caller, "resource": {"case_id": "case-1", "kind": "subject"}, "case": case_1}

test_nominating_party_records_a_consent if {
	decide(consent_by("record_consent", object.union(worker(police), {"person": "p-9"}))).allow == true
}

test_process_director_on_the_roster_records_a_consent if {
	pd := object.union(worker(police), {"person": "pd-1", "functions": ["process_director"]})
	inp := object.union(consent_by("record_consent", pd), {"case": object.union(case_1, {"nominating_party": care})})
	decide(inp).allow == true
}

test_process_director_off_the_roster_may_not_record_a_consent if {
	pd := object.union(worker(police), {"person": "pd-1"})
	inp := object.union(consent_by("record_consent", pd), {"case": object.union(case_1, {"nominating_party": care})})
	denied_with(inp, "no such part")
}

test_delegate_of_an_involved_party_records_a_consent if {
	decide(consent_by("record_consent", worker(care))).allow == true
}

test_uninvolved_party_may_not_record_a_consent if {
	denied_with(consent_by("record_consent", worker(shelter)), "Bijlage 3")
}

test_colleague_without_a_part_may_not_record_a_consent if {
	denied_with(consent_by("record_consent", object.union(worker(care), {"person": "p-2"})), "no such part")
}

test_consent_without_case_facts_denied if {
	denied_with(object.remove(consent_by("record_consent", worker(care)), ["case"]), "no such part")
}

test_delegate_withdraws_a_subject_consent if {
	decide(consent_by("withdraw_consent", worker(care))).allow == true
}

test_uninvolved_party_may_not_withdraw_a_subject_consent if {
	denied_with(consent_by("withdraw_consent", worker(shelter)), "no such part")
}

provider_consent(op, party) := {"operation": op, "caller": worker(party), "resource": {"kind": "provider_written", "item_id": "itm-1", "provider": police}}

test_provider_records_and_withdraws_its_written_consent if {
	decide(provider_consent("record_provider_consent", police)).allow == true
	decide(provider_consent("withdraw_consent", police)).allow == true
}

test_other_party_may_not_give_or_withdraw_the_providers_written_consent if {
	denied_with(provider_consent("record_provider_consent", care), "art. 9.2")
	denied_with(provider_consent("withdraw_consent", care), "art. 9.2")
}

test_unknown_operation_denied if {
	denied_with({"operation": "delete_log", "caller": worker(police), "resource": {}}, "not known")
}

# --- Bijlage 3, art. 16.2: the safety override followed up ---------------------------------------

notices(party, provider) := {"operation": "list_override_notices", "caller": worker(party), "resource": {"provider": provider}}

informing(op, party, overriding) := {"operation": op, "caller": worker(party), "resource": {"party": overriding, "decision_id": "dec-1"}}

test_the_providers_people_list_its_override_notices if {
	d := decide(notices(police, police))
	d.allow == true
	some r in d.reasons
	contains(r, "art. 16.2")
}

test_another_party_may_not_list_the_providers_override_notices if {
	denied_with(notices(care, police), "that party's people only")
}

test_an_excluded_provider_lists_no_notices if {
	inp := object.union(notices(police, police), {"caller": object.union(worker(police), {"party_status": "excluded"})})
	denied_with(inp, "only active parties")
}

test_the_overriding_party_lists_and_records_its_informing_tasks if {
	decide(informing("list_informing_tasks", care, care)).allow == true
	decide(informing("record_client_informed", care, care)).allow == true
}

test_another_party_may_not_list_or_record_the_informing_of_the_client if {
	denied_with(informing("list_informing_tasks", police, care), "Bijlage 3")
	denied_with(informing("record_client_informed", police, care), "the task of the party that made it")
}

# A stranger may hold no more than a decision id: the refusal does not name the party that
# made the override, so it reads the same as for an id of no override (no party), art. 8.4c.
test_a_refused_informing_does_not_name_the_overriding_party if {
	d := decide(informing("record_client_informed", police, care))
	not d.allow
	every r in d.reasons {
		not contains(r, care)
	}
	none := decide(informing("record_client_informed", police, ""))
	none.reasons == d.reasons
}

test_informing_without_an_overriding_party_is_denied if {
	not decide({"operation": "list_informing_tasks", "caller": worker(care), "resource": {}}).allow
}

# --- Bijlage 3, GDPR art. 16: corrections (issue #14) ----------------------------------------

test_the_provider_supersedes_its_item if {
	decide(terms_change("supersede", police)).allow == true
}

test_another_party_may_not_supersede_the_providers_item if {
	denied_with(terms_change("supersede", care), "corrects it with a new version")
}

correction_notices(party) := {"operation": "list_correction_notices", "caller": worker(party), "resource": {"provider": police}}

test_the_providers_people_list_its_correction_notices if {
	decide(correction_notices(police)).allow == true
}

test_another_party_may_not_list_the_providers_correction_notices if {
	denied_with(correction_notices(care), "granted corrections")
}

# --- art. 8.4c, 15.1, Bijlage 3: notices within the party, per person -------------------------

person_scope(d) := [o | some o in d.obligations; o.type == "restrict_to_cases_of_person"]

test_a_worker_lists_notices_only_of_the_cases_the_person_has_a_part_in if {
	every inp in [notices(police, police), informing("list_informing_tasks", care, care), correction_notices(police)] {
		d := decide(inp)
		d.allow == true
		[o] := person_scope(d)
		o.party == inp.caller.party
		o.person == "p-1"
		o.parts == ["case_director", "delegate"]
	}
}

test_a_process_director_on_the_roster_lists_the_cases_it_directs_too if {
	director := object.union(worker(police), {"role": "process_director", "functions": ["process_director"]})
	d := decide(object.union(notices(police, police), {"caller": director}))
	[o] := person_scope(d)
	o.parts == ["case_director", "delegate", "process_director"]
}

test_the_privacy_officer_lists_all_of_its_partys_notices if {
	officer := object.union(worker(police), {"role": "privacy_officer"})
	every inp in [notices(police, police), correction_notices(police)] {
		d := decide(object.union(inp, {"caller": officer}))
		d.allow == true
		count(person_scope(d)) == 0
	}
	d := decide(object.union(informing("list_informing_tasks", police, police), {"caller": officer}))
	d.allow == true
	count(person_scope(d)) == 0
}

test_another_partys_privacy_officer_lists_no_notices if {
	officer := object.union(worker(care), {"role": "privacy_officer"})
	denied_with(object.union(notices(care, police), {"caller": officer}), "that party's people only")
}

# Recording the client informed answers with the override's notices (its case, items, who
# overrode): a worker records it for the cases the person has a part in (the service also lets
# the person who overrode), the party's privacy officer for any (art. 8.4c, 15.1).
test_recording_the_informing_is_scoped_to_the_cases_of_the_person if {
	d := decide(informing("record_client_informed", care, care))
	d.allow == true
	[o] := person_scope(d)
	o.party == care
	o.person == "p-1"
	officer := object.union(worker(care), {"role": "privacy_officer"})
	count(person_scope(decide(object.union(informing("record_client_informed", care, care), {"caller": officer})))) == 0
}

# --- art. 15.1, 8.4c: who provides an item for a case ------------------------------------------

open_case_1 := object.union(case_1, {"closed": false, "restricted": false})

provide_by(party, case) := {"operation": "provide", "caller": worker(party), "resource": {"case_id": "case-1"}, "case": case}

test_the_nominating_party_provides_for_its_case if {
	d := decide(provide_by(police, object.union(open_case_1, {"involved": [], "process_director": null, "delegates": {}})))
	d.allow == true
	some r in d.reasons
	contains(r, "as the nominating party")
}

test_an_involved_party_provides_for_the_case if {
	inp := provide_by(care, object.union(open_case_1, {"delegates": {}}))
	decide(inp).allow == true
}

test_the_process_directors_party_provides_for_the_case if {
	inp := provide_by(care, object.union(open_case_1, {"involved": [], "nominating_party": police, "delegates": {}, "process_director": {"party": care, "person": "pd-1"}}))
	decide(inp).allow == true
}

test_the_case_directors_party_provides_for_the_case if {
	inp := provide_by(shelter, object.union(open_case_1, {"case_director": {"party": shelter, "person": "cd-1"}}))
	decide(inp).allow == true
}

test_a_party_with_a_delegate_provides_for_the_case if {
	inp := provide_by(care, object.union(open_case_1, {"involved": []}))
	d := decide(inp)
	d.allow == true
	some r in d.reasons
	contains(r, "delegates")
}

test_a_party_without_a_part_in_the_case_may_not_provide if {
	denied_with(provide_by(shelter, open_case_1), "has no part in the case as disclosure knows it")
}

# No facts: nobody has a part, and the words are those of a known case (no oracle).
test_nobody_provides_for_a_case_disclosure_does_not_know if {
	inp := object.remove(provide_by(shelter, open_case_1), ["case"])
	d := decide(inp)
	d.allow == false
	d.reasons == decide(provide_by(shelter, open_case_1)).reasons
}

test_a_party_with_a_part_may_not_provide_for_a_closed_case if {
	inp := provide_by(care, object.union(open_case_1, {"closed": true}))
	denied_with(inp, "is closed")
	not denied_with(inp, "is restricted")
}

test_a_party_with_a_part_may_not_provide_for_a_restricted_case if {
	inp := provide_by(care, object.union(open_case_1, {"restricted": true}))
	denied_with(inp, "is restricted")
	not denied_with(inp, "is closed")
}

test_a_case_without_its_state_takes_no_item if {
	inp := provide_by(care, case_1)
	denied_with(inp, "is closed")
	denied_with(inp, "is restricted")
}

test_an_outsider_is_not_told_that_the_case_is_closed if {
	inp := provide_by(shelter, object.union(open_case_1, {"closed": true, "restricted": true}))
	decide(inp).reasons == decide(provide_by(shelter, open_case_1)).reasons
}

test_an_excluded_party_with_a_part_may_not_provide if {
	inp := object.union(provide_by(care, open_case_1), {"caller": object.union(worker(care), {"party_status": "excluded"})})
	denied_with(inp, "only active parties")
	not denied_with(inp, "no part")
}

# --- Bijlage 3, 8.4c: who passes a subject's request on ---------------------------------------

submit_by(party, case) := {"operation": "submit_subject_request", "caller": worker(party), "resource": {"request_kind": "complaint"}, "case": case}

test_a_party_with_a_part_passes_a_subject_request_on if {
	d := decide(submit_by(care, open_case_1))
	d.allow == true
	some r in d.reasons
	contains(r, "passes the subject's request on")
}

test_a_party_with_a_part_passes_a_request_about_a_closed_or_restricted_case_on if {
	decide(submit_by(police, object.union(open_case_1, {"closed": true, "restricted": true}))).allow == true
}

test_a_party_without_a_part_passes_no_subject_request_on if {
	denied_with(submit_by(shelter, open_case_1), "has no part in the case this subject request is about")
}

test_a_subject_request_about_an_unknown_case_is_refused_alike if {
	d := decide(object.remove(submit_by(shelter, open_case_1), ["case"]))
	d.allow == false
	d.reasons == decide(submit_by(shelter, open_case_1)).reasons
}

test_an_excluded_party_passes_no_subject_request_on if {
	inp := object.union(submit_by(care, open_case_1), {"caller": object.union(worker(care), {"party_status": "excluded"})})
	denied_with(inp, "only active parties")
	not denied_with(inp, "no part")
}

# --- a refusal names no id the caller typed: the caller knows which case or item it asked about --

refused_without(inp, typed) if {
	d := decide(inp)
	d.allow == false
	count(d.reasons) > 0
	every r in d.reasons {
		not contains(r, typed)
	}
}

test_a_closed_or_restricted_cases_refusal_says_the_case_not_its_id if {
	inp := provide_by(care, object.union(open_case_1, {"closed": true, "restricted": true}))
	denied_with(inp, "The case is closed")
	denied_with(inp, "The case is restricted")
	refused_without(inp, "case-1")
}

test_a_consents_refusal_says_the_case_not_its_id if {
	refused_without(consent_by("record_consent", worker(shelter)), "case-1")
}

test_a_refusal_to_one_not_the_provider_says_the_item_not_its_id if {
	every inp in [
		terms_change("set_usage_terms", care),
		terms_change("retract", care),
		terms_change("supersede", care),
		provider_consent("record_provider_consent", care),
		provider_consent("withdraw_consent", care),
	] {
		refused_without(inp, "itm-1")
	}
}

# Which consent is withdrawn is a fact the service gives, never a default: a withdrawal whose
# kind is missing, not a string or not one of the two is not taken as the subject's consent
# (which a delegate or the nominating party withdraws), nor as a provider's (Bijlage 3, 9.2).
test_a_consent_withdrawal_without_a_known_kind_is_refused if {
	every resource in [
		{"case_id": "case-1"},
		{"case_id": "case-1", "kind": null},
		{"case_id": "case-1", "kind": ["subject"]},
		{"case_id": "case-1", "kind": "Subject"},
		{"case_id": "case-1", "kind": ""},
		{},
		null,
		"subject",
	] {
		every op in ["withdraw_consent", "record_consent"] {
			decide({"operation": op, "caller": worker(care), "resource": resource, "case": case_1}).allow == false
		}
	}
}

test_a_consent_withdrawal_without_a_known_kind_is_refused_to_the_provider_too if {
	every resource in [{"item_id": "itm-1", "provider": police}, {"item_id": "itm-1", "provider": police, "kind": 7}] {
		decide({"operation": "withdraw_consent", "caller": worker(police), "resource": resource}).allow == false
	}
}

# A person id names its person without case ("PD-1" is pd-1: validate.same_person, the token's
# subject): the case's process director and a delegate in other case are themselves, another
# person is not.
test_a_person_id_in_other_case_is_the_same_person if {
	pd := object.union(worker(police), {"person": "PD-1", "functions": ["process_director"]})
	not_nominating := {"case": object.union(case_1, {"nominating_party": care})}
	decide(object.union(consent_by("record_consent", pd), not_nominating)).allow == true
	decide(consent_by("record_consent", object.union(worker(care), {"person": "P-1"}))).allow == true
	other_pd := object.union(pd, {"person": "PD-10"})
	denied_with(object.union(consent_by("record_consent", other_pd), not_nominating), "no such part")
	denied_with(consent_by("record_consent", object.union(worker(care), {"person": "P-10"})), "no such part")
}
