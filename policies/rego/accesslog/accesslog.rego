# METADATA
# title: Reading an access log
# description: >-
#   Who reads which part of a service's access log (Bijlage 3 / NEN 7513, issue #13): a privacy
#   officer or auditor of an active party, and of it only what concerns its own party as
#   controller (its people read, or it provided or received what was read); a worker reads no
#   log, also not of its own party's information. Asked by intake, casework and governance for
#   their own access log (the kernel's AccessLogService). A package of its own, so a service
#   that only serves its access log compiles this and not the whole of disclosure's control
#   (issue #16); disclosure, which compiles control anyway, asks control's copy of this rule
#   (its operation query_access_log), and disclosure/control_test.rego checks that both decide
#   alike.
#   Input contract: schemas/accesslog.input.schema.json.
#   Query: data.zorgtafel.accesslog.decision
# custom:
#   articles: ["Bijlage 3", "art. 8.4c"]
package zorgtafel.accesslog

import rego.v1

import data.zorgtafel.lib

log_readers := {"privacy_officer", "auditor"}

caller := lib.object_at(input, "caller")

resource := lib.object_at(input, "resource")

known_ops := {"query_access_log"}

default active_caller := false

active_caller if {
	is_string(caller.party)
	caller.party != ""
	caller.party_status == "active"
}

# Bijlage 3, NEN 7513: oversight is the privacy officer's and the auditor's task.
default log_reader := false

log_reader if {
	active_caller
	caller.role in log_readers
}

# (A worker of a provider no longer reads its party's log: the log names who read what of
# every case the party provided into, and within a party only its oversight roles see that;
# a worker's need is the case it has a part in, not the log. Bijlage 3, ADR 0005.)

# Oversight scoped to the controller (Bijlage 3, NEN 7513, issue #13): the caller's party must
# be concerned (it provided or received what is asked about) and then sees only what concerns
# it.
default concerns_own_party := false

concerns_own_party if {
	active_caller
	caller.party in lib.array_at(resource, "concerned")
}

# A listing not narrowed to a case or subject shows only the caller's party's part of it.
concerns_own_party if {
	active_caller
	resource.scoped == false
}

default permitted := false

permitted if {
	input.operation in known_ops
	log_reader
	concerns_own_party
}

denials contains sprintf("The %v of party %v sees only what concerns its own party as controller (items it provided or received); nothing asked for here concerns party %v (Bijlage 3, NEN 7513, art. 8.4c).", [object.get(caller, "role", null), object.get(caller, "party", null), object.get(caller, "party", null)]) if {
	input.operation in known_ops
	log_reader
	not concerns_own_party
}

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, 23.2).", [object.get(caller, "party", null), object.get(caller, "party_status", null)]) if not active_caller

denials contains "The access log is read by the privacy officers and auditors of the controller it concerns; a worker, also of the providing party, does not read it (Bijlage 3, NEN 7513)." if {
	input.operation in known_ops
	not log_reader
}

denials contains sprintf("The operation %v is not known; denied by default.", [object.get(input, "operation", null)]) if {
	not input.operation in known_ops
}

grants contains sprintf("The %v of party %v sees what concerns its own party as controller (Bijlage 3, NEN 7513).", [caller.role, caller.party]) if permitted

# Oversight shows only the rows that concern the caller's party (items it provided or
# received).
obligations contains {"type": "restrict_to_party", "party": caller.party, "reason": "Oversight sees what concerns its own party as controller (Bijlage 3, NEN 7513)."} if permitted

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (art. 16.2)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": [o | some o in obligations]} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
