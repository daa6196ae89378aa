# METADATA
# title: Who may act in the covenant's bodies
# description: >-
#   Seat-based rules of the governance service, on top of the role table of zorgtafel.authz:
#   a person holds a seat on behalf of a party (art. 4.3, 6.3, 11.2) and acts only from the
#   seats it holds. Only holders of a voting seat of a body vote in it (art. 5, 7.1); the chair
#   and the secretaries record decisions and hearings (art. 4.5, 6.7); the managers record an
#   accession application (art. 20.2) and adopt the work process (art. 11.3a) and designate the
#   process directors (art. 11.2, 12.1); seats are appointed by the authority the covenant names
#   (art. 4.3, 6.3, 6.4, 11.2), a held seat changes only by it or the holder's release; each party's own
#   representative approves an accession (art. 20.4), signs an amendment (art. 21.2) or
#   withdraws (art. 21.3); the forum holding a dispute takes it further (art. 12.4, 13.4); a
#   dispute about a case is registered and read by those with a part in the case and its forum
#   is that case's own process director (art. 8.4c, 12.3, 13.4, 15.1).
#   The bodies' matters are read from a seat too: proposals and meetings by the body's seat
#   holders (art. 5.5, 7.5), accessions by the bodies' seat holders and the applicant (art. 20),
#   a dispute by its registrant and its forum (art. 11.4, 12.4, 13.4), the annual report by the
#   managers and the board (art. 11.3d).
#   The service gathers the facts (the caller's seats, the seat, the body); this decides.
#   Input contract: schemas/governance.input.schema.json. Query: data.zorgtafel.governance.decision
# custom:
#   articles: ["art. 4.2", "art. 4.3", "art. 6.4", "art. 12.1", "art. 12.3", "art. 4.5", "art. 6.2", "art. 5", "art. 6.3", "art. 6.7", "art. 7.1", "art. 11.2", "art. 11.3a", "art. 12.4", "art. 13.4", "art. 20.2", "art. 20.4", "art. 21.2", "art. 21.3", "art. 23.2", "art. 5.5", "art. 7.5", "art. 11.3d", "art. 11.4", "art. 20", "art. 8.4c", "art. 15.1"]
package zorgtafel.governance

import rego.v1

import data.zorgtafel.lib

principal := lib.object_at(input, "principal")

held := lib.array_at(input, "seats_held")

seat := lib.object_at(input, "seat")

action := object.get(input, "action", "")

# Members vote; the secretaries do not (art. 4.3, 5, 6.3, 7.1).
voting_roles := {
	"regional_board": {"board_chair", "board_member"},
	"partner_council": {"delegate"},
}

# Who records a body's decision and hearings (art. 4.5, 5.3, 6.7, 7.2).
recording_roles := {
	"regional_board": {"board_chair", "board_secretary"},
	"partner_council": {"council_secretary"},
}

# Members of a body may put matters to it; partner council members may put them to the board
# (art. 6.6b).
proposing := {
	"regional_board": {"regional_board", "partner_council"},
	"partner_council": {"partner_council"},
}

# The forum that holds a dispute and may take it further or settle it (art. 11.4, 12.4, 13.4).
forum_seats := {
	"managers": {"managers": {"manager"}},
	"partner_council": {"partner_council": {"council_secretary"}},
	"regional_board": {"regional_board": {"board_chair", "board_secretary"}},
}

# A seat the caller holds itself, on behalf of the party it is authenticated as.
own(s) if {
	lib.same_person(s.holder_person, principal.person)
	s.holder_party == principal.party
}

holds(body, roles) if {
	some s in held
	own(s)
	s.body == body
	s.role in roles
}

# A seat that belongs to the caller's own party (its delegate or its board seat).
holds_for_own_party if {
	some s in held
	own(s)
	s.held_by_party == principal.party
}

# The functions the caller holds by appointment, from governance's own tables: "manager"
# (holds a managers seat, art. 11.2), "process_director" (designated by the managers, 12.1).
functions := lib.array_at(principal, "functions")

default active := false

active if principal.party_status == "active"

# ---------------------------------------------------------------------------------------------
# Per action
# ---------------------------------------------------------------------------------------------

default permitted := false

# ---------------------------------------------------------------------------------------------
# Seats are appointed, not taken (art. 4.3, 6.3, 6.4, 11.2; ADR 0005)
# ---------------------------------------------------------------------------------------------

holder := lib.object_at(input, "holder")

