# Tests for zorgtafel.intake.access: an allow and a deny case for every action.
# Input keys are replaced one by one (see disclosure_test.rego for why).
package zorgtafel.intake.access_test

import rego.v1

decide(action, principal, nomination) := d if {
	d := decide_for(action, principal, nomination, null)
}

decide_for(action, principal, nomination, candidate) := d if {
	d := decide_all(action, principal, nomination, candidate, null, null)
}

decide_all(action, principal, nomination, candidate, routing, probing) := d if {
	d := decide_at(action, principal, nomination, candidate, routing, probing, now)
}

# The time of the request, as the service gives it (input.now; the policy reads no clock).
decide_at(action, principal, nomination, candidate, routing, probing, at) := d if {
	a := action
	p := principal
	n := nomination
	c := candidate
	r := routing
	pr := probing
	t := at
	d := data.zorgtafel.intake.access.decision with input.action as a
		with input.principal as p
		with input.nomination as n
		with input.candidate as c
		with input.routing as r
		with input.probing as pr
		with input.now as t
}

now := "2026-06-01T12:00:00Z"

# The nominating party's usage terms (art. 16.2), as the test helpers nominate them.
terms := {"purposes": ["care_coordination"], "recipient_parties": [], "recipient_roles": ["process_director"]}

nominator := "00000099000000000001"

helmond := "00000099000000000018"

asked := "00000099000000000040"

outsider := "00000099000000000050"

pd := {"party": helmond, "person": "pd-1"}

nom := {
	"case_id": "c1", "nominating_party": nominator, "nominated_by": "worker-1", "status": "triage", "asked_parties": [asked],
	"consent": "given", "safety_override": false, "process_director": pd, "usage_terms": terms,
}

queued := object.union(object.remove(nom, ["process_director"]), {"status": "nominated", "asked_parties": []})

refused_consent := object.union(nom, {"status": "qualified", "consent": "refused", "asked_parties": []})

who(party, role) := {"party": party, "person": "worker-1", "role": role, "functions": []}

# The designated process director who directs the nomination.
its_director := {"party": helmond, "person": "pd-1", "role": "process_director", "functions": ["process_director"]}

# Designated, but directing other nominations and cases.
other_director := {"party": helmond, "person": "pd-2", "role": "process_director", "functions": ["process_director"]}

# A token role without the designation on the roster.
claimed_director := {"party": helmond, "person": "pd-1", "role": "process_director", "functions": []}

manager := {"party": helmond, "person": "mgr-1", "role": "manager", "functions": ["manager"]}

# Bijlage 3 "afschermen", GDPR art. 18: a restricted nomination is shared with no party beyond
# the nominator and its process director; lifted (or never restricted), as before.
restricted_nom := object.union(nom, {"restricted": true})

test_a_restricted_nomination_is_read_by_no_asked_party_and_shared_no_further if {
	every d in [
		decide("read_triage_question", who(asked, "caseworker"), restricted_nom),
		decide("answer_triage", who(asked, "caseworker"), restricted_nom),
		decide("start_triage", its_director, object.union(restricted_nom, {"status": "qualified"})),
		decide_for("ask_in_triage", its_director, restricted_nom, {"party": asked, "status": "active"}),
		decide_all("decide_routing", its_director, restricted_nom, null, "case_meeting", null),
	] {
		d.allow == false
		some r in d.reasons
		contains(r, "GDPR art. 18")
	}
}

test_a_restricted_nomination_is_still_read_by_its_nominator_and_director if {
	decide("read_nomination", who(nominator, "caseworker"), restricted_nom).allow == true
	decide("read_nomination", its_director, restricted_nom).allow == true
	decide("read_triage_question", its_director, restricted_nom).allow == true
	decide_all("decide_routing", its_director, restricted_nom, null, "zvh_brabant_zuidoost", null).allow == true
}

test_a_lifted_restriction_shares_the_question_again if {
	decide("read_triage_question", who(asked, "caseworker"), object.union(nom, {"restricted": false})).allow == true
}

test_nominating_party_reads_its_nomination_in_the_nominators_view if {
	d := decide("read_nomination", who(nominator, "caseworker"), nom)
	d.allow == true
	some r in d.reasons
	contains(r, "art. 16.2")
	some o in d.obligations
	o.type == "nominator_view"
}

