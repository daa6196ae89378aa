# METADATA
# title: The data subject's access across the services, and the register of processing
# description: >-
#   Who gets a service's data about a data subject (GDPR art. 15; Bijlage 3: the subject's right
#   of access, answered by the controller's privacy officer): the privacy officer of an active
#   party that is a controller of that data in the asking service, by the service's own facts
#   (it nominated, directs or takes part in the case, provided or received an item), never by
#   the claim of the role alone. A service that holds no data about subjects (governance) says
#   so to any privacy officer: nothing about a case is revealed by it. Another party's internal
#   notes are withheld, the ground named (art. 15.1: each party is responsible for its own
#   information; art. 17 confidentiality), and of a subject's several cases only those the
#   party is a controller of are given (art. 15.1, 8.4c). Who maintains the register of
#   processing activities (Bijlage 3, GDPR art. 30): the privacy officer of a party that
#   maintains the activity.
#   Input contract: schemas/subjectdata.export.input.schema.json.
#   Query: data.zorgtafel.subjectdata.export.decision
# custom:
#   articles: ["art. 15.1", "art. 17", "Bijlage 3"]
package zorgtafel.subjectdata.export

import rego.v1

import data.zorgtafel.lib

caller := lib.object_at(input, "caller")

resource := lib.object_at(input, "resource")

known_ops := {"export_subject_data", "maintain_register"}

default active_privacy_officer := false

# Bijlage 3: the FG (privacy officer) of an active party answers for its party as controller.
active_privacy_officer if {
	is_string(caller.party)
	caller.party != ""
	caller.party_status == "active"
	caller.role == "privacy_officer"
}

# The service's own facts name the controllers of its data about the subject.
default controller := false

controller if {
	active_privacy_officer
	caller.party in lib.array_at(resource, "controllers")
}

# A service that keeps no data about data subjects answers "nothing held" to any privacy officer.
default holds_nothing := false

holds_nothing if {
	active_privacy_officer
	resource.holds_subject_data == false
}

# Bijlage 3, GDPR art. 30: the register is kept by the controllers; an activity is changed or
# retired only by the privacy officer of a party that maintains it (on adding: the caller's
# party must be among them).
default maintainer := false

maintainer if {
	active_privacy_officer
	caller.party in lib.array_at(resource, "maintainers")
}

default permitted := false

permitted if {
	input.operation == "export_subject_data"
	controller
}

permitted if {
	input.operation == "export_subject_data"
	holds_nothing
}

permitted if {
	input.operation == "maintain_register"
	maintainer
}

denials contains sprintf("The operation %v is not known; denied by default (Bijlage 3).", [object.get(input, "operation", null)]) if {
	not input.operation in known_ops
}

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, art. 23.2).", [object.get(caller, "party", null), object.get(caller, "party_status", null)]) if {
	object.get(caller, "party_status", null) != "active"
}

denials contains sprintf("The role %v does not answer for a controller; only a privacy officer (FG) does (Bijlage 3).", [object.get(caller, "role", null)]) if {
	object.get(caller, "role", null) != "privacy_officer"
}

# The same words whether the service holds data about the subject for other controllers or
# holds none at all (the servicer decides nothing held as a holding with no controller): that a
# service holds data about a person is that person's data, not another party's to learn (8.4c).
denials contains sprintf("The %v service has nothing held for party %v as controller about this subject (a controller nominated, directs or takes part in the case, or provided or received its information); the subject asks a controller (Bijlage 3, art. 15.1, 8.4c).", [object.get(resource, "service", null), object.get(caller, "party", null)]) if {
	input.operation == "export_subject_data"
	active_privacy_officer
	not controller
	not holds_nothing
}

denials contains sprintf("Party %v does not maintain processing activity %v; only the privacy officer of a party that maintains it changes the register (Bijlage 3, GDPR art. 30).", [object.get(caller, "party", null), object.get(resource, "activity_id", null)]) if {
	input.operation == "maintain_register"
	active_privacy_officer
	not maintainer
}

grants contains sprintf("The privacy officer of party %v, a controller of the %v service's data about the subject, receives it (Bijlage 3, GDPR art. 15).", [caller.party, resource.service]) if {
	input.operation == "export_subject_data"
	controller
}

grants contains sprintf("The %v service keeps no data about data subjects and says so (Bijlage 3, GDPR art. 15).", [resource.service]) if {
	input.operation == "export_subject_data"
	not controller
	holds_nothing
}

grants contains sprintf("The privacy officer of party %v maintains processing activity %v (Bijlage 3, GDPR art. 30).", [caller.party, resource.activity_id]) if {
	input.operation == "maintain_register"
	maintainer
}

# art. 15.1, 8.4c: asked by pseudonym, a service may hold several cases of the subject, each
# with controllers of its own (another party may have nominated the subject too). Only the cases
# the caller's party answers for are given; another controller's case is that party's to answer
# for, and not even its existence is told (a party must not learn by this route who else
# nominated or looked after the subject). Each case as {"id", "controllers"}: resource.cases.
given_cases contains id if {
	some c in lib.array_at(resource, "cases")
	caller.party in lib.array_at(c, "controllers")
	id := c.id
	is_string(id)
}

obligations contains {"type": "only_cases", "case_ids": sort([id | some id in given_cases]), "ground": "Only the cases this party is a controller of; another controller answers for its own (art. 15.1, art. 8.4c)."} if {
	permitted
	input.operation == "export_subject_data"
}

# art. 15.1, 17: another party's internal notes stay with that party; its own FG answers for them.
obligations contains {"type": "withhold_internal_notes", "except_party": caller.party, "ground": "Confidentiality: an internal note of another party, which answers for its own information (art. 15.1, art. 17); the subject asks that party's privacy officer."} if {
	permitted
	input.operation == "export_subject_data"
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (Bijlage 3)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": [o | some o in obligations]} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
