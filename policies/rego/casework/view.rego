# METADATA
# title: What of a case a caller may see (need to know, art. 8.4c)
# description: >-
#   Parties not involved in a case see nothing of it; each involved party sees only what the
#   role and information need the case meeting recorded for it cover (art. 8.4c, Bijlage 3
#   need-to-know), and within that party only the persons with a part in the case: the
#   delegates it named (art. 16.1, 10.1). The process director of the case (the designated
#   person who directs it, art. 12.3) and the appointed case director (the named person, art.
#   13.1) see the whole case; a token's role alone makes nobody either. Front-desk staff of an
#   involved party see who is in care, never the dossier (Bijlage 3). Withdrawn and excluded
#   parties see nothing (art. 21.3, 23.2). A case whose restriction the controller granted shows
#   its status only, to everyone (Bijlage 3 "afschermen", GDPR art. 18).
#   Used by GetCase (which sections) and WatchCase (which timeline entries).
#   Input contract: schemas/casework.view.input.schema.json. Query: data.zorgtafel.casework.view.result
# custom:
#   articles: ["art. 8.4c", "art. 10.1", "art. 12.3", "art. 13.1", "art. 16.1", "art. 21.3", "art. 23.2", "Bijlage 3"]
package zorgtafel.casework.view

import rego.v1

import data.zorgtafel.lib

import data.zorgtafel.casework.persons

principal := lib.object_at(input, "principal")

case := lib.object_at(input, "case")

# A string, else "": object.get's default "" shown in a reason made regopy's answer no JSON
# when the principal had no party (regorus refused).
party := v if {
	v := principal.party
	is_string(v)
} else := ""

involvement := object.get(lib.object_at(case, "roles"), party, null)

need := {c | some c in lib.array_at(involvement, "information_need")}

# The sections of a case and the information category (art. 8.4c) each needs.
section_category := {
	"subject": "identity",
	"meetings": "case_meetings",
	"roles": "coordination",
	"plan": "plan_of_approach",
	"escalation": "safety",
}

all_sections := {"status", "subject", "meetings", "roles", "plan", "escalation"}

# Which section a timeline entry belongs to.
kind_section := {
	"case.opened": "status",
	"director.appointed": "status",
	"process_director.changed": "status",
	"criteria.set": "status",
	"case.deescalated": "status",
	"case.closed": "status",
	"meeting.scheduled": "meetings",
	"meeting.held": "meetings",
	"roles.set": "roles",
	"delegate.named": "roles",
	"delegate.released": "roles",
	"plan.adopted": "plan",
	"action.updated": "plan",
	"case.escalated": "escalation",
}

# Bijlage 3: front-desk and night staff see who is in care, not the dossier.
dossier_blind_roles := {"front_desk"}

default active := false

active if principal.party_status == "active"

# art. 12.3, 13.1: the process director and the case director of this case, as persons.
default director := false

director if persons.director

default involved := false

involved if involvement != null

default dossier_blind := false

dossier_blind if principal.role in dossier_blind_roles

# Bijlage 3: within an involved party only its delegates reach the dossier.
default has_part := false

has_part if persons.delegate

default visible := false

visible if {
	active
	director
}

visible if {
	active
	involved
	has_part
}

# Bijlage 3: the front desk of an involved party sees who is in care (no dossier).
visible if {
	active
	involved
	dossier_blind
}

# Bijlage 3 "afschermen", GDPR art. 18: the controller granted the subject's restriction of the
# case, so its data is only kept: whoever may see the case sees its status, nothing else, until
# the restriction is lifted (disclosure's fact; absent: not restricted).
default restricted := false

restricted if case.restricted == true

# Whole sections.
sections contains s if {
	visible
	director
	not restricted
	some s in all_sections
}

sections contains "status" if visible

sections contains "subject" if {
	visible
	dossier_blind
	not restricted
}

sections contains s if {
	visible
	not director
	not dossier_blind
	not restricted
	some s, category in section_category
	category in need
}

# Partial sections: an involved party always sees its own role, the meetings it was invited
# to and the plan actions it carries out (art. 8.4c, 8.5).
partial contains p if {
	visible
	not dossier_blind
	not restricted
	some s, p in {"roles": "roles_own", "meetings": "meetings_invited", "plan": "plan_own"}
	not s in sections
}

# Whether one timeline entry {kind, parties} may be shown to the caller.
shows(e) if kind_section[e.kind] in sections

shows(e) if {
	kind_section[e.kind] == "meetings"
	"meetings_invited" in partial
	party in lib.array_at(e, "parties")
}

# A party sees who it named or released as its own delegates (art. 16.1).
shows(e) if {
	kind_section[e.kind] == "roles"
	e.kind != "roles.set"
	"roles_own" in partial
	party in lib.array_at(e, "parties")
}

shows(e) if {
	e.kind == "action.updated"
	"plan_own" in partial
	party in lib.array_at(e, "parties")
}

default entry_visible := false

entry_visible if shows(input.entry)

# WatchCase checks a batch at once: the positions (0-based) of the entries that may be shown.
entries := lib.array_at(input, "entries")

entries_visible := [i | some i; e := entries[i]; shows(e)]

# A refusal, and what a restriction withholds, say 'the case', never its id: the caller knows which
# case it asked about, and the reasons go wherever a refusal goes (as disclosure's).
reasons contains sprintf("Party %v has status %v; withdrawn and excluded parties see nothing of a case (art. 21.3, art. 23.2).", [party, lib.status_shown(principal)]) if not active

reasons contains sprintf("Party %v is not involved in the case; parties not involved see nothing of it (art. 8.4c).", [party]) if {
	active
	not director
	not involved
}

reasons contains sprintf("This person of party %v is not the process director of the case: a process director sees only the cases it directs, as the designated person (art. 12.3).", [party]) if {
	not visible
	not persons.process_director
	persons.claims_process_director
}

reasons contains sprintf("This person of party %v is not the case director appointed for the case: only the named person is (art. 13.1).", [party]) if {
	not visible
	principal.role == "case_director"
	not persons.case_director
}

reasons contains sprintf("This person of party %v has no part in the case: within an involved party only its delegates, the case director and the process director of the case see it (art. 8.4c, Bijlage 3).", [party]) if {
	active
	involved
	not visible
}

reasons contains sprintf("This person is the process director of case %v and sees the whole case (art. 12.3).", [case.id]) if {
	visible
	persons.process_director
}

reasons contains sprintf("This person of party %v is the case director of case %v and sees the whole case (art. 13.1).", [party, case.id]) if {
	visible
	persons.case_director
}

reasons contains sprintf("Party %v is involved in case %v as %v and this person, its delegate, sees what its information need %v covers (art. 8.4c, art. 16.1).", [party, case.id, involvement.role, sort([c | some c in need])]) if {
	visible
	not director
	involved
	not dossier_blind
}

reasons contains "The data subject's restriction of the case was granted: it is only kept, and nothing of it but its status is shown until a later decision lifts it (Bijlage 3 'afschermen', GDPR art. 18)." if {
	visible
	restricted
}

reasons contains "Front-desk staff see who is in care, never the dossier (Bijlage 3)." if {
	visible
	not director
	dossier_blind
}

result := {
	"visible": visible,
	"sections": sort([s | some s in sections]),
	"partial": sort([p | some p in partial]),
	"entry_visible": entry_visible,
	"entries_visible": entries_visible,
	"reasons": sort([r | some r in reasons]),
}
