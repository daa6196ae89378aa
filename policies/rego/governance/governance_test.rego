# Tests for zorgtafel.governance: an allow and a deny case for every action.
# (Each input key is replaced on its own: see disclosure_test.rego for why.)
package zorgtafel.governance_test

import rego.v1

decide(inp) := d if {
	a := object.get(inp, "action", null)
	p := object.get(inp, "principal", null)
	h := object.get(inp, "seats_held", [])
	s := object.get(inp, "seat", null)
	b := object.get(inp, "body", null)
	k := object.get(inp, "kind", null)
	y := object.get(inp, "party", null)
	f := object.get(inp, "forum", null)
	o := object.get(inp, "holder", null)
	r := object.get(inp, "registered_by", null)
	c := object.get(inp, "case", null)
	d := data.zorgtafel.governance.decision with input.action as a
		with input.principal as p
		with input.seats_held as h
		with input.seat as s
		with input.body as b
		with input.kind as k
		with input.party as y
		with input.forum as f
		with input.holder as o
		with input.registered_by as r
		with input.case as c
}

grave := "00000099000000000016"

asten := "00000099000000000001"

helmond := "00000099000000000018"

who(party, role) := {"party": party, "person": "p-1", "role": role, "party_status": "active"}

seat_of(id, body, role, owner, holder) := {
	"seat_id": id, "body": body, "role": role, "held_by_party": owner,
	"holder_party": holder, "holder_person": "p-1",
}

chair_seat := seat_of("regional_board.01", "regional_board", "board_chair", grave, grave)

secretary_seat := seat_of("regional_board.05", "regional_board", "board_secretary", null, asten)

asten_delegate := seat_of("partner_council.delegate.x", "partner_council", "delegate", asten, asten)

council_secretary := seat_of("partner_council.secretary", "partner_council", "council_secretary", null, asten)

manager_seat := seat_of("managers.h", "managers", "manager", helmond, helmond)

# -- assign_seat and release_seat: appointed, not taken (art. 4.3, 6.3, 6.4, 11.2) -----------

vacant(seat) := object.union(seat, {"holder_party": null, "holder_person": null})

appointee(party) := {"party": party, "person": "p-2", "party_status": "active", "seats": []}

rep(party) := who(party, "party_representative")

assign(principal, seats, seat, holder) := decide({"action": "assign_seat", "principal": principal, "seats_held": seats, "seat": seat, "holder": holder})

cites(d, text) if {
	some r in d.reasons
	contains(r, text)
}

riec_seat := seat_of("regional_board.07", "regional_board", "board_member", null, null)

test_party_representative_appoints_its_partys_delegate if {
	assign(rep(asten), [], vacant(asten_delegate), appointee(asten)).allow == true
}

test_party_representative_appoints_its_partys_board_and_managers_seats if {
	assign(rep(grave), [], vacant(chair_seat), appointee(grave)).allow == true
	assign(rep(helmond), [], vacant(manager_seat), appointee(helmond)).allow == true
}

test_a_person_of_the_party_without_the_representative_role_appoints_nothing if {
	d := assign(who(asten, "council_delegate"), [], vacant(asten_delegate), appointee(asten))
	d.allow == false
	cites(d, "party_representative")
	cites(d, "art. 6.3")
}

test_another_partys_representative_cannot_appoint_to_a_partys_seat if {
	d := assign(rep(asten), [], vacant(chair_seat), appointee(asten))
	d.allow == false
	cites(d, "art. 4.3")
}

test_a_partys_seat_is_held_by_a_person_of_that_party if {
	d := assign(rep(grave), [], vacant(chair_seat), appointee(asten))
	d.allow == false
	cites(d, "seat's own party")
}

test_the_holder_must_be_of_an_active_party if {
	h := object.union(appointee(asten), {"party_status": "excluded"})
	assign(rep(asten), [], vacant(asten_delegate), h).allow == false
}

test_the_chair_appoints_the_board_secretary if {
	assign(who(grave, "board_chair"), [chair_seat], vacant(secretary_seat), appointee(helmond)).allow == true
}

