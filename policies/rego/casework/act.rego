# METADATA
# title: Who may act on this case (beyond the method table of zorgtafel.authz)
# description: >-
#   zorgtafel.authz decides which roles may call a method at all; this policy decides whether
#   the calling PERSON may do it to THIS case, on the facts of the case (ADR 0005). The process
#   director of the case - the designated person who directs it (art. 12.1, 12.3) - organises
#   its meetings and records their decisions (art. 12.2c-f, 8.4), closes and purges it (1.2)
#   and escalates it (Bijlage 2); the case director it records must be a named person of an
#   involved, active party (art. 13.1, optional). The appointed case director monitors the plan
#   (art. 13.2). Within an involved party only its delegates (and the case director) act for
#   it: they update its actions (art. 8.5, 16.1), pre-read when it is invited (art. 12.2f) and
#   read the minutes when it attended (art. 9.2). A person of an involved party names and
#   releases its own party's delegates (art. 16.1, 10.1). Only active parties act (art. 23.2).
#   Input contract: schemas/casework.act.input.schema.json. Query: data.zorgtafel.casework.act.decision
# custom:
#   articles: ["art. 1.2", "art. 8.4", "art. 8.4c", "art. 8.5", "art. 9.2", "art. 10.1", "art. 12.2", "art. 12.3", "art. 13.1", "art. 13.2", "art. 16.1", "art. 23.2", "Bijlage 2", "Bijlage 3"]
package zorgtafel.casework.act

import rego.v1

import data.zorgtafel.lib

import data.zorgtafel.casework.persons

principal := lib.object_at(input, "principal")

case := lib.object_at(input, "case")

case_id := object.get(case, "id", null)

# A string, else "": object.get's default "" shown in a reason made regopy's answer no JSON
# when the principal had no party (regorus refused).
party := v if {
	v := principal.party
	is_string(v)
} else := ""

meeting := lib.object_at(input, "meeting")

appointee := lib.object_at(input, "appointee")

delegate_fact := lib.object_at(input, "delegate")

process_director_acts := {"schedule_meeting", "record_meeting", "decide", "appoint_director", "close", "purge", "escalate"}

delegate_acts := {"name_delegate", "release_delegate"}

# art. 12.3: the cases whose process director left, listed to whom may take them over. Asked of
# no case: the handler asks it of a case as the policy sees one awaiting its director (a
# relationship, monitoring._awaiting), and the query selects the cases in that state.
awaiting_acts := {"list_awaiting_director"}

actions := ((process_director_acts | delegate_acts) | awaiting_acts) | {"adopt_plan", "update_action", "list_overdue", "pre_read", "read_minutes"}

default active := false

active if principal.party_status == "active"

default involved_party := false

involved_party if {
	party != ""
	party in lib.array_at(case, "involved_parties")
}

# art. 8.5, 16.1: the caller's party carries out the action and the person acts for it.
default acts_for_action_party := false

acts_for_action_party if {
	party != ""
	party == input.action_party
	persons.acts_for_own_party
}

# art. 9.2: the caller's party attended, and the person acts for it in the case.
default attendee := false

attendee if {
	party in lib.array_at(meeting, "attendees")
	persons.acts_for_own_party
}

# art. 12.2e-f: the caller's party is invited, and the person acts for it in the case.
default invitee := false

invitee if {
	party in lib.array_at(meeting, "invitees")
	persons.acts_for_own_party
}

# art. 13.1: a case director comes from a party involved in the case and active in the
# covenant, and is a named person.
default appointee_fits := false

appointee_fits if {
	object.get(appointee, "is_party", false) == true
	object.get(appointee, "party_status", "") == "active"
	object.get(appointee, "party", "") in lib.array_at(case, "involved_parties")
	object.get(appointee, "person", "") != ""
}

# art. 16.1: a party names only its own persons as its delegates.
default own_delegate := false

own_delegate if {
	party != ""
	object.get(delegate_fact, "party", "") == party
}

default represented_party_involved := false