# Who appoints the holder of this seat:
# - "party": a seat that belongs to a party (its council delegate, its managers seats, its
#   board seat) is the party's to fill (art. 4.3, 6.3a-b, 11.2);
# - "board_chair": the board's secretary seat (art. 4.3: the chain director as secretary);
# - "board_secretary": the partner council's secretary, appointed by the board (6.4), and the
#   board seats of non-signatory bodies (OM, RIEC, Inspectie SZW, ... art. 4.3), on the board's
#   behalf by its secretary.
default authority := "none"

authority := "party" if is_string(seat.held_by_party)

authority := "board_chair" if {
	seat.held_by_party == null
	seat.body == "regional_board"
	seat.role == "board_secretary"
}

authority := "board_secretary" if {
	seat.held_by_party == null
	seat.body == "regional_board"
	seat.role != "board_secretary"
}

authority := "board_secretary" if {
	seat.held_by_party == null
	seat.body == "partner_council"
	seat.role == "council_secretary"
}

default appointing_authority := false

appointing_authority if {
	authority == "party"
	principal.role == "party_representative"
	principal.party == seat.held_by_party
}

appointing_authority if {
	authority == "board_chair"
	holds("regional_board", {"board_chair"})
}

appointing_authority if {
	authority == "board_secretary"
	holds("regional_board", {"board_secretary"})
}

# The appointed holder: a person of the seat's party (or, for a seat of no signatory, of the
# active party on whose behalf it will sit and whose token it will carry).
default holder_fits := false

holder_fits if {
	authority == "party"
	holder.party == seat.held_by_party
	holder.party_status == "active"
}

holder_fits if {
	authority in {"board_chair", "board_secretary"}
	holder.party_status == "active"
}

# art. 4.3, 5, 6.3a, 7.1: each member holds one seat of a body and casts one vote there: the
# appointee may not already hold another voting seat of the seat's body (``holder.seats``: the
# seats of this body the person holds now, for whichever party; a missing fact denies).
default one_vote := false

one_vote if {
	not seat.role in voting_roles[seat.body]
	is_array(holder.seats)
}

one_vote if {
	seat.role in voting_roles[seat.body]
	is_array(holder.seats)
	count([s |
		some s in holder.seats
		s.seat_id != seat.seat_id
		s.body == seat.body
		s.role in voting_roles[s.body]
	]) == 0
}

default seat_held := false

seat_held if is_string(seat.holder_person)

permitted if {
	action == "assign_seat"
	active
	appointing_authority
	holder_fits
	one_vote
}

# The holder leaves its seat, or the appointing authority ends the appointment.
permitted if {
	action == "release_seat"
	active
	own(seat)
}

permitted if {
	action == "release_seat"
	active
	appointing_authority
}

authority_reasons := {
	"party": "a seat that belongs to a party is appointed by a person of that party with role party_representative, and held by a person of that party (art. 4.3, art. 6.3, art. 11.2)",
	"board_chair": "the regional board's secretary seat is appointed by the holder of the board chair seat (art. 4.2, art. 4.3)",
	"board_secretary": "the seats of non-signatory bodies on the regional board and the partner council's secretary are appointed on the board's behalf by the holder of the board secretary seat (art. 4.3, art. 6.4)",
	"none": "this seat has no appointing authority in the covenant (art. 4.3, art. 6.3, art. 11.2)",
}

seat_denials contains sprintf("Denied: %v.", [authority_reasons[authority]]) if {
	action in {"assign_seat", "release_seat"}
	not appointing_authority
}

seat_denials contains sprintf("Denied: seat %v is held; a held seat changes only by its appointing authority (re-appointment) or by the holder's release, never by someone else taking it (art. 4.3, art. 6.3, art. 6.4).", [seat.seat_id]) if {
	action == "assign_seat"
	seat_held
	not appointing_authority
}

seat_denials contains "Denied: the appointed holder must be a person of the seat's own party, and of an active party (art. 4.3, art. 6.3a, art. 21.3, art. 23.2)." if {
	action == "assign_seat"
	appointing_authority
	not holder_fits
}

seat_denials contains "Denied: the appointee already holds another voting seat of this body; one person holds one seat and casts one vote in a body (art. 4.3, art. 5, art. 6.3a, art. 7.1)." if {
	action == "assign_seat"
	appointing_authority
	not one_vote
}