test_the_nominators_view_holds_only_its_own_partys_part_in_the_triage_round if {
	d := decide("read_nomination", who(nominator, "caseworker"), nom)
	some o in d.obligations
	o.type == "triage_view"
	o.scope == "own_party"
	contains(o.reason, "art. 16.2")
	not "triage_view" in {t.type | some t in decide("read_nomination", its_director, nom).obligations}
}

test_its_process_director_reads_the_whole_nomination if {
	d := decide("read_nomination", its_director, nom)
	d.allow == true
	d.obligations == []
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_a_process_director_of_another_nomination_reads_nothing if {
	d := decide("read_nomination", other_director, nom)
	d.allow == false
	some r in d.reasons
	contains(r, "a process director of another nomination or case has no part in it (art. 12.3")
}

test_a_token_role_alone_reads_nothing if {
	d := decide("read_nomination", claimed_director, nom)
	d.allow == false
	some r in d.reasons
	contains(r, "a token role alone grants nothing")
}

test_any_designated_process_director_reads_and_assesses_from_the_queue if {
	d := decide("read_nomination", other_director, queued)
	d.allow == true
	d.obligations == []
	some r in d.reasons
	contains(r, "intake queue")
	decide("assess", other_director, queued).allow == true
	decide("assess", claimed_director, queued).allow == false
}

test_a_linked_nomination_waiting_in_the_queue_is_in_the_queue if {
	linked := object.union(queued, {"status": "linked", "linked_to_case_id": "c0"})
	decide("read_nomination", other_director, linked).allow == true
}

# Linked to nothing (the nomination it was linked to was forgotten): it has no process director
# and is in nobody's queue (12.3); its nominator still reads it (16.2).
test_a_nomination_linked_to_nothing_is_in_nobodys_queue if {
	orphan := object.union(queued, {"status": "linked"})
	d := decide("read_nomination", other_director, orphan)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
	decide("assess", other_director, orphan).allow == false
	decide_all("decide_routing", other_director, orphan, null, "zvh_brabant_zuidoost", null).allow == false
	decide_all("decide_routing", other_director, queued, null, "zvh_brabant_zuidoost", null).allow == true
	decide("read_nomination", who(nominator, "caseworker"), orphan).allow == true
}

test_the_queue_holds_only_nominations_not_taken_up if {
	decide("read_nomination", other_director, object.union(nom, {"status": "qualified"})).allow == false
}

# art. 12.3: the designation of its process director ended (intake took the person off it): a
# nomination qualified or in triage is back in the queue as it stands; any designated process
# director reads it and takes it up by acting on it; a token role alone does nothing.
test_a_nomination_its_process_director_left_is_taken_up_from_the_queue if {
	left := object.remove(nom, ["process_director"])
	qualified := object.union(left, {"status": "qualified"})
	d := decide("start_triage", other_director, qualified)
	d.allow == true
	some r in d.reasons
	contains(r, "designation of the process director who took this nomination up ended")
	decide("read_nomination", other_director, left).obligations == []
	decide("read_triage_question", other_director, left).allow == true
	decide("record_safety_override", other_director, qualified).allow == true
	decide_for("ask_in_triage", other_director, qualified, {"party": asked, "status": "active"}).allow == true
	decide_all("decide_routing", other_director, left, null, "regular_care", null).allow == true
	decide_all("decide_routing", other_director, left, null, "case_meeting", null).allow == true
	decide("start_triage", claimed_director, qualified).allow == false
	decide("read_nomination", claimed_director, left).allow == false
	decide("start_triage", other_director, object.union(queued, {"status": "nominated"})).allow == false
}

test_only_its_process_director_assesses_once_taken_up if {
	taken := object.union(queued, {"process_director": pd})
	decide("assess", its_director, taken).allow == true
	d := decide("assess", other_director, taken)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_other_party_reads_nothing if {
	d := decide("read_nomination", who(outsider, "caseworker"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 8.4c")
}

test_a_colleague_of_the_nominator_without_a_part_reads_and_withdraws_nothing if {
	colleague := {"party": nominator, "person": "worker-2", "role": "caseworker", "functions": []}
	d := decide("read_nomination", colleague, nom)
	d.allow == false
	some r in d.reasons
	contains(r, "Bijlage 3")
	decide("withdraw_nomination", colleague, nom).allow == false
}

test_asked_party_does_not_read_the_nomination if {
	decide("read_nomination", who(asked, "caseworker"), nom).allow == false
}

test_nominating_party_withdraws if {
	decide("withdraw_nomination", who(nominator, "caseworker"), nom).allow == true
}

test_process_director_does_not_withdraw if {
	d := decide("withdraw_nomination", its_director, nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 16.1")
}

test_asked_party_reads_question_and_answers if {
	decide("read_triage_question", who(asked, "caseworker"), nom).allow == true
	decide("answer_triage", who(asked, "case_director"), nom).allow == true
}

test_an_asked_party_reads_the_question_only_while_the_round_is_on if {
	every status in ["routed", "withdrawn", "rejected", "closed"] {
		d := decide("read_triage_question", who(asked, "caseworker"), object.union(nom, {"status": status}))
		d.allow == false
		some r in d.reasons
		contains(r, sprintf("The triage round is over (the nomination is %v)", [status]))
		every r2 in d.reasons {
			not contains(r2, "Only parties asked")
		}
	}
	# Its process director still reads the question it asked; an answer outside the round is
	# the service's FAILED_PRECONDITION, naming the state.
	decide("read_triage_question", its_director, object.union(nom, {"status": "routed"})).allow == true
	decide("answer_triage", who(asked, "caseworker"), object.union(nom, {"status": "withdrawn"})).allow == true
}

test_party_not_asked_may_not_answer if {
	d := decide("answer_triage", who(outsider, "caseworker"), nom)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 1.15")
}

test_its_process_director_reads_question_but_does_not_answer if {
	decide("read_triage_question", its_director, nom).allow == true
	decide("read_triage_question", other_director, nom).allow == false
	decide("answer_triage", its_director, nom).allow == false
}

test_unknown_action_denied if {
	d := decide("delete_everything", its_director, nom)
	d.allow == false
	some r in d.reasons
	contains(r, "Unknown action")
}

test_missing_principal_denied if {
	decide("read_nomination", null, nom).allow == false
}

test_its_process_director_starts_the_triage if {
	decide("start_triage", its_director, object.union(nom, {"status": "qualified"})).allow == true
	d := decide("start_triage", other_director, object.union(nom, {"status": "qualified"}))
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_active_party_may_be_asked_in_triage if {
	d := decide_for("ask_in_triage", its_director, nom, {"party": asked, "status": "active"})
	d.allow == true
}

test_excluded_party_is_not_asked_in_triage if {
	d := decide_for("ask_in_triage", its_director, nom, {"party": asked, "status": "excluded"})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 23.2")
}

test_unknown_party_is_not_asked_in_triage if {
	decide_for("ask_in_triage", its_director, nom, {"party": asked, "status": "unknown"}).allow == false
}

test_only_its_process_director_asks if {
	decide_for("ask_in_triage", who(nominator, "caseworker"), nom, {"party": asked, "status": "active"}).allow == false
	decide_for("ask_in_triage", other_director, nom, {"party": asked, "status": "active"}).allow == false
}

test_refused_consent_without_override_shares_nothing if {
	d := decide("start_triage", its_director, refused_consent)
	d.allow == false
	some r in d.reasons
	contains(r, "refused consent")
	decide_for("ask_in_triage", its_director, refused_consent, {"party": asked, "status": "active"}).allow == false
	decide_all("decide_routing", its_director, refused_consent, null, "case_meeting", null).allow == false
	decide("start_triage", its_director, object.union(refused_consent, {"consent": "safety_override"})).allow == false
}

test_a_recorded_safety_override_allows_sharing if {
	overridden := object.union(refused_consent, {"safety_override": true})
	decide("start_triage", its_director, overridden).allow == true
	decide_all("decide_routing", its_director, overridden, null, "case_meeting", null).allow == true
}

# Bijlage 3, GDPR art. 7(3): the subject withdrew its consent (disclosure's fact, the consent
# as it now stands): from then on nothing is shared beyond the nominating party and its process
# director, also not with the parties already asked in the triage round, until a new consent or
# a recorded safety override.
withdrawn_consent := object.union(nom, {"consent": "withdrawn"})

test_a_withdrawn_consent_shares_the_nomination_with_no_asked_party if {
	every d in [
		decide("read_triage_question", who(asked, "caseworker"), withdrawn_consent),
		decide("answer_triage", who(asked, "caseworker"), withdrawn_consent),
		decide("start_triage", its_director, object.union(withdrawn_consent, {"status": "qualified"})),
		decide_for("ask_in_triage", its_director, withdrawn_consent, {"party": asked, "status": "active"}),
		decide_all("decide_routing", its_director, withdrawn_consent, null, "case_meeting", null),
	] {
		d.allow == false
		some r in d.reasons
		contains(r, "withdrew")
	}
}

test_a_withdrawn_consent_is_still_read_by_its_nominator_and_director if {
	decide("read_nomination", who(nominator, "caseworker"), withdrawn_consent).allow == true
	decide("read_nomination", its_director, withdrawn_consent).allow == true
	decide("read_triage_question", its_director, withdrawn_consent).allow == true
	decide("record_safety_override", its_director, withdrawn_consent).allow == true
	decide_all("decide_routing", its_director, withdrawn_consent, null, "zvh_brabant_zuidoost", null).allow == true
	decide_all("decide_routing", its_director, withdrawn_consent, null, "regular_care", null).allow == true
}

test_a_safety_override_recorded_after_the_withdrawal_shares_it_again if {
	overridden := object.union(withdrawn_consent, {"safety_override": true})
	decide("read_triage_question", who(asked, "caseworker"), overridden).allow == true
	decide("answer_triage", who(asked, "caseworker"), overridden).allow == true
	decide_all("decide_routing", its_director, overridden, null, "case_meeting", null).allow == true
}

test_refused_consent_is_not_read_by_an_asked_party_without_override if {
	decide("read_triage_question", who(asked, "caseworker"), object.union(nom, {"consent": "refused"})).allow == false
}

test_escalation_stays_possible_without_consent if {
	decide_all("decide_routing", its_director, refused_consent, null, "zvh_brabant_zuidoost", null).allow == true
	decide_all("decide_routing", its_director, refused_consent, null, "regular_care", null).allow == true
}

test_escalation_from_the_queue_by_any_designated_process_director if {
	decide_all("decide_routing", other_director, queued, null, "zvh_brabant_noordoost", null).allow == true
	decide_all("decide_routing", claimed_director, queued, null, "zvh_brabant_noordoost", null).allow == false
	decide_all("decide_routing", other_director, queued, null, "case_meeting", null).allow == false
}

test_only_its_process_director_routes if {
	decide_all("decide_routing", its_director, nom, null, "case_meeting", null).allow == true
	d := decide_all("decide_routing", other_director, nom, null, "case_meeting", null)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 12.3")
}

test_its_process_director_records_a_safety_override if {
	decide("record_safety_override", its_director, refused_consent).allow == true
	decide("record_safety_override", other_director, refused_consent).allow == false
	decide("record_safety_override", who(nominator, "caseworker"), refused_consent).allow == false
}

test_a_party_nominates_within_the_probing_limit if {
	d := decide_all("nominate", who(nominator, "caseworker"), null, null, null, {"matches": 2, "limit": 3, "window_s": 86400, "party_matches": 2, "party_limit": 20})
	d.allow == true
}

test_nominating_beyond_the_probing_limit_is_refused if {
	d := decide_all("nominate", who(nominator, "caseworker"), null, null, null, {"matches": 3, "limit": 3, "window_s": 86400, "party_matches": 3, "party_limit": 20})
	d.allow == false
	some r in d.reasons
	contains(r, "rate-limited to prevent identification")
	contains(r, "GDPR art. 32")
	decide_all("nominate", who(nominator, "caseworker"), null, null, null, null).allow == false
}

# A count or a limit that is not a number is over the limit (fail closed), on either engine:
# regorus orders false before 3, regopy "x" before 3, so one or the other let such a
# nomination through.
test_a_probing_count_or_limit_that_is_not_a_number_refuses_the_nomination if {
	worker := who(nominator, "caseworker")
	every v in [false, true, "x", "", null, [], {}] {
		decide_all("nominate", worker, null, null, null, {"matches": v, "limit": 3, "window_s": 60, "party_matches": 1, "party_limit": 20}).allow == false
		decide_all("nominate", worker, null, null, null, {"matches": 1, "limit": v, "window_s": 60, "party_matches": 1, "party_limit": 20}).allow == false
		decide_all("nominate", worker, null, null, null, {"matches": 1, "limit": 3, "window_s": 60, "party_matches": v, "party_limit": 20}).allow == false
		decide_all("nominate", worker, null, null, null, {"matches": 1, "limit": 3, "window_s": 60, "party_matches": 1, "party_limit": v}).allow == false
	}
}

# A party whose persons together reached the party's limit: a person of it with no match of
# its own (a new person id) nominates no more either; its reason names the party's limit.
test_a_party_whose_persons_together_reached_its_limit_is_refused if {
	worker := who(nominator, "caseworker")
	d := decide_all("nominate", worker, null, null, null, {"matches": 0, "limit": 3, "window_s": 60, "party_matches": 20, "party_limit": 20})
	d.allow == false
	some r in d.reasons
	contains(r, "per party")
	contains(r, "GDPR art. 32")
	every reason in d.reasons {
		not contains(reason, "reached the limit of")
	}
	decide_all("nominate", worker, null, null, null, {"matches": 0, "limit": 3, "window_s": 60, "party_matches": 19, "party_limit": 20}).allow == true
	decide_all("nominate", worker, null, null, null, {"matches": 0, "limit": 3, "window_s": 60}).allow == false
}

test_a_seated_manager_lists_probing_flags if {
	decide("list_probing_flags", manager, null).allow == true
}

test_a_manager_token_alone_lists_nothing if {
	d := decide("list_probing_flags", object.union(manager, {"functions": []}), null)
	d.allow == false
	some r in d.reasons
	contains(r, "art. 11")
	decide("list_probing_flags", its_director, null).allow == false
}

# -- the process director's worklist (list_nominations) ------------------------------------------
scopes(d) := {o.scope | some o in d.obligations; o.type == "list_scope"}

test_a_designated_process_director_lists_the_queue_and_what_it_took_up if {
	d := decide("list_nominations", other_director, null)
	d.allow == true
	scopes(d) == {"intake_queue", "taken_up_by_caller"}
	some r in d.reasons
	contains(r, "art. 12.3")
}

# art. 16.2: the list holds only what the nominating party's terms let this reader act on, at
# the time of the request (one decision for the whole list; the service filters by it).
test_the_worklist_is_bound_by_the_nominating_partys_terms if {
	d := decide("list_nominations", other_director, null)
	some o in d.obligations
	o.type == "list_terms"
	o.scope == "current_and_naming_party"
	contains(o.reason, "art. 16.2")
}

test_a_worklist_without_the_time_of_the_request_is_refused if {
	d := decide_at("list_nominations", other_director, null, null, null, null, null)
	d.allow == false
	d.obligations == []
	some r in d.reasons
	contains(r, "time of the request is missing")
	contains(r, "art. 16.2")
}

test_a_process_director_token_without_the_roster_lists_nothing if {
	d := decide("list_nominations", claimed_director, null)
	d.allow == false
	scopes(d) == set()
	some r in d.reasons
	contains(r, "art. 11.2")
}

test_a_worker_of_the_nominating_party_lists_nothing if {
	d := decide("list_nominations", who(nominator, "caseworker"), null)
	d.allow == false
	scopes(d) == set()
}

test_a_manager_has_no_worklist_of_nominations if {
	decide("list_nominations", manager, null).allow == false
}

test_a_designated_person_without_a_party_lists_nothing if {
	decide("list_nominations", object.union(its_director, {"party": ""}), null).allow == false
}

test_the_worklist_scopes_and_its_grant_are_the_worklists_alone if {
	claimed := claimed_director
	refused := data.zorgtafel.intake.access.obligations with input.action as "list_nominations"
		with input.principal as claimed
	refused == set()
	designated := other_director
	at := now
	granted := data.zorgtafel.intake.access.denials with input.action as "list_nominations"
		with input.principal as designated
		with input.now as at
	granted == set()
	d := decide("list_probing_flags", manager, null)
	every r in d.reasons {
		not contains(r, "worklist")
		not contains(r, "intake queue and the nominations it took up")
	}
	e := decide("list_probing_flags", its_director, null)
	every r in e.reasons {
		not contains(r, "worklist")
	}
}

# -- art. 16.2: the nominating party's usage terms ---------------------------------------------------
with_terms(n, changes) := object.union(n, {"usage_terms": object.union(terms, changes)})

expired := with_terms(nom, {"expires_at": "2026-01-01T00:00:00Z"})

test_after_the_terms_expired_only_the_nominator_reads_or_withdraws if {
	decide("read_nomination", who(nominator, "caseworker"), expired).allow == true
	decide("withdraw_nomination", who(nominator, "caseworker"), expired).allow == true
	every action in ["read_nomination", "assess", "start_triage", "record_safety_override", "read_triage_question"] {
		d := decide(action, its_director, expired)
		d.allow == false
		some r in d.reasons
		contains(r, "only until 2026-01-01T00:00:00Z")
		contains(r, "art. 16.2")
	}
	decide("read_triage_question", who(asked, "caseworker"), expired).allow == false
	decide("answer_triage", who(asked, "caseworker"), expired).allow == false
	decide_for("ask_in_triage", its_director, expired, {"party": asked, "status": "active"}).allow == false
	decide_all("decide_routing", its_director, expired, null, "zvh_brabant_zuidoost", null).allow == false
}

test_the_terms_hold_until_their_expiry_not_at_it if {
	decide_at("read_nomination", its_director, expired, null, null, null, "2025-12-31T23:59:59Z").allow == true
	decide_at("read_nomination", its_director, expired, null, null, null, "2026-01-01T00:00:00Z").allow == false
}

test_a_caller_without_a_part_is_not_told_the_terms if {
	d := decide("read_nomination", other_director, expired)
	d.allow == false
	every r in d.reasons {
		not contains(r, "2026-01-01")
	}
}

test_without_the_time_of_the_request_expiring_terms_deny if {
	d := decide_at("read_nomination", its_director, expired, null, null, null, "yesterday")
	d.allow == false
	some r in d.reasons
	contains(r, "time of the request is missing")
	decide_at("read_nomination", its_director, nom, null, null, null, null).allow == true
}

test_without_the_usage_terms_only_the_nominator_reads_the_nomination if {
	bare := object.remove(nom, ["usage_terms"])
	d := decide("read_nomination", its_director, bare)
	d.allow == false
	some r in d.reasons
	contains(r, "usage terms are missing")
	decide("read_nomination", who(nominator, "caseworker"), bare).allow == true
}

test_a_process_director_of_a_party_the_terms_do_not_name_is_refused if {
	only_asked := with_terms(nom, {"recipient_parties": [asked]})
	every action in ["read_nomination", "assess", "start_triage"] {
		d := decide(action, its_director, only_asked)
		d.allow == false
		some r in d.reasons
		contains(r, sprintf("party %v is not one of them (art. 16.2)", [helmond]))
	}
	decide("read_nomination", other_director, with_terms(queued, {"recipient_parties": [asked]})).allow == false
	decide("read_nomination", its_director, with_terms(nom, {"recipient_parties": [asked, helmond]})).allow == true
	# The nominating party is no recipient of its own information: its designated process
	# director takes it up from the queue whatever the list names.
	own_director := object.union(other_director, {"party": nominator})
	decide("read_nomination", own_director, with_terms(queued, {"recipient_parties": [helmond]})).allow == true
	decide("read_nomination", who(nominator, "caseworker"), only_asked).allow == true
}

test_only_a_party_the_terms_name_is_asked_in_the_triage_round if {
	named := with_terms(nom, {"recipient_parties": [helmond, asked]})
	d := decide_for("ask_in_triage", its_director, named, {"party": outsider, "status": "active"})
	d.allow == false
	some r in d.reasons
	contains(r, sprintf("party %v is not asked in its triage round (art. 16.2)", [outsider]))
	decide_for("ask_in_triage", its_director, named, {"party": asked, "status": "active"}).allow == true
	decide_for("ask_in_triage", its_director, named, {"party": nominator, "status": "active"}).allow == true
	decide_for("ask_in_triage", its_director, nom, {"party": outsider, "status": "active"}).allow == true
	decide("read_triage_question", who(asked, "caseworker"), with_terms(nom, {"recipient_parties": [helmond]})).allow == false
}

# A person id names its person without case ("PD-1" is pd-1: validate.same_person, the token's
# subject): the nominator and the nomination's process director in other case are themselves,
# another person is not.
test_a_person_id_in_other_case_is_the_same_person if {
	decide("read_nomination", object.union(its_director, {"person": "PD-1"}), nom).allow == true
	decide("withdraw_nomination", object.union(who(nominator, "caseworker"), {"person": "Worker-1"}), nom).allow == true
	decide("read_nomination", object.union(its_director, {"person": "PD-10"}), nom).allow == false
	decide("withdraw_nomination", object.union(who(nominator, "caseworker"), {"person": "Worker-10"}), nom).allow == false
}
