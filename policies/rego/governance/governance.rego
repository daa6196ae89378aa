# METADATA
# title: Who may act in the covenant's bodies
# description: >-
#   Seat-based rules of the governance service, on top of the role table of zorgtafel.authz:
#   a person holds a seat on behalf of a party (art. 4.3, 6.3, 11.2) and acts only from the
#   seats it holds. Only holders of a voting seat of a body vote in it (art. 5, 7.1); the chair
#   and the secretaries record decisions and hearings (art. 4.5, 6.7); the managers record an
#   accession application (art. 20.2) and adopt the work process (art. 11.3a); each party's own
#   representative approves an accession (art. 20.4), signs an amendment (art. 21.2) or
#   withdraws (art. 21.3); the forum holding a dispute takes it further (art. 12.4, 13.4).
#   The service gathers the facts (the caller's seats, the seat, the body); this decides.
#   Input contract: schemas/governance.input.schema.json. Query: data.zorgtafel.governance.decision
# custom:
#   articles: ["art. 4.2", "art. 4.3", "art. 4.5", "art. 6.2", "art. 5", "art. 6.3", "art. 6.7", "art. 7.1", "art. 11.2", "art. 11.3a", "art. 12.4", "art. 13.4", "art. 20.2", "art. 20.4", "art. 21.2", "art. 21.3", "art. 23.2"]
package zorgtafel.governance

import rego.v1

principal := object.get(input, "principal", {})

held := object.get(input, "seats_held", [])

seat := object.get(input, "seat", {})

action := object.get(input, "action", "")

# The token role a person needs to take a seat of this kind (art. 4.3, 6.3, 11.2).
seat_token_role := {
	"board_chair": "board_chair",
	"board_member": "board_member",
	"board_secretary": "board_secretary",
	"delegate": "council_delegate",
	"manager": "manager",
	"council_secretary": "council_secretary",
}

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
	s.holder_person == principal.person
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

default active := false

active if principal.party_status == "active"

# ---------------------------------------------------------------------------------------------
# Per action
# ---------------------------------------------------------------------------------------------

default permitted := false

# art. 4.3, 6.3, 11.2: a person takes a seat of its own party, or a seat that belongs to no
# signatory, when its role is the seat's role.
permitted if {
	action == "assign_seat"
	active
	principal.role == seat_token_role[seat.role]
	seat.held_by_party == principal.party
}

permitted if {
	action == "assign_seat"
	active
	principal.role == seat_token_role[seat.role]
	seat.held_by_party == null
}

# art. 5, 6.6b: members put matters to their body; partner council members also to the board.
permitted if {
	action == "propose"
	active
	some body in proposing[input.body]
	some s in held
	own(s)
	s.body == body
}

# art. 5, 7.1: only the holder of a voting seat of that body votes, from that seat.
permitted if {
	action == "cast_vote"
	active
	own(seat)
	seat.body == input.body
	seat.role in voting_roles[input.body]
}

# art. 5.3, 7.2: a party gives its own written input; the chair or secretary records written
# input and that a party has been heard.
permitted if {
	action == "record_written_input"
	active
	input.kind == "written"
	input.party == principal.party
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

# art. 13.4: the process director holds a dispute about a case director (a function, not a
# seat: the role decides).
permitted if {
	action in {"escalate_dispute", "resolve_dispute"}
	active
	input.forum == "process_director"
	principal.role == "process_director"
}

# art. 12.4, 11.4, 13.4: the managers, the partner council or the board holding a dispute.
permitted if {
	action in {"escalate_dispute", "resolve_dispute"}
	active
	some body, roles in forum_seats[input.forum]
	holds(body, roles)
}

# art. 6.6c, 11.3a: the managers adopt the work process the partner council established.
permitted if {
	action == "adopt_policy_revision"
	active
	holds("managers", {"manager"})
}

# ---------------------------------------------------------------------------------------------
# Reasons
# ---------------------------------------------------------------------------------------------

explanations := {
	"assign_seat": "a person takes a seat of its own party, or of no signatory, with the seat's role (art. 4.3, 6.3, 11.2)",
	"propose": "only members of a body put matters to it; partner council members also to the board (art. 5, 6.6b)",
	"cast_vote": "only the holder of a voting seat of this body votes, from its own seat (art. 5, 7.1)",
	"record_written_input": "a party gives its own written input; the chair or secretary records input and hearings (art. 5.3, 7.2)",
	"decide": "the chair or the secretary of the body records its decision (art. 4.5, 6.7)",
	"schedule_meeting": "the chair or the secretary of the body organises its meetings (art. 4.5, 6.7)",
	"record_attendance": "the chair or the secretary of the body records who attended (art. 4.5, 6.7)",
	"apply_accession": "an accession application reaches the board via the managers (art. 20.2)",
	"approve_accession": "each party's own delegate approves an accession (art. 20.4)",
	"sign_amendment": "each party's own representative signs the amended covenant (art. 21.2)",
	"withdraw": "a party's own representative withdraws in writing (art. 21.3, 23.1)",
	"record_accession_signature": "the board's chair or secretary records the signed Annex 1 (art. 20.4)",
	"record_notice_of_default": "the board's chair or secretary records a notice of default (art. 23.2)",
	"escalate_dispute": "only the forum holding the dispute takes it further (art. 11.4, 12.4, 13.4)",
	"resolve_dispute": "only the forum holding the dispute settles it (art. 11.4, 12.4, 13.4)",
	"adopt_policy_revision": "the managers adopt the work process (art. 6.6c, 11.3a)",
}

default decision := {"allow": false, "reasons": ["No governance rule permitted this; denied by default."], "obligations": []}

decision := {"allow": true, "reasons": [sprintf("Permitted: %v.", [explanations[action]])], "obligations": []} if permitted

decision := {"allow": false, "reasons": [sprintf("Denied: %v.", [explanations[action]])], "obligations": []} if {
	not permitted
	explanations[action]
}