# (Not a seat's appointment, but the same kind of specific reason. A dispute's reasons never
# name its case: the caller of a read or an escalation named only the dispute. Also of a case
# governance has no facts of yet: a caller refused whatever the case is told this alike for a
# case it knows and one it does not, so the refusal tells no one which cases governance knows.)
seat_denials contains "Denied: this person has no part in the case the dispute names (its process director, its case director or a delegate of a party involved in it): a dispute about a case is raised and read only by those with a part in it, and by the forum holding it (art. 8.4c, art. 13.4, art. 15.1)." if {
	action in {"register_dispute", "read_dispute"}
	names_case
	not part_in_case
	not holds_forum
}

seat_denials contains "Denied: a dispute about the case director of a case lies with that case's own process director, designated by the managers; not with every process director (art. 8.4c, art. 12.1, art. 12.3, art. 13.4)." if {
	action in {"escalate_dispute", "resolve_dispute"}
	input.forum == "process_director"
	names_case
	not holds_forum
}

# (Not a seat's appointment, but the same kind of specific reason: which seat this needs.)
seat_denials contains "Denied: an exclusion is put to the regional board by the holder of its chair or secretary seat, after a notice of default (art. 23.2)." if {
	action == "propose"
	input.kind == "exclusion"
	not may_put_kind
}

seat_denials contains "Denied: only active parties appoint or release seats (art. 21.3, art. 23.2)." if {
	action in {"assign_seat", "release_seat"}
	not active
}

# ---------------------------------------------------------------------------------------------
# The process directors, designated by the managers (art. 11.2, 12.1, 12.3)
# ---------------------------------------------------------------------------------------------

permitted if {
	action in {"designate_process_director", "revoke_process_director"}
	active
	holds("managers", {"manager"})
}

# art. 23.2: an exclusion is the board's, put to it by its chair or secretary (the role table
# of Exclude in zorgtafel.authz); Propose(kind=exclusion) is the same act and needs the same
# seat. Every other kind is put by the body's members.
default may_put_kind := false

may_put_kind if input.kind != "exclusion"

may_put_kind if {
	input.kind == "exclusion"
	holds("regional_board", {"board_chair", "board_secretary"})
}

# art. 5, 6.6b: members put matters to their body; partner council members also to the board.
permitted if {
	action == "propose"
	active
	some body in proposing[input.body]
	some s in held
	own(s)
	s.body == body
	may_put_kind
}

# art. 5, 7.1: only the holder of a voting seat of that body votes, from that seat.
permitted if {
	action == "cast_vote"
	active
	own(seat)
	seat.body == input.body
	seat.role in voting_roles[input.body]
}

# A seat of the caller's own party in this body, held by the caller itself: the party's
# delegate in the partner council (6.3a) or its seat on the board (4.3).
holds_own_partys_seat_in(body) if {
	some s in held
	own(s)
	s.held_by_party == principal.party
	s.body == body
}

# art. 5.3, 7.2: a party (the absent member) gives its own written input, through the person
# holding its seat in the body, not through anyone of the party whose token claims a member's
# role; the chair or secretary records written input and that a party has been heard.
permitted if {
	action == "record_written_input"
	active
	input.kind == "written"
	input.party == principal.party
	holds_own_partys_seat_in(input.body)
}

permitted if {
	action == "record_written_input"
	active
	holds(input.body, recording_roles[input.body])
}

# art. 4.5, 6.7: the chair or the secretary organises the body's meetings, records who
# attended and records the body's decision.
permitted if {
	action in {"schedule_meeting", "record_attendance"}
	active
	holds(input.body, recording_roles[input.body])
}

permitted if {
	action == "decide"
	active
	holds(input.body, recording_roles[input.body])
}

# art. 20.2: an application goes to the board via the managers.
permitted if {
	action == "apply_accession"
	active
	holds("managers", {"manager"})
}

# art. 20.4 / 21.2 / 21.3: a party's own representative approves an accession, signs the
# amended covenant, or withdraws it in writing.
permitted if {
	action in {"approve_accession", "sign_amendment", "withdraw"}
	active
	holds_for_own_party
}

# art. 20.4 (Annex 1 signed with the board chair), art. 23.2 (notice of default): the board's
# chair or secretary records it.
permitted if {
	action in {"record_accession_signature", "record_notice_of_default"}
	active
	holds("regional_board", {"board_chair", "board_secretary"})
}

# ---------------------------------------------------------------------------------------------
# A dispute about a case: by relationship to the case, never to all (art. 8.4c, 13.4, 15.1)
# ---------------------------------------------------------------------------------------------

# The case a dispute names, as governance knows it from casework's events: absent (null) for a
# general matter; {"case_id", "known": false} while casework's opening has not arrived (the
# service answers UNAVAILABLE then, never a deny on a missing fact); with "known": true its
# process director (12.3), case director (13.1), involved parties (8.4c) and their delegates.
default names_case := false