represented_party_involved if object.get(delegate_fact, "party", "") in lib.array_at(case, "involved_parties")

# art. 12.3: who directs the case in what only its process director does: that person, or a
# designated process director taking over a case whose process director left (persons.takes_over;
# the service records the take-over, and from then on that person is its process director).
default directs := false

directs if persons.process_director

directs if {
	input.action in process_director_acts
	persons.takes_over
}

default role_fits := false

role_fits if {
	input.action in process_director_acts
	input.action != "appoint_director"
	directs
}

role_fits if {
	input.action == "appoint_director"
	directs
	appointee_fits
}

role_fits if {
	input.action in {"adopt_plan", "list_overdue", "update_action"}
	persons.director
}

role_fits if {
	input.action == "update_action"
	acts_for_action_party
}

# art. 12.3: a designated process director (the roster) sees which cases await one, to take one
# over; nothing of them but their ids, parties and since when (the handler, 8.4c).
role_fits if {
	input.action in awaiting_acts
	persons.takes_over
}

role_fits if {
	input.action == "pre_read"
	invitee
}

role_fits if {
	input.action == "read_minutes"
	persons.process_director
}

role_fits if {
	input.action == "read_minutes"
	attendee
}

# art. 12.2e, 16.1, 8.4c: who may name or release delegates at all, on the caller's own part in
# the case only (the named party is the caller's own or not, which it knows): the case's process
# director, or a person acting for its own involved party naming for that party. Anyone else is
# refused for that alone, before and whatever the facts of the party it named, which it may not
# see (view.rego: within an involved party only its delegates see the case, and they only their
# own party's role unless their information need covers the roles).
default names_delegates := false

names_delegates if persons.process_director

names_delegates if {
	involved_party
	own_delegate
	persons.acts_for_own_party
}

# art. 12.2e, 10.1: the case's process director names and releases the delegates of the
# involved parties (they are its contact persons).
role_fits if {
	input.action in delegate_acts
	persons.process_director
	represented_party_involved
}

# art. 16.1: a delegate (or the case director) of a party names or releases a colleague of
# its own party; a colleague without a part cannot name itself (Bijlage 3).
role_fits if {
	input.action in delegate_acts
	involved_party
	own_delegate
	persons.acts_for_own_party
}

# Bijlage 3 "afschermen", GDPR art. 18: a case whose restriction the controller granted is only
# kept; what would show its content (the minutes, the pre-read) or its plan (the overdue
# actions: which, of which party, due when; view.rego shows such a case's status only) is shown
# to no one until the restriction is lifted (disclosure's fact; absent: not restricted).
restricted_reads := {"read_minutes", "pre_read", "list_overdue"}

default held_by_restriction := false

held_by_restriction if {
	case.restricted == true
	input.action in restricted_reads
}

# Nor is anything added to it or decided in it (GDPR art. 18(2): with the exception of storage,
# restricted data is not processed; disclosure takes no new item for it either): no meeting
# scheduled or recorded (minutes are free text about the subject), no decision of 8.4 (roles and
# information needs, criteria, case director, de-escalation), no plan adopted, no action
# updated, until the restriction is lifted. What ends or escalates the case stays possible
# (close, purge: held by the restriction; escalate: Bijlage 2, at any time), as does naming who
# acts for a party (no subject data).
restricted_writes := {"schedule_meeting", "record_meeting", "decide", "adopt_plan", "update_action"}

default held_from_processing := false

held_from_processing if {
	case.restricted == true
	input.action in restricted_writes
}

default permitted := false

permitted if {
	active
	input.action in actions
	role_fits
	not held_by_restriction
	not held_from_processing
}

# A refusal says 'the case', never its id: the caller knows which case it asked about, and the
# reasons go wherever a refusal goes (as disclosure's). A grant names it for the access log.
denials contains sprintf("The action %v is not known to this policy; denied by default.", [object.get(input, "action", null)]) if not input.action in actions

