# METADATA
# title: Who may read or act on a nomination (art. 1.1, 1.15, 8.4c, 12.2a, 16.2)
# description: >-
#   The nomination holds the subject's identity, provided by the nominating party (art. 12.2a:
#   information is exchanged between the process director and the nominating party; the
#   nominating party is its provider, art. 16.2). Only they read it. A party asked in a triage
#   round learns only what it needs to answer: the pseudonym, the themes and the question
#   (art. 1.15, need to know 8.4c). Only the nominating party withdraws its own nomination
#   (art. 16.1: it keeps its own powers). Anyone else sees nothing (art. 8.4c, Bijlage 3).
#   Input contract: schemas/intake.access.input.schema.json. Query: data.zorgtafel.intake.access.decision
# custom:
#   articles: ["art. 1.1", "art. 1.15", "art. 8.4c", "art. 12.2a", "art. 16.1", "art. 16.2", "Bijlage 3"]
package zorgtafel.intake.access

import rego.v1

principal := object.get(input, "principal", {})

nomination := object.get(input, "nomination", {})

party := object.get(principal, "party", "")

is_nominating_party if {
	party != ""
	party == nomination.nominating_party
}

# art. 1.12, 12.2a: the process director (Zorgcoördinator Mensenhandel) handles every nomination.
is_process_director if principal.role == "process_director"

is_asked if {
	party != ""
	party in object.get(nomination, "asked_parties", [])
}

default allowed := false

# art. 12.2a, 16.2: the provider and the process director read the nomination.
allowed if {
	input.action == "read_nomination"
	is_nominating_party
}

allowed if {
	input.action == "read_nomination"
	is_process_director
}

# art. 16.1: the nominating party withdraws what it nominated.
allowed if {
	input.action == "withdraw_nomination"
	is_nominating_party
}

# art. 1.15, 8.4c: asked parties read the question and answer it.
allowed if {
	input.action in {"read_triage_question", "answer_triage"}
	is_asked
}

# art. 1.15, 21.3, 23.2: only an active party of the covenant is asked in a triage round (it
# learns the pseudonym, the themes and the question).
allowed if {
	input.action == "ask_in_triage"
	is_process_director
	input.candidate.status == "active"
}

# The process director who runs the triage reads the question it asked.
allowed if {
	input.action == "read_triage_question"
	is_process_director
}

grants contains "The nominating party provided this information and may read it (art. 12.2a, art. 16.2)." if {
	allowed
	input.action == "read_nomination"
	is_nominating_party
}

grants contains "The process director assesses and directs the case (art. 12.2a)." if {
	allowed
	is_process_director
	not is_nominating_party
}

grants contains "Only the nominating party withdraws its nomination (art. 16.1)." if {
	allowed
	input.action == "withdraw_nomination"
}

grants contains "The party was asked in the triage round and learns what it needs to answer (art. 1.15, art. 8.4c)." if {
	allowed
	input.action in {"read_triage_question", "answer_triage"}
	is_asked
}

denials contains "Only the nominating party and the process director read a nomination; other parties see nothing of it (art. 8.4c, art. 12.2a)." if {
	input.action == "read_nomination"
	not allowed
}

denials contains "Only the nominating party withdraws its nomination (art. 16.1)." if {
	input.action == "withdraw_nomination"
	not allowed
}

denials contains "Only parties asked in the triage round see its question or answer it (art. 1.15, art. 8.4c)." if {
	input.action in {"read_triage_question", "answer_triage"}
	not allowed
}

denials contains sprintf("Party %v has status %v; only active parties of the covenant are asked in a triage round (art. 1.15, art. 21.3, art. 23.2).", [object.get(object.get(input, "candidate", {}), "party", null), object.get(object.get(input, "candidate", {}), "status", null)]) if {
	input.action == "ask_in_triage"
	not allowed
}

grants contains "An active party of the covenant may be asked in a triage round (art. 1.15)." if {
	allowed
	input.action == "ask_in_triage"
}

denials contains sprintf("Unknown action %v; denied by default.", [object.get(input, "action", null)]) if {
	not input.action in {"read_nomination", "withdraw_nomination", "read_triage_question", "answer_triage", "ask_in_triage"}
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (Bijlage 3)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if allowed

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not allowed
	count(denials) > 0
}
