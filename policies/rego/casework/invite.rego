# METADATA
# title: Which parties may lawfully be invited to a case meeting (art. 12.2e)
# description: >-
#   The process director invites only parties that may lawfully attend (art. 12.2e): active
#   parties (art. 21.3, 23.2), relevant to the case - asked in the triage (art. 1.15) or named by
#   the process director (art. 8.2), or the nominating party - and with a legal basis for at least
#   one of the meeting's themes (art. 15.2, privacy protocol). Meetings are not public (art. 9.2).
#   Input contract: schemas/casework.invite.input.schema.json. Query: data.zorgtafel.casework.invite.result
# custom:
#   articles: ["art. 1.15", "art. 8.2", "art. 9.2", "art. 12.2e", "art. 15.2", "art. 23.2"]
package zorgtafel.casework.invite

import rego.v1

import data.zorgtafel.lib

themes := {t | some t in lib.array_at(lib.object_at(input, "case"), "themes"); is_string(t)}

# The meeting's themes for reasons, never empty: regopy prints sprintf("%v", [""]) and arrays of
# strings with quotes left unescaped in its JSON output (an error instead of an answer).
default themes_shown := "none"

themes_shown := concat(", ", sort([t | some t in themes])) if count(themes) > 0

nominating_party := object.get(lib.object_at(input, "case"), "nominating_party", "")

# art. 12.2e: a candidate is an object of facts; anything else is no candidate.
candidates := [c | some c in lib.array_at(input, "candidates"); is_object(c)]

relevant_by := {"asked_in_triage", "named_by_process_director"}

# art. 1.15, 8.2: the party was asked in the triage, named by the process director, or nominated the case.
relevant(c) if c.relevance in relevant_by

relevant(c) if c.party == nominating_party

# art. 15.2: the themes of this meeting for which the party has a legal basis.
lawful_themes(c) := themes & {t | some t in lib.array_at(c, "lawful_themes")}

# art. 12.2e: a candidate is named by its party identifier (a non-empty string) or not invited.
named(c) if {
	is_string(c.party)
	c.party != ""
}

# Shown in reasons instead of a missing or empty party: regopy prints sprintf("%v", [""]) as ""
# unescaped in its JSON output (an error instead of an answer).
party_shown(c) := c.party if named(c)

else := "(unknown)"

lawful(c) if {
	named(c)
	c.is_party == true
	c.status == "active"
	relevant(c)
	count(lawful_themes(c)) > 0
}

refusal_reasons(c) := {r |
	some r in [
		name_reason(c),
		not_party_reason(c),
		status_reason(c),
		relevance_reason(c),
		basis_reason(c),
	]
	r != ""
}

name_reason(c) := "A candidate without a party identifier is not invited (art. 12.2e)." if not named(c)

else := ""

not_party_reason(c) := sprintf("%v is not a party to the covenant; case meetings are not public (art. 9.2).", [party_shown(c)]) if not c.is_party == true

else := ""

# Joined with concat, not sprintf: regopy's sprintf("%v") of a string a function got from a
# default (object.get's "unknown") keeps its JSON quotes, and its output then fails to parse.
status_shown(c) := c.status if is_string(c.status)

else := "unknown"

status_reason(c) := concat("", [party_shown(c), " has status ", status_shown(c), "; only active parties attend (art. 21.3, art. 23.2)."]) if not c.status == "active"

else := ""

relevance_reason(c) := sprintf("%v was not asked in the triage, not named by the process director and did not nominate the case (art. 1.15, art. 8.2, art. 12.2e).", [party_shown(c)]) if not relevant(c)

else := ""

# Joined with concat, not sprintf: regopy's sprintf("%v") of a one-theme list's concat keeps the
# JSON quotes, and its output then fails to parse (the decision errors instead of refusing).
basis_reason(c) := concat("", [party_shown(c), " has no legal basis for any theme of this meeting (", themes_shown, ") (art. 12.2e, art. 15.2)."]) if count(lawful_themes(c)) == 0

else := ""

invited contains c.party if {
	some c in candidates
	lawful(c)
}

result := {
	"invite": sort([p | some p in invited]),
	"themes_by_party": {c.party: sort([t | some t in lawful_themes(c)]) |
		some c in candidates
		lawful(c)
	},
	"refused": [{"party": p, "reasons": refused_reasons(p)} | some p in sort(refused_parties)],
	"reasons": ["Only parties that may lawfully attend are invited (art. 12.2e)."],
}

# One refusal per party shown, with the reasons of every candidate entry it was named in: sorting
# {party, reasons} objects compared two entries of one party by their reasons arrays, which
# regopy orders otherwise than OPA (a longer array first where OPA puts its prefix first).
refused_parties contains party_shown(c) if {
	some c in candidates
	not lawful(c)
}

refused_reasons(p) := sort({r |
	some c in candidates
	not lawful(c)
	party_shown(c) == p
	some r in refusal_reasons(c)
})
