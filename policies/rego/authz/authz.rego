# METADATA
# title: Which role of which party may call which gRPC method
# description: >-
#   Deny by default. The tables are a base data document, authz/data.json
#   (data.zorgtafel.authz): `method_roles` (per method the roles that may call it, with the
#   articles that say why), `applicant_methods`, `relayable_methods` and
#   `authentication_methods`. Static data, not rules: the engine looks one method up instead of
#   building the whole table on every decision. Only active parties are served (art. 21.3,
#   23.2); an applicant may read its own application (art. 20). A relayed call (a suite service
#   forwarding a person's token, art. 12.2f) is served only for the pre-read it serves (need to
#   know, art. 8.4c, 15.1). Bijlage 3: an authorisation model so that only relevant people reach
#   a dossier.
#   Input contract: schemas/authz.input.schema.json. Query: data.zorgtafel.authz.decision
# custom:
#   articles: ["art. 8.4c", "art. 12.2f", "art. 15.1", "art. 20", "art. 21.3", "art. 23.2", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

import data.zorgtafel.lib

# What the input holds as the principal ({} when nothing), read by reference only: a reference
# into anything but an object is undefined on both engines, as a fact missing from an object is,
# so every check reads it as {} (a type test is a builtin call, each of which copies rego-cpp's
# whole evaluation state, issue #16); a reason names its members with lib.member_shown.
default principal := {}

principal := input.principal

# Bijlage 3 (authorisation model): the table entry of the called method (data.json), undefined
# for a method that is not in it.
method_entry := data.zorgtafel.authz.method_roles[input.method]

# How a caller may be authenticated (ARCHITECTURE: mTLS certificate, a development token, or a
# suite service's certificate relaying a person's token): authentication_methods in data.json.
default authenticated := false

authenticated if {
	data.zorgtafel.authz.authentication_methods[principal.authenticated_by]
	is_string(principal.party)
	not principal.party == ""
	is_string(principal.person)
	not principal.person == ""
}

default method_known := false

method_known if method_entry

# Bijlage 3 (authorisation model): the role must be one the method's table entry names.
default role_permitted := false

role_permitted if {
	some role in method_entry.roles
	role == principal.role
}

# art. 21.3, 23.2: withdrawn and excluded parties are no longer served; only active parties are.
default party_served := false

party_served if principal.party_status == "active"

# art. 20: an applicant organisation may read its own application, nothing else.
default applicant_own_application := false

applicant_own_application if {
	principal.party_status == "applicant"
	data.zorgtafel.authz.applicant_methods[input.method]
	input.resource.party == principal.party
}

# art. 12.2f, 8.4c, 15.1: a suite service relays a person's token only for the route it
# serves (casework's pre-read to disclosure; disclosure's subject access report to each
# service), and only the service of that route: every other method, or the same method relayed
# by another service, refuses a relayed call (need to know).
# With a default: rego-cpp remembers a rule's value only when it is defined, so an undefined
# `relayed` was evaluated anew at each of its three references in an allowed decision.
default relayed := false

relayed if principal.authenticated_by == "mtls_relay"

default relay_permitted := false

relay_permitted if not relayed

relay_permitted if {
	relayed
	some service in data.zorgtafel.authz.relayable_methods[input.method].relayed_by
	relaying_service == service
}

default relaying_service := "unknown"

relaying_service := principal.relayed_by if is_string(principal.relayed_by)

default permitted := false

# An else-chain (the same answer as two rules): rego-cpp evaluates every body of a rule, and
# stops at the first of an else-chain that holds, so an active party's allowed call does not
# also test the applicant's way (issue #16).
permitted if {
	authenticated
	relay_permitted
	party_served
	role_permitted
} else := true if {
	authenticated
	relay_permitted
	applicant_own_application
}

denials contains "The caller is not authenticated by an mTLS certificate or a development token with a party and a person; no call is served without a principal (Bijlage 3)." if not authenticated

denials contains sprintf("The method %v is not in the authorisation table; denied by default (Bijlage 3).", [object.get(input, "method", null)]) if not method_known

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, art. 23.2).", [lib.member_shown(principal, "party"), lib.member_shown(principal, "party_status")]) if {
	not party_served
	not applicant_own_application
}

denials contains sprintf("The role %v may not call %v; allowed roles: %v (Bijlage 3, authorisation model).", [lib.member_shown(principal, "role"), input.method, sort(method_entry.roles)]) if {
	method_known
	not role_permitted
	not applicant_own_application
}

denials contains sprintf("The method %v does not serve the route of the service that relayed it (%v), so a relayed call (mtls_relay) may not reach it: a relay carries a person's token only for the route it serves (need to know, art. 8.4c, art. 15.1).", [object.get(input, "method", null), relaying_service]) if {
	relayed
	not relay_permitted
}

grants contains sprintf("Party %v is active and the role %v may call %v (Bijlage 3, authorisation model).", [principal.party, principal.role, input.method]) if {
	permitted
	party_served
	role_permitted
}

grants contains sprintf("Party %v is an applicant and may read its own application (art. 20).", [principal.party]) if {
	permitted
	applicant_own_application
}

grants contains "The call was relayed by a suite service for the pre-read it serves (art. 12.2f, need to know art. 8.4c)." if {
	permitted
	relayed
}

default decision := {"allow": false, "reasons": ["No rule permitted this call; denied by default (Bijlage 3)."], "obligations": []}

# The refusal is the else of the allow (reached only when permitted is false), so an allowed
# call does not test `not permitted` again.
decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if {
	permitted
} else := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not denials == set()
}