test_nobody_else_appoints_the_board_secretary if {
	d := assign(who(helmond, "board_secretary"), [], vacant(secretary_seat), appointee(helmond))
	d.allow == false
	cites(d, "board chair seat")
	assign(rep(helmond), [], vacant(secretary_seat), appointee(helmond)).allow == false
	assign(who(grave, "board_chair"), [], vacant(secretary_seat), appointee(helmond)).allow == false
}

test_the_board_secretary_appoints_the_council_secretary_6_4 if {
	assign(who(asten, "board_secretary"), [secretary_seat], vacant(council_secretary), appointee(helmond)).allow == true
}

test_nobody_else_appoints_the_council_secretary_6_4 if {
	d := assign(who(asten, "council_secretary"), [], vacant(council_secretary), appointee(asten))
	d.allow == false
	cites(d, "art. 6.4")
	assign(who(grave, "board_chair"), [chair_seat], vacant(council_secretary), appointee(asten)).allow == false
}

test_the_board_secretary_appoints_a_non_signatorys_board_seat_4_3 if {
	assign(who(asten, "board_secretary"), [secretary_seat], riec_seat, appointee(helmond)).allow == true
}

test_a_partys_person_cannot_take_a_non_signatorys_board_seat_4_3 if {
	d := assign(who(asten, "board_member"), [], riec_seat, appointee(asten))
	d.allow == false
	cites(d, "non-signatory")
	cites(d, "art. 4.3")
	assign(rep(asten), [asten_delegate], riec_seat, appointee(asten)).allow == false
}

test_a_held_seat_is_not_taken_over if {
	d := assign(who(asten, "board_chair"), [], chair_seat, appointee(asten))
	d.allow == false
	cites(d, "is held")
	held_secretary := object.union(secretary_seat, {"holder_person": "someone"})
	d2 := assign(who(asten, "board_secretary"), [], held_secretary, appointee(asten))
	d2.allow == false
	cites(d2, "is held")
}

test_the_appointing_authority_re_appoints_a_held_seat if {
	assign(rep(grave), [], chair_seat, appointee(grave)).allow == true
	held_secretary := object.union(secretary_seat, {"holder_person": "someone"})
	assign(who(grave, "board_chair"), [chair_seat], held_secretary, appointee(asten)).allow == true
}

# art. 4.3, 5, 6.3a, 7.1: one person holds one voting seat of a body and casts one vote there.
best_seat := seat_of("regional_board.02", "regional_board", "board_member", "00000099000000000004", "00000099000000000004")

seated(party, seats) := object.union(appointee(party), {"seats": seats})

test_a_person_with_a_voting_seat_is_not_appointed_to_another_of_the_same_body if {
	d := assign(who(asten, "board_secretary"), [secretary_seat], riec_seat, seated(helmond, [best_seat]))
	d.allow == false
	cites(d, "one vote")
	cites(d, "art. 7.1")
	council_seat := seat_of("partner_council.delegate.y", "partner_council", "delegate", helmond, helmond)
	assign(rep(helmond), [], vacant(council_seat), seated(helmond, [asten_delegate])).allow == false
}

test_a_voting_seat_elsewhere_or_the_same_seat_again_leaves_one_vote if {
	# a seat of another body, or a seat of the body without a vote (the secretary's)
	assign(who(asten, "board_secretary"), [secretary_seat], riec_seat, seated(helmond, [asten_delegate, secretary_seat])).allow == true
	# the secretary's seat for a member of the board: the secretary does not vote (4.3)
	assign(who(grave, "board_chair"), [chair_seat], vacant(secretary_seat), seated(helmond, [best_seat])).allow == true
	# re-appointing the person to the seat it holds
	assign(who(asten, "board_secretary"), [secretary_seat], riec_seat, seated(helmond, [riec_seat])).allow == true
}