denials contains sprintf("Party %v has status %v; only active parties act on a case (art. 21.3, art. 23.2).", [party, lib.status_shown(principal)]) if not active

denials contains "The data subject's restriction of the case was granted: it is only kept, and its content is shown to no one until a later decision lifts it (Bijlage 3 'afschermen', GDPR art. 18)." if held_by_restriction

# Told only to whom the action would otherwise be allowed: they see the case's status, which
# says it is restricted (view.rego); anyone else learns nothing of the subject's request.
denials contains "The data subject's restriction of the case was granted: it is only kept, and nothing is added to it or decided in it until a later decision lifts it (Bijlage 3 'afschermen', GDPR art. 18(2))." if {
	held_from_processing
	active
	role_fits
}

denials contains sprintf("Only the process director of the case - the designated person who directs it - may %v it; a process director of another case or a token's role is not enough (art. 12.3, art. 12.2, art. 8.4, art. 1.2, Bijlage 2).", [input.action]) if {
	input.action in process_director_acts
	not directs
}

# What is wrong with the appointee is told to the process director only, who alone appoints and
# sees the whole case: anyone else is refused above for not being it, alike whoever was named.
denials contains sprintf("Party %v is not a party of the covenant: a case director comes from a party involved in the case (art. 13.1).", [object.get(appointee, "party", null)]) if {
	input.action == "appoint_director"
	directs
	object.get(appointee, "is_party", false) != true
}

denials contains sprintf("Party %v has status %v: a case director comes from an active party (art. 13.1, art. 23.2).", [object.get(appointee, "party", null), lib.status_shown(appointee)]) if {
	input.action == "appoint_director"
	directs
	object.get(appointee, "is_party", false) == true
	object.get(appointee, "party_status", "") != "active"
}

denials contains sprintf("Party %v is not involved in the case (never invited, attending or given a role): a case director comes from an involved party (art. 13.1, art. 8.4c).", [object.get(appointee, "party", null)]) if {
	input.action == "appoint_director"
	directs
	not object.get(appointee, "party", "") in lib.array_at(case, "involved_parties")
}

denials contains "A case director is a named person: give the person appointed (art. 13.1)." if {
	input.action == "appoint_director"
	directs
	object.get(appointee, "person", "") == ""
}

denials contains "Only the process director or the appointed case director of the case may do this, as the persons they are (art. 8.4b, art. 12.3, art. 13.1-13.3)." if {
	input.action in {"adopt_plan", "list_overdue"}
	not persons.director
}

denials contains "Only a designated process director sees the cases whose process director left, to take one over; a token's role is not enough (art. 12.1, art. 12.3)." if {
	input.action in awaiting_acts
	not persons.takes_over
}

# A person who acts for no party in the case is refused for that alone, whose ever the action:
# it sees nothing of the case (view.rego), so not which party carries out an action (8.4c).
denials contains sprintf("Party %v does not carry out this action and does not direct the case (art. 8.5, art. 13.2).", [party]) if {
	input.action == "update_action"
	not persons.director
	persons.acts_for_own_party
	party != input.action_party
}

denials contains sprintf("This person of party %v is not one of its delegates in the case: within a party only its delegates report on its actions (art. 8.4c, art. 16.1, Bijlage 3).", [party]) if {
	input.action == "update_action"
	not persons.director
	not persons.acts_for_own_party
}

# Whether the caller's party was invited is told only to whom may know the case's meetings: the
# process director, and a person acting for its party (a delegate sees the meetings its party
# was invited to, view.rego; the handler asks for an id the case does not hold as for a meeting
# no party was invited to). A person acting for no party in the case sees nothing of it, so it
# is refused for that alone, whatever the meeting (8.4c).
default tells_invitation := false

tells_invitation if persons.process_director

tells_invitation if persons.acts_for_own_party

denials contains sprintf("Party %v was not invited to this meeting; only invitees read before it (art. 12.2e-f).", [party]) if {
	input.action == "pre_read"
	tells_invitation
	not party in lib.array_at(meeting, "invitees")
}

