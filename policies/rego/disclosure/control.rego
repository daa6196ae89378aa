# METADATA
# title: Control over items and the access log
# description: >-
#   Who may change or retract an item's usage terms (art. 16.2: only the party that provided
#   it), and which access-log queries a caller may run (Bijlage 3 / NEN 7513: privacy officers
#   and auditors read the whole log; a party may see who used its own information and what its
#   own people looked at; the subject's log is read through the privacy officer).
#   Input contract: schemas/disclosure.control.input.schema.json.
#   Query: data.zorgtafel.disclosure.control.decision
# custom:
#   articles: ["art. 16.2", "Bijlage 3"]
package zorgtafel.disclosure.control

import rego.v1

log_readers := {"privacy_officer", "auditor"}

caller := object.get(input, "caller", {})

resource := object.get(input, "resource", {})

default active_caller := false

active_caller if {
	is_string(caller.party)
	caller.party != ""
	caller.party_status == "active"
}

# art. 16.2: the provider decides how its information is used, so only the provider changes
# or retracts the terms.
default is_provider := false

is_provider if {
	active_caller
	caller.party == resource.provider
}

default log_reader := false

log_reader if {
	active_caller
	caller.role in log_readers
}

default own_filter := false

own_filter if {
	active_caller
	resource.filter in {"provider", "party"}
	resource.value == caller.party
}

default permitted := false

permitted if {
	input.operation in {"set_usage_terms", "retract"}
	is_provider
}

permitted if {
	input.operation == "query_access_log"
	log_reader
}

permitted if {
	input.operation == "query_access_log"
	own_filter
}

denials contains sprintf("Only the party that provided item %v (%v) may change or retract its usage terms; party %v is not the provider (art. 16.2).", [object.get(resource, "item_id", null), object.get(resource, "provider", null), object.get(caller, "party", null)]) if {
	input.operation in {"set_usage_terms", "retract"}
	not is_provider
}

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, 23.2).", [object.get(caller, "party", null), object.get(caller, "party_status", null)]) if not active_caller

denials contains sprintf("The access log by %v is read by privacy officers and auditors; a party may only see who used its own information or what its own people looked at (Bijlage 3, NEN 7513).", [object.get(resource, "filter", null)]) if {
	input.operation == "query_access_log"
	not log_reader
	not own_filter
}

denials contains sprintf("The operation %v is not known; denied by default.", [object.get(input, "operation", null)]) if {
	not input.operation in {"set_usage_terms", "retract", "query_access_log"}
}

grants contains sprintf("Party %v provided item %v and decides on its use (art. 16.2).", [caller.party, resource.item_id]) if {
	permitted
	is_provider
}

grants contains sprintf("The role %v reads the access log (Bijlage 3, NEN 7513).", [caller.role]) if {
	permitted
	log_reader
}

grants contains sprintf("Party %v may see the access log about its own information or people (art. 16.2, Bijlage 3).", [caller.party]) if {
	permitted
	own_filter
	not log_reader
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (art. 16.2)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": []} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
