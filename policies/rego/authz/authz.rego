# METADATA
# title: Which role of which party may call which gRPC method
# description: >-
#   Deny by default. The method-to-roles table is contributed by one file per service
#   (governance.rego, intake.rego, casework.rego, disclosure.rego), all in this package, as
#   entries of the partial object `method_roles`. Only active parties are served (art. 21.3,
#   23.2); an applicant may read its own application (art. 20). Bijlage 3: an authorisation
#   model so that only relevant people reach a dossier.
#   Input contract: schemas/authz.input.schema.json. Query: data.zorgtafel.authz.decision
# custom:
#   articles: ["art. 20", "art. 21.3", "art. 23.2", "Bijlage 3"]
package zorgtafel.authz

import rego.v1

import data.zorgtafel.lib

principal := lib.object_at(input, "principal")

# How a caller may be authenticated (ARCHITECTURE: mTLS certificate or a development token).
authentication_methods := {"mtls", "dev_token"}

default authenticated := false

authenticated if {
	principal.authenticated_by in authentication_methods
	is_string(principal.party)
	principal.party != ""
	is_string(principal.person)
	principal.person != ""
}

default method_known := false

method_known if method_roles[input.method]

# Bijlage 3 (authorisation model): the role must be one the method's table names.
default role_permitted := false

role_permitted if principal.role in method_roles[input.method]

# art. 21.3, 23.2: withdrawn and excluded parties are no longer served; only active parties are.
default party_served := false

party_served if principal.party_status == "active"

# art. 20: an applicant organisation may read its own application, nothing else.
default applicant_own_application := false

applicant_own_application if {
	principal.party_status == "applicant"
	applicant_methods[input.method]
	input.resource.party == principal.party
}

default permitted := false

permitted if {
	authenticated
	party_served
	role_permitted
}

permitted if {
	authenticated
	applicant_own_application
}

denials contains "The caller is not authenticated by an mTLS certificate or a development token with a party and a person; no call is served without a principal (Bijlage 3)." if not authenticated

denials contains sprintf("The method %v is not in the authorisation table; denied by default (Bijlage 3).", [object.get(input, "method", null)]) if not method_known

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, art. 23.2).", [object.get(principal, "party", null), object.get(principal, "party_status", null)]) if {
	not party_served
	not applicant_own_application
}

denials contains sprintf("The role %v may not call %v; allowed roles: %v (Bijlage 3, authorisation model).", [object.get(principal, "role", null), input.method, sort([r | some r in method_roles[input.method]])]) if {
	method_known
	not role_permitted
	not applicant_own_application
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

default decision := {"allow": false, "reasons": ["No rule permitted this call; denied by default (Bijlage 3)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