test_an_appointee_without_the_seats_fact_is_not_appointed if {
	h := object.remove(appointee(asten), ["seats"])
	assign(rep(asten), [], vacant(asten_delegate), h).allow == false
	assign(who(grave, "board_chair"), [chair_seat], vacant(secretary_seat), h).allow == false
}

test_excluded_party_appoints_no_seat if {
	p := object.union(rep(asten), {"party_status": "excluded"})
	d := assign(p, [], vacant(asten_delegate), appointee(asten))
	d.allow == false
	cites(d, "art. 23.2")
}

release(principal, seats, seat) := decide({"action": "release_seat", "principal": principal, "seats_held": seats, "seat": seat})

test_the_holder_releases_its_seat if {
	release(who(asten, "council_delegate"), [asten_delegate], asten_delegate).allow == true
}

test_the_appointing_authority_releases_a_seat if {
	release(rep(asten), [], asten_delegate).allow == true
	release(who(grave, "board_chair"), [chair_seat], secretary_seat).allow == true
}

test_someone_else_does_not_release_a_seat if {
	held := object.union(asten_delegate, {"holder_person": "someone"})
	d := release(who(asten, "council_delegate"), [], held)
	d.allow == false
	cites(d, "art. 6.3")
	release(rep(grave), [], held).allow == false
}

# -- process directors, designated by the managers (art. 11.2, 12.1) -------------------------

test_a_manager_designates_and_revokes_process_directors if {
	decide({"action": "designate_process_director", "principal": who(helmond, "manager"), "seats_held": [manager_seat], "party": asten}).allow == true
	decide({"action": "revoke_process_director", "principal": who(helmond, "manager"), "seats_held": [manager_seat], "party": asten}).allow == true
}

test_a_manager_without_a_managers_seat_designates_nobody if {
	d := decide({"action": "designate_process_director", "principal": who(helmond, "manager"), "seats_held": [], "party": asten})
	d.allow == false
	cites(d, "art. 12.1")
	decide({"action": "revoke_process_director", "principal": who(asten, "process_director"), "seats_held": [asten_delegate], "party": asten}).allow == false
}

# -- propose ----------------------------------------------------------------------------------

test_council_member_proposes_to_council_and_board if {
	decide({"action": "propose", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "partner_council"}).allow == true
	decide({"action": "propose", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "regional_board"}).allow == true
}

propose_kind(principal, seats, kind) := decide({"action": "propose", "principal": principal, "seats_held": seats, "body": "regional_board", "kind": kind})

member_seat := seat_of("regional_board.02", "regional_board", "board_member", asten, asten)

# art. 23.2: an exclusion is put to the board by its chair or secretary (as Exclude), not by a
# council delegate or a board member through Propose.
test_only_the_board_chair_or_secretary_puts_an_exclusion if {
	propose_kind(who(grave, "board_chair"), [chair_seat], "exclusion").allow == true
	propose_kind(who(asten, "board_secretary"), [secretary_seat], "exclusion").allow == true
	d := propose_kind(who(asten, "council_delegate"), [asten_delegate], "exclusion")
	d.allow == false
	cites(d, "art. 23.2")
	propose_kind(who(asten, "board_member"), [member_seat], "exclusion").allow == false
	# the same members put every other kind of matter
	propose_kind(who(asten, "council_delegate"), [asten_delegate], "general").allow == true
	propose_kind(who(asten, "board_member"), [member_seat], "amendment").allow == true
}

test_board_member_does_not_propose_to_council if {
	decide({"action": "propose", "principal": who(grave, "board_chair"), "seats_held": [chair_seat], "body": "partner_council"}).allow == false
}

test_person_without_seat_does_not_propose if {
	decide({"action": "propose", "principal": who(asten, "council_delegate"), "seats_held": [], "body": "partner_council"}).allow == false
}

# -- cast_vote --------------------------------------------------------------------------------

test_board_member_votes_in_board_from_own_seat if {
	decide({"action": "cast_vote", "principal": who(grave, "board_chair"), "seat": chair_seat, "body": "regional_board"}).allow == true
}

