# METADATA
# title: Who the calling person is in this case (ADR 0005, need to know by relationship)
# description: >-
#   Shared by zorgtafel.casework.view and .act, read from their input: whether the calling
#   person is the process director of THIS case (the designated person who directs it, still on
#   the roster: art. 12.1, 12.3), or one taking over a case its process director left (art.
#   12.3), its appointed case director (a named person, art. 13.1) or a
#   delegate its own party named in the case (art. 16.1, 10.1). A token's role never makes
#   anyone any of these; absent facts make nobody anything (fail closed).
# custom:
#   articles: ["art. 8.4c", "art. 10.1", "art. 12.1", "art. 12.3", "art. 13.1", "art. 16.1", "Bijlage 3"]
package zorgtafel.casework.persons

import rego.v1

import data.zorgtafel.lib

principal := lib.object_at(input, "principal")

case := lib.object_at(input, "case")

# Why flat: rego-cpp (regopy 1.5.2) re-evaluates a rule's dependencies at every reference under
# `with`, so each rule here reads the input itself instead of building on other rules.
#
# A person id names its person without case ("SH-1" is sh-1: the kernel's validate.same_person,
# the token's subject): lib.same_person, which lowers person ids only, so that a fact of
# another type or a non-ASCII text decides alike on both engines (bare lower errs on regorus
# over a non-string, and lowers Unicode where regopy lowers ASCII only).

# art. 12.1, 12.3: the person who directs the case, while still designated (the roster).
default process_director := false

process_director if {
	principal.party != ""
	principal.person != ""
	principal.party == case.process_director.party
	lib.same_person(principal.person, case.process_director.person)
	"process_director" in principal.functions
}

# art. 12.3: the designation of the person who directed the case ended (revoked, or the party
# left the covenant) and casework took that person off it (governance's RosterChanged): the case
# is not closed and nobody directs it. A designated process director of an active party (the
# act policy) takes it over by directing it; the service records who did. Not a case whose
# ``left`` is not true (fail closed); casework marks a case opened naming no person (an older
# triage outcome) as left at its opening, so that one too awaits a designated process director.
default takes_over := false

takes_over if {
	principal.party != ""
	principal.person != ""
	"process_director" in principal.functions
	case.process_director.left == true
	case.process_director.person == ""
	case.state in {"open", "meeting_planned", "plan_active", "deescalating"}
}

# art. 13.1: the named person appointed as case director (optional: null when none).
default case_director := false

case_director if {
	principal.party != ""
	principal.person != ""
	principal.party == case.case_director.party
	lib.same_person(principal.person, case.case_director.person)
}

default director := false

director if process_director

director if case_director

# art. 16.1, 10.1: a person the caller's own party named to represent it in the case.
default delegate := false

delegate if {
	principal.party != ""
	principal.person != ""
	some person in case.delegates[principal.party]
	lib.same_person(principal.person, person)
}

# Bijlage 3: within an involved party, a person who acts for it in the case.
default acts_for_own_party := false

acts_for_own_party if delegate

acts_for_own_party if case_director

# A token claim or a designation without being this case's process director: denials then
# name art. 12.3 (a process director is bound to the cases it directs).
default claims_process_director := false

claims_process_director if principal.role == "process_director"

claims_process_director if "process_director" in principal.functions