names_case if is_object(input["case"])

dispute_case := lib.object_at(input, "case")

default case_known := false

case_known if dispute_case.known == true

# The caller itself: the same pseudonymous person of the same party. A person id names its
# person without case, here and below ("P-1" is p-1: the kernel's validate.same_person, the
# token's subject; lib.same_person).
is_principal(p) if {
	is_object(p)
	is_string(p.person)
	p.person != ""
	lib.same_person(p.person, principal.person)
	p.party == principal.party
}

case_parties := {p | some p in lib.array_at(dispute_case, "involved_parties")}

# art. 8.4c, Bijlage 3: a person with a part in the case; within a party not every employee.
# A part in the case (and being its process director) only ever permits more: governance asks
# about a case whose facts have not arrived on the facts that give the caller every part, and
# answers UNAVAILABLE when they would allow, the refusal when even they would not. Keep it so.
default part_in_case := false

# art. 12.3: the case's own process director.
part_in_case if {
	case_known
	is_principal(dispute_case.process_director)
}

# art. 13.1: its case director.
part_in_case if {
	case_known
	is_principal(dispute_case.case_director)
}

# art. 8.4c, 16.1, 10.1: a delegate its party named in the case, of a party involved in it.
part_in_case if {
	case_known
	principal.party in case_parties
	some delegate in lib.array_at(lib.object_at(dispute_case, "delegates"), principal.party)
	lib.same_person(delegate, principal.person)
}

# The covenant says to whom a dispute is put (11.4, 12.4, 13.4), not who raises it: a dispute
# about a case is raised by those with a part in it (8.4c: others see nothing of the case,
# not even that it has a dispute); a general one by any active party's person.
permitted if {
	action == "register_dispute"
	active
	not names_case
}

permitted if {
	action == "register_dispute"
	active
	part_in_case
}

# The caller is (a person of) the forum holding the dispute now.
default holds_forum := false

# art. 12.1: a process director the managers designated (governance's own roster), not any
# holder of the token role.
default designated_process_director := false

designated_process_director if {
	principal.role == "process_director"
	"process_director" in functions
}

# art. 13.4: the process director holds a dispute about a case director. A general one (no case
# named): any designated process director.
holds_forum if {
	input.forum == "process_director"
	designated_process_director
	not names_case
}

# art. 12.3, 13.4: about the case director of a case: that case's own process director, still
# designated; not every designated process director (8.4c).
holds_forum if {
	input.forum == "process_director"
	designated_process_director
	case_known
	is_principal(dispute_case.process_director)
}

# art. 12.4, 11.4, 13.4: the managers, the partner council or the board holding a dispute.
holds_forum if {
	some body, roles in forum_seats[input.forum]
	holds(body, roles)
}

permitted if {
	action in {"escalate_dispute", "resolve_dispute"}
	active
	holds_forum
}

# art. 6.6c, 11.3a: the managers adopt the work process the partner council established.
permitted if {
	action == "adopt_policy_revision"
	active
	holds("managers", {"manager"})
}

# ---------------------------------------------------------------------------------------------
# Reading the bodies' matters: by a seat, never by the token role alone (ADR 0005)
# ---------------------------------------------------------------------------------------------

# A seat the caller holds itself in this body, whatever its role there.
seated_in(body) if {
	some s in held
	own(s)
	s.body == body
}

# art. 5.5, 7.5: the board's and the partner council's meetings are not public; their
# proposals and meetings are read by the holders of a seat in the body concerned.
permitted if {
	action in {"read_proposal", "read_meeting"}
	active
	seated_in(input.body)
}

# art. 20.2, 20.4: an application reaches the board via the managers, and all parties approve
# it through their delegates: the seat holders of the board, the council and the managers read it.
permitted if {
	action == "read_accession"
	active
	some body in {"regional_board", "partner_council", "managers"}
	seated_in(body)
}

# art. 20: the applicant organisation reads its own application.
permitted if {
	action == "read_accession"
	principal.party_status in {"active", "applicant"}
	principal.party == input.party
}

# art. 11.4, 12.4, 13.4: a dispute is read by the person who registered it for its party and
# by the forum holding it now; not by colleagues of either with the same role claim.
registrant := lib.object_at(input, "registered_by")

default registered_it := false

registered_it if {
	is_string(registrant.person)
	lib.same_person(registrant.person, principal.person)
	registrant.party == principal.party
}

permitted if {
	action == "read_dispute"
	active
	registered_it
	not names_case
}