test_council_delegate_does_not_vote_in_board if {
	d := decide({"action": "cast_vote", "principal": who(asten, "council_delegate"), "seat": asten_delegate, "body": "regional_board"})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 5")
}

test_no_vote_from_someone_elses_seat if {
	decide({"action": "cast_vote", "principal": who(asten, "board_chair"), "seat": chair_seat, "body": "regional_board"}).allow == false
}

test_secretary_does_not_vote if {
	decide({"action": "cast_vote", "principal": who(asten, "board_secretary"), "seat": secretary_seat, "body": "regional_board"}).allow == false
}

# -- record_written_input ---------------------------------------------------------------------

written_input(principal, seats, body, party) := decide({"action": "record_written_input", "principal": principal, "seats_held": seats, "body": body, "kind": "written", "party": party})

test_party_gives_its_own_written_input if {
	written_input(who(asten, "council_delegate"), [asten_delegate], "partner_council", asten).allow == true
	written_input(who(grave, "board_chair"), [chair_seat], "regional_board", grave).allow == true
}

# art. 4.3, 5.3, 6.3a, 7.2: the party's input comes from the holder of its seat in the body.
test_a_member_role_without_the_partys_seat_in_the_body_gives_no_input if {
	d := written_input(who(asten, "council_delegate"), [], "partner_council", asten)
	d.allow == false
	cites(d, "holder of its own seat")
	# its delegate seat is no seat on the board
	written_input(who(asten, "council_delegate"), [asten_delegate], "regional_board", asten).allow == false
	# a seat it holds on the party's behalf that is not the party's own (a non-signatory's)
	riec_held := object.union(riec_seat, {"holder_party": asten, "holder_person": "p-1"})
	written_input(who(asten, "board_member"), [riec_held], "regional_board", asten).allow == false
	# another person's seat of the party
	someone_elses := object.union(asten_delegate, {"holder_person": "p-9"})
	written_input(who(asten, "council_delegate"), [someone_elses], "partner_council", asten).allow == false
}

test_party_cannot_give_input_for_another_party if {
	written_input(who(asten, "council_delegate"), [asten_delegate], "partner_council", grave).allow == false
}

test_party_cannot_record_its_own_hearing if {
	decide({"action": "record_written_input", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "partner_council", "kind": "heard", "party": asten}).allow == false
}

test_secretary_records_a_hearing if {
	decide({"action": "record_written_input", "principal": who(asten, "council_secretary"), "seats_held": [council_secretary], "body": "partner_council", "kind": "heard", "party": grave}).allow == true
}

# -- decide -----------------------------------------------------------------------------------

test_board_chair_records_board_decision if {
	decide({"action": "decide", "principal": who(grave, "board_chair"), "seats_held": [chair_seat], "body": "regional_board"}).allow == true
}

test_council_secretary_does_not_record_board_decision if {
	decide({"action": "decide", "principal": who(asten, "council_secretary"), "seats_held": [council_secretary], "body": "regional_board"}).allow == false
}

test_secretary_schedules_meetings_and_records_attendance if {
	decide({"action": "schedule_meeting", "principal": who(asten, "council_secretary"), "seats_held": [council_secretary], "body": "partner_council"}).allow == true
	decide({"action": "record_attendance", "principal": who(asten, "council_secretary"), "seats_held": [council_secretary], "body": "partner_council"}).allow == true
}

test_delegate_neither_schedules_nor_records_attendance if {
	decide({"action": "schedule_meeting", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "partner_council"}).allow == false
	decide({"action": "record_attendance", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "partner_council"}).allow == false
}

# -- accession, amendment, withdrawal ---------------------------------------------------------

test_managers_record_accession_application if {
	decide({"action": "apply_accession", "principal": who(helmond, "manager"), "seats_held": [manager_seat]}).allow == true
}

test_manager_without_managers_seat_cannot_apply if {
	decide({"action": "apply_accession", "principal": who(helmond, "manager"), "seats_held": []}).allow == false
}