denials contains sprintf("This person of party %v is not one of its delegates in the case: within a party only its delegates read before a meeting it is invited to (art. 12.2f, art. 8.4c, Bijlage 3).", [party]) if {
	input.action == "pre_read"
	not persons.acts_for_own_party
	not persons.process_director
}

denials contains sprintf("This person of party %v is not one of its delegates in the case: within a party only its delegates read before a meeting it is invited to (art. 12.2f, art. 8.4c, Bijlage 3).", [party]) if {
	input.action == "pre_read"
	persons.process_director
	not persons.acts_for_own_party
	party in lib.array_at(meeting, "invitees")
}

# Whether the caller's party attended is told only to a person acting for its party (a delegate
# sees the meetings its party was invited to, view.rego; the handler asks for an id the case
# does not hold as for a meeting no party attended); a person acting for no party in the case
# sees nothing of it and is refused for that alone, whatever the meeting (8.4c).
denials contains sprintf("Minutes are not public: only the process director and the meeting's attendees read them; party %v did not attend (art. 9.2).", [party]) if {
	input.action == "read_minutes"
	not persons.process_director
	persons.acts_for_own_party
	not party in lib.array_at(meeting, "attendees")
}

denials contains sprintf("Minutes are not public: this person of party %v is not one of its delegates in the case (art. 9.2, art. 8.4c, Bijlage 3).", [party]) if {
	input.action == "read_minutes"
	not persons.process_director
	not persons.acts_for_own_party
}

# Whether the named party is involved is told to the process director, who sees the whole case,
# and to a person of that party itself (view.rego tells it whether its own party is involved);
# to anyone else the refusal below says the same for an involved party and one not involved.
denials contains sprintf("Party %v is not involved in the case; only an involved party is represented by delegates in it (art. 8.4c, art. 16.1, art. 10.1).", [object.get(delegate_fact, "party", null)]) if {
	input.action in delegate_acts
	persons.process_director
	not represented_party_involved
}

denials contains sprintf("Party %v is not involved in the case; only an involved party is represented by delegates in it (art. 8.4c, art. 16.1, art. 10.1).", [object.get(delegate_fact, "party", null)]) if {
	input.action in delegate_acts
	own_delegate
	not represented_party_involved
}

denials contains sprintf("Delegates of party %v are named and released by the case's process director or by a delegate of that party in the case; a person without a part in the case cannot name itself or others (art. 12.2e, art. 16.1, art. 10.1, Bijlage 3).", [object.get(delegate_fact, "party", null)]) if {
	input.action in delegate_acts
	not names_delegates
}

grants contains sprintf("This person may %v case %v as its process director (art. 12.3).", [input.action, case_id]) if {
	permitted
	persons.process_director
	not input.action in delegate_acts
}

grants contains sprintf("This person of party %v may %v case %v as its case director (art. 13.1-13.2).", [party, input.action, case_id]) if {
	permitted
	not directs
	persons.case_director
	not input.action in delegate_acts
}

grants contains sprintf("This person may %v for party %v as its delegate in case %v (art. 8.5, art. 12.2f, art. 9.2, art. 16.1).", [input.action, party, case_id]) if {
	permitted
	not persons.director
	not directs
	not input.action in delegate_acts
	not input.action in awaiting_acts
}

grants contains "This designated process director sees the cases whose process director left, to take one over (art. 12.3)." if {
	permitted
	input.action in awaiting_acts
}

grants contains sprintf("Party %v, involved in case %v, decides who represents it there (art. 16.1, art. 10.1).", [party, case_id]) if {
	permitted
	input.action in delegate_acts
}

grants contains sprintf("The designation of the process director who directed case %v ended: this designated process director takes it over by directing it, and directs it from now on (art. 12.3).", [case_id]) if {
	permitted
	not persons.process_director
	directs
}

grants contains sprintf("The case director of case %v comes from party %v, involved and active (art. 13.1).", [case_id, object.get(appointee, "party", null)]) if {
	permitted
	input.action == "appoint_director"
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