# art. 8.4c: the registrant of a dispute about a case reads it while it has a part in the case
# (a dispute registered before governance knew the case's parties: only if it has one).
permitted if {
	action == "read_dispute"
	active
	registered_it
	part_in_case
}

permitted if {
	action == "read_dispute"
	active
	holds_forum
}

# art. 11.3d: the managers report yearly to the regional board: the holders of a managers seat
# and of a board seat read the report.
permitted if {
	action == "read_annual_report"
	active
	holds("managers", {"manager"})
}

permitted if {
	action == "read_annual_report"
	active
	seated_in("regional_board")
}

# ---------------------------------------------------------------------------------------------
# Reasons
# ---------------------------------------------------------------------------------------------

explanations := {
	"assign_seat": "a seat's holder is appointed by its appointing authority (art. 4.3, art. 6.3, art. 6.4, art. 11.2)",
	"release_seat": "a seat is released by its holder or by its appointing authority (art. 4.3, art. 6.3, art. 6.4, art. 11.2)",
	"designate_process_director": "the managers (a holder of a managers seat) designate the process directors (art. 11.2, art. 12.1)",
	"revoke_process_director": "the managers (a holder of a managers seat) revoke a process director's designation (art. 11.2, art. 12.1)",
	"propose": "only members of a body put matters to it; partner council members also to the board (art. 5, 6.6b)",
	"cast_vote": "only the holder of a voting seat of this body votes, from its own seat (art. 5, 7.1)",
	"record_written_input": "a party gives its own written input through the holder of its own seat in the body; the chair or secretary records input and hearings (art. 4.3, 5.3, 6.3a, 7.2)",
	"decide": "the chair or the secretary of the body records its decision (art. 4.5, 6.7)",
	"schedule_meeting": "the chair or the secretary of the body organises its meetings (art. 4.5, 6.7)",
	"record_attendance": "the chair or the secretary of the body records who attended (art. 4.5, 6.7)",
	"apply_accession": "an accession application reaches the board via the managers (art. 20.2)",
	"approve_accession": "each party's own delegate approves an accession (art. 20.4)",
	"sign_amendment": "each party's own representative signs the amended covenant (art. 21.2)",
	"withdraw": "a party's own representative withdraws in writing (art. 21.3, 23.1)",
	"record_accession_signature": "the board's chair or secretary records the signed Annex 1 (art. 20.4)",
	"record_notice_of_default": "the board's chair or secretary records a notice of default (art. 23.2)",
	"register_dispute": "a dispute about a case is registered only by a person with a part in it: its process director, its case director or a delegate of a party involved in it (art. 8.4c, 13.4, 15.1); a general one by any active party's person (art. 11.4, 12.4, 13.4)",
	"escalate_dispute": "only the forum holding the dispute takes it further (art. 11.4, 12.4, 13.4)",
	"resolve_dispute": "only the forum holding the dispute settles it (art. 11.4, 12.4, 13.4)",
	"adopt_policy_revision": "the managers adopt the work process (art. 6.6c, 11.3a)",
	"read_proposal": "the body's matters are not public: only a holder of a seat in the body concerned reads its proposals (art. 5.5, 7.5)",
	"read_meeting": "the body's meetings are not public: only a holder of a seat in the body concerned reads them (art. 5.5, 7.5)",
	"read_accession": "an accession application is read by the holders of a seat in the regional board, the partner council or the managers, and by the applicant itself (art. 20.2, 20.4)",
	"read_dispute": "a dispute is read only by the person who registered it for its party (about a case: while it has a part in it, art. 8.4c) and by the forum holding it: the designated process director (about a case: that case's own, art. 12.3), the managers, the partner council's secretary or the board's chair and secretary (art. 11.4, 12.4, 13.4)",
	"read_annual_report": "the managers' annual report is read by the holders of a managers seat and of a regional board seat (art. 11.3d)",
}

default decision := {"allow": false, "reasons": ["No governance rule permitted this; denied by default."], "obligations": []}

decision := {"allow": true, "reasons": [sprintf("Permitted: %v.", [explanations[action]])], "obligations": []} if permitted

decision := {"allow": false, "reasons": [sprintf("Denied: %v.", [explanations[action]])], "obligations": []} if {
	not permitted
	explanations[action]
	count(seat_denials) == 0
}

# Seats: the specific reason (who appoints this seat; a held seat is not taken over).
decision := {"allow": false, "reasons": sort([r | some r in seat_denials]), "obligations": []} if {
	not permitted
	explanations[action]
	count(seat_denials) > 0
}