test_delegate_approves_for_own_party if {
	decide({"action": "approve_accession", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate]}).allow == true
	decide({"action": "sign_amendment", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate]}).allow == true
	decide({"action": "withdraw", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate]}).allow == true
}

test_non_signatory_seat_does_not_approve if {
	decide({"action": "approve_accession", "principal": who(asten, "board_secretary"), "seats_held": [secretary_seat]}).allow == false
	decide({"action": "withdraw", "principal": who(asten, "board_secretary"), "seats_held": [secretary_seat]}).allow == false
}

test_board_chair_records_signature_and_notice if {
	decide({"action": "record_accession_signature", "principal": who(grave, "board_chair"), "seats_held": [chair_seat]}).allow == true
	decide({"action": "record_notice_of_default", "principal": who(grave, "board_chair"), "seats_held": [chair_seat]}).allow == true
}

test_delegate_records_no_notice_of_default if {
	decide({"action": "record_notice_of_default", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate]}).allow == false
}

# -- disputes ---------------------------------------------------------------------------------

designated(party) := object.union(who(party, "process_director"), {"functions": ["process_director"]})

test_process_director_escalates_case_director_dispute if {
	decide({"action": "escalate_dispute", "principal": designated(asten), "forum": "process_director"}).allow == true
	decide({"action": "resolve_dispute", "principal": designated(asten), "forum": "process_director"}).allow == true
}

test_the_token_role_alone_does_not_hold_the_process_directors_forum if {
	decide({"action": "escalate_dispute", "principal": who(asten, "process_director"), "forum": "process_director"}).allow == false
	decide({"action": "resolve_dispute", "principal": who(asten, "process_director"), "forum": "process_director"}).allow == false
}

test_manager_cannot_escalate_from_process_director if {
	decide({"action": "escalate_dispute", "principal": who(helmond, "manager"), "seats_held": [manager_seat], "forum": "process_director"}).allow == false
}

test_managers_escalate_process_director_dispute if {
	decide({"action": "escalate_dispute", "principal": who(helmond, "manager"), "seats_held": [manager_seat], "forum": "managers"}).allow == true
}

test_process_director_cannot_escalate_from_managers if {
	decide({"action": "escalate_dispute", "principal": who(asten, "process_director"), "forum": "managers"}).allow == false
}

test_board_resolves_dispute_it_holds if {
	decide({"action": "resolve_dispute", "principal": who(grave, "board_chair"), "seats_held": [chair_seat], "forum": "regional_board"}).allow == true
	decide({"action": "resolve_dispute", "principal": who(grave, "board_chair"), "seats_held": [chair_seat], "forum": "partner_council"}).allow == false
}

# -- disputes about a case: by relationship to the case (art. 8.4c, 12.3, 13.4, 15.1) --------

best := "00000099000000000004"

police := "00000099000000000061"

# Asten's p-1 directs the case (12.3); Best's cd-1 is its case director (13.1); Best and Police
# are involved (8.4c), Police with delegate del-1. Helmond has no part in it.
a_case := {
	"case_id": "case-1",
	"known": true,
	"process_director": {"party": asten, "person": "p-1"},
	"case_director": {"party": best, "person": "cd-1"},
	"involved_parties": [asten, best, police],
	"delegates": {police: ["del-1"]},
}

person_of(party, person, role) := object.union(who(party, role), {"person": person})

dispute(action, principal, facts) := decide(object.union({"action": action, "principal": principal, "seats_held": []}, facts))

test_a_general_dispute_is_registered_by_any_active_partys_person if {
	dispute("register_dispute", who(helmond, "caseworker"), {}).allow == true
	inactive := object.union(who(helmond, "caseworker"), {"party_status": "excluded"})
	dispute("register_dispute", inactive, {}).allow == false
}

test_those_with_a_part_in_the_case_register_a_dispute_about_it if {
	dispute("register_dispute", designated(asten), {"case": a_case}).allow == true
	dispute("register_dispute", person_of(best, "cd-1", "case_director"), {"case": a_case}).allow == true
	dispute("register_dispute", person_of(police, "del-1", "caseworker"), {"case": a_case}).allow == true
}

