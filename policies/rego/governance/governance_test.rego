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
	d := data.zorgtafel.governance.decision with input.action as a
		with input.principal as p
		with input.seats_held as h
		with input.seat as s
		with input.body as b
		with input.kind as k
		with input.party as y
		with input.forum as f
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

# -- assign_seat ------------------------------------------------------------------------------

test_person_takes_own_partys_seat_with_its_role if {
	seat := object.union(asten_delegate, {"holder_party": null, "holder_person": null})
	decide({"action": "assign_seat", "principal": who(asten, "council_delegate"), "seat": seat}).allow == true
}

test_person_takes_non_signatory_seat_with_its_role if {
	seat := object.union(secretary_seat, {"holder_party": null, "holder_person": null})
	decide({"action": "assign_seat", "principal": who(asten, "board_secretary"), "seat": seat}).allow == true
}

test_person_cannot_take_another_partys_seat if {
	d := decide({"action": "assign_seat", "principal": who(asten, "board_chair"), "seat": chair_seat})
	d.allow == false
	some r in d.reasons
	contains(r, "art. 4.3")
}

test_person_cannot_take_seat_with_another_role if {
	seat := object.union(secretary_seat, {"holder_party": null, "holder_person": null})
	decide({"action": "assign_seat", "principal": who(asten, "board_member"), "seat": seat}).allow == false
}

test_excluded_party_takes_no_seat if {
	p := object.union(who(asten, "council_delegate"), {"party_status": "excluded"})
	decide({"action": "assign_seat", "principal": p, "seat": asten_delegate}).allow == false
}

# -- propose ----------------------------------------------------------------------------------

test_council_member_proposes_to_council_and_board if {
	decide({"action": "propose", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "partner_council"}).allow == true
	decide({"action": "propose", "principal": who(asten, "council_delegate"), "seats_held": [asten_delegate], "body": "regional_board"}).allow == true
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

test_party_gives_its_own_written_input if {
	decide({"action": "record_written_input", "principal": who(asten, "council_delegate"), "body": "partner_council", "kind": "written", "party": asten}).allow == true
}

test_party_cannot_give_input_for_another_party if {
	decide({"action": "record_written_input", "principal": who(asten, "council_delegate"), "body": "partner_council", "kind": "written", "party": grave}).allow == false
}

test_party_cannot_record_its_own_hearing if {
	decide({"action": "record_written_input", "principal": who(asten, "council_delegate"), "body": "partner_council", "kind": "heard", "party": asten}).allow == false
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

test_process_director_escalates_case_director_dispute if {
	decide({"action": "escalate_dispute", "principal": who(asten, "process_director"), "forum": "process_director"}).allow == true
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