test_a_process_director_of_a_party_not_in_the_case_registers_no_dispute_about_it if {
	d := dispute("register_dispute", designated(helmond), {"case": a_case})
	d.allow == false
	cites(d, "art. 8.4c")
	not cites(d, "case-1") # the reason does not repeat the case
}

test_within_an_involved_party_only_its_delegates_have_a_part if {
	dispute("register_dispute", person_of(police, "del-2", "caseworker"), {"case": a_case}).allow == false
	# a delegate of a party no longer involved has no part any more
	dropped := object.union(a_case, {"involved_parties": [asten, best]})
	dispute("register_dispute", person_of(police, "del-1", "caseworker"), {"case": dropped}).allow == false
	# the same person id at another party is not the delegate
	dispute("register_dispute", person_of(best, "del-1", "caseworker"), {"case": a_case}).allow == false
}

test_a_case_not_yet_known_grants_nothing if {
	unknown := {"case_id": "case-2", "known": false}
	dispute("register_dispute", designated(asten), {"case": unknown}).allow == false
	dispute("escalate_dispute", designated(asten), {"case": unknown, "forum": "process_director"}).allow == false
}

# A caller refused whatever the case (here: its party is not active) is refused with the same
# reasons for a case governance knows and it has no part in, and for one it does not know yet.
test_a_refusal_reads_alike_for_a_case_known_and_one_not_known_yet if {
	unknown := {"case_id": "case-2", "known": false}
	inactive := object.union(who(helmond, "caseworker"), {"party_status": "excluded"})
	every action in ["register_dispute", "read_dispute"] {
		known_d := dispute(action, inactive, {"case": a_case, "forum": "process_director"})
		unknown_d := dispute(action, inactive, {"case": unknown, "forum": "process_director"})
		known_d.allow == false
		unknown_d.reasons == known_d.reasons
		cites(unknown_d, "no part in the case")
	}
}

test_a_dispute_about_a_case_directors_case_lies_with_that_cases_process_director if {
	dispute("escalate_dispute", designated(asten), {"case": a_case, "forum": "process_director"}).allow == true
	dispute("resolve_dispute", designated(asten), {"case": a_case, "forum": "process_director"}).allow == true
	by := {"party": best, "person": "cd-9"}
	dispute("read_dispute", designated(asten), {"case": a_case, "forum": "process_director", "registered_by": by}).allow == true
}

test_another_designated_process_director_holds_no_dispute_about_the_case if {
	d := dispute("escalate_dispute", designated(helmond), {"case": a_case, "forum": "process_director"})
	d.allow == false
	cites(d, "13.4")
	dispute("resolve_dispute", designated(helmond), {"case": a_case, "forum": "process_director"}).allow == false
	by := {"party": best, "person": "cd-9"}
	dispute("read_dispute", designated(helmond), {"case": a_case, "forum": "process_director", "registered_by": by}).allow == false
	# the case's process director undesignated (revoked) holds it no more
	dispute("escalate_dispute", who(asten, "process_director"), {"case": a_case, "forum": "process_director"}).allow == false
}

test_the_registrant_reads_a_dispute_about_a_case_while_it_has_a_part_in_it if {
	by := {"party": police, "person": "del-1"}
	dispute("read_dispute", person_of(police, "del-1", "caseworker"), {"case": a_case, "forum": "process_director", "registered_by": by}).allow == true
	released := object.union(object.remove(a_case, ["delegates"]), {"delegates": {}})
	d := dispute("read_dispute", person_of(police, "del-1", "caseworker"), {"case": released, "forum": "process_director", "registered_by": by})
	d.allow == false
	cites(d, "art. 8.4c")
}

test_a_registrant_without_a_part_reads_no_dispute_it_registered_about_the_case if {
	# registered before governance knew the case's parties, by a party with no part in it
	by := {"party": helmond, "person": "p-1"}
	dispute("read_dispute", who(helmond, "caseworker"), {"case": a_case, "forum": "process_director", "registered_by": by}).allow == false
}

test_the_bodies_holding_a_dispute_about_a_case_read_and_take_it_further if {
	by := {"party": police, "person": "del-1"}
	read("read_dispute", who(asten, "council_secretary"), [council_secretary], {"case": a_case, "forum": "partner_council", "registered_by": by}).allow == true
	read("resolve_dispute", who(asten, "council_secretary"), [council_secretary], {"case": a_case, "forum": "partner_council"}).allow == true
	read("escalate_dispute", who(helmond, "manager"), [manager_seat], {"case": a_case, "forum": "managers"}).allow == true
}

# -- policy revisions -------------------------------------------------------------------------

test_managers_adopt_work_process if {
	decide({"action": "adopt_policy_revision", "principal": who(helmond, "manager"), "seats_held": [manager_seat]}).allow == true
}

test_delegate_does_not_adopt_work_process if {
	decide({"action": "adopt_policy_revision", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate]}).allow == false
}

test_unknown_action_is_denied if {
	decide({"action": "seize_power", "principal": who(grave, "board_chair"), "seats_held": [chair_seat]}).allow == false
}

# -- reading the bodies' matters: from a seat, not from the token role (art. 5.5, 7.5, 11.3d,
# 11.4, 12.4, 13.4, 20) ------------------------------------------------------------------------

read(action, principal, seats, facts) := decide(object.union({"action": action, "principal": principal, "seats_held": seats}, facts))

test_a_seat_holder_reads_its_bodys_proposals_and_meetings if {
	read("read_proposal", who(asten, "council_delegate"), [asten_delegate], {"body": "partner_council"}).allow == true
	read("read_meeting", who(grave, "board_chair"), [chair_seat], {"body": "regional_board"}).allow == true
	read("read_meeting", who(asten, "board_secretary"), [secretary_seat], {"body": "regional_board"}).allow == true
}

test_a_member_role_without_a_seat_reads_no_proposal_or_meeting if {
	d := read("read_proposal", who(asten, "council_delegate"), [], {"body": "partner_council"})
	d.allow == false
	cites(d, "art. 5.5, 7.5")
	read("read_meeting", who(grave, "board_chair"), [], {"body": "regional_board"}).allow == false
}

test_a_seat_in_another_body_reads_nothing_of_this_one if {
	read("read_proposal", who(asten, "council_delegate"), [asten_delegate], {"body": "regional_board"}).allow == false
	read("read_meeting", who(helmond, "manager"), [manager_seat], {"body": "partner_council"}).allow == false
}

test_a_seat_held_for_another_party_does_not_count if {
	# the same person id, authenticated as another party, holds no seat there
	read("read_proposal", who(helmond, "council_delegate"), [asten_delegate], {"body": "partner_council"}).allow == false
}

applicant := "77000000000000000001"

test_the_bodies_seat_holders_read_an_accession if {
	read("read_accession", who(asten, "council_delegate"), [asten_delegate], {"party": applicant}).allow == true
	read("read_accession", who(grave, "board_chair"), [chair_seat], {"party": applicant}).allow == true
	read("read_accession", who(helmond, "manager"), [manager_seat], {"party": applicant}).allow == true
}

test_the_applicant_reads_its_own_accession if {
	p := object.union(who(applicant, "manager"), {"party_status": "applicant"})
	read("read_accession", p, [], {"party": applicant}).allow == true
	read("read_accession", p, [], {"party": asten}).allow == false
}

test_a_member_role_without_a_seat_reads_no_accession if {
	d := read("read_accession", who(asten, "council_delegate"), [], {"party": applicant})
	d.allow == false
	cites(d, "art. 20.2, 20.4")
}

test_the_registrant_reads_its_dispute if {
	by := {"party": asten, "person": "p-1"}
	read("read_dispute", who(asten, "caseworker"), [], {"forum": "managers", "registered_by": by}).allow == true
}

test_a_colleague_of_the_registrant_reads_no_dispute if {
	by := {"party": asten, "person": "p-9"}
	d := read("read_dispute", who(asten, "caseworker"), [], {"forum": "managers", "registered_by": by})
	d.allow == false
	cites(d, "art. 11.4, 12.4, 13.4")
	# the same person id at another party is not the registrant
	other := {"party": helmond, "person": "p-1"}
	read("read_dispute", who(asten, "caseworker"), [], {"forum": "managers", "registered_by": other}).allow == false
}

test_a_dispute_without_a_known_registrant_is_read_by_its_forum_only if {
	by := {"party": asten, "person": null}
	read("read_dispute", who(asten, "caseworker"), [], {"forum": "managers", "registered_by": by}).allow == false
	read("read_dispute", who(helmond, "manager"), [manager_seat], {"forum": "managers", "registered_by": by}).allow == true
}

test_the_forum_holding_a_dispute_reads_it if {
	by := {"party": asten, "person": "p-9"}
	read("read_dispute", designated(asten), [], {"forum": "process_director", "registered_by": by}).allow == true
	read("read_dispute", who(asten, "council_secretary"), [council_secretary], {"forum": "partner_council", "registered_by": by}).allow == true
	read("read_dispute", who(grave, "board_chair"), [chair_seat], {"forum": "regional_board", "registered_by": by}).allow == true
}

test_a_forum_that_does_not_hold_the_dispute_reads_it_not if {
	by := {"party": asten, "person": "p-9"}
	read("read_dispute", who(helmond, "manager"), [manager_seat], {"forum": "regional_board", "registered_by": by}).allow == false
	read("read_dispute", who(asten, "process_director"), [], {"forum": "process_director", "registered_by": by}).allow == false
}

test_the_managers_and_the_board_read_the_annual_report if {
	read("read_annual_report", who(helmond, "manager"), [manager_seat], {}).allow == true
	read("read_annual_report", who(grave, "board_chair"), [chair_seat], {}).allow == true
	read("read_annual_report", who(asten, "board_secretary"), [secretary_seat], {}).allow == true
}

test_a_report_role_without_a_seat_reads_no_annual_report if {
	d := read("read_annual_report", who(helmond, "manager"), [], {})
	d.allow == false
	cites(d, "art. 11.3d")
	read("read_annual_report", who(asten, "council_delegate"), [asten_delegate], {}).allow == false
}

test_an_inactive_party_reads_no_body_matter if {
	p := object.union(who(grave, "board_chair"), {"party_status": "excluded"})
	read("read_meeting", p, [chair_seat], {"body": "regional_board"}).allow == false
	read("read_annual_report", p, [chair_seat], {}).allow == false
}

# A person id names its person without case ("P-1" is p-1: validate.same_person, the token's
# subject): the case's process director, case director and delegate, the dispute's registrant
# and a seat's holder in other case are themselves; another person is not.
test_a_person_id_in_other_case_is_the_same_person if {
	dispute("register_dispute", object.union(designated(asten), {"person": "P-1"}), {"case": a_case}).allow == true
	dispute("register_dispute", person_of(best, "CD-1", "case_director"), {"case": a_case}).allow == true
	dispute("register_dispute", person_of(police, "Del-1", "caseworker"), {"case": a_case}).allow == true
	by := {"party": police, "person": "del-1"}
	dispute("read_dispute", person_of(police, "DEL-1", "caseworker"), {"case": a_case, "forum": "process_director", "registered_by": by}).allow == true
	chair := person_of(grave, "P-1", "board_chair")
	decide({"action": "resolve_dispute", "principal": chair, "seats_held": [chair_seat], "forum": "regional_board"}).allow == true
	dispute("register_dispute", object.union(designated(asten), {"person": "P-10"}), {"case": a_case}).allow == false
	dispute("register_dispute", person_of(police, "Del-10", "caseworker"), {"case": a_case}).allow == false
	other := person_of(grave, "P-10", "board_chair")
	decide({"action": "resolve_dispute", "principal": other, "seats_held": [chair_seat], "forum": "regional_board"}).allow == false
}
