# METADATA
# title: Control over items and the access log
# description: >-
#   Who may change or retract an item's usage terms (art. 16.2: only the party that provided
#   it); who records or withdraws a consent (Bijlage 3: the nominating party, the case's
#   process director or a delegate of an involved party; the provider for its written consent,
#   art. 9.2); what oversight sees (Bijlage 3 / NEN 7513: a privacy officer or auditor sees
#   what concerns its own party as controller - the log, reviews, reports and subject requests
#   about items it provided or received; a worker reads no log); and who decides a subject
#   request (only the privacy officer of
#   the controller it is addressed to); who follows a safety override (Bijlage 3, art. 16.2:
#   the providing party's people its notices, the overriding party's people its informing of
#   the client; a worker listing those of the cases the person has a part in, the party's
#   privacy officer all of them, art. 8.4c); and who provides an item for a case (art. 15.1, 8.4c: a party with a part in
#   the case, while the case is open and not restricted); and who passes a subject's request on
#   (Bijlage 3, 8.4c: a party with a part in the case it is about, open or not).
#   Input contract: schemas/disclosure.control.input.schema.json.
#   Query: data.zorgtafel.disclosure.control.decision
# custom:
#   articles: ["art. 1.2", "art. 8.4c", "art. 9.2", "art. 12.3", "art. 15.1", "art. 16.2", "Bijlage 3"]
package zorgtafel.disclosure.control

import rego.v1

import data.zorgtafel.lib

# Who oversees and reads an access log: the same rule as zorgtafel.accesslog, which the other
# services compile for their own log instead of this package (issue #16); disclosure asks it
# here, where it is compiled anyway. control_test.rego checks that both decide alike.
log_readers := {"privacy_officer", "auditor"}

caller := lib.object_at(input, "caller")

resource := lib.object_at(input, "resource")

# The case's facts; absent or not an object: none (every check on them fails closed).
default case_facts := {}

case_facts := c if {
	c := input.case
	is_object(c)
}

caller_person := object.get(caller, "person", "")

# Operations on what oversight reads: the caller's party must be concerned (it provided or
# received what is asked about) and then sees only what concerns it.
oversight_ops := {"query_access_log", "list_reviews", "subject_access_report", "list_subject_requests"}

consent_ops := {"record_consent", "withdraw_consent"}

# The safety override followed up (Bijlage 3): the provider's notices of overrides on its items
# (art. 16.2: it decides on the use of its information and must learn of an override), and the
# overriding party's task of informing the client.
provider_notice_ops := {"list_override_notices"}

informing_ops := {"list_informing_tasks", "record_client_informed"}

# A granted correction (Bijlage 3, GDPR art. 16): the provider is told (art. 16.2) and only the
# provider supersedes its item with a corrected version.
correction_ops := {"list_correction_notices"}

known_ops := {"provide", "submit_subject_request", "set_usage_terms", "retract", "supersede", "record_provider_consent", "decide_subject_request"} | oversight_ops | consent_ops | provider_notice_ops | informing_ops | correction_ops

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

# The overriding party (a review's or task's party) is the caller's own.
default is_overriding_party := false

is_overriding_party if {
	active_caller
	is_string(resource.party)
	caller.party == resource.party
}

default log_reader := false

log_reader if {
	active_caller
	caller.role in log_readers
}

# (A worker of a provider no longer reads its party's log: the log names who read what of
# every case the party provided into, and within a party only its oversight roles see that;
# a worker's need is the case it has a part in, not the log. Bijlage 3, ADR 0005.)

# ---------------------------------------------------------------------------------------------
# Consents (Bijlage 3, ADR 0005): who may record or withdraw the subject's consent for a case.
# ---------------------------------------------------------------------------------------------

consent_recorders contains "the nominating party" if {
	active_caller
	caller.party == case_facts.nominating_party
}

# art. 12.3: the case's process director, still designated on the roster (art. 12.1). A person
# id names its person without case, here and below ("PD-1" is pd-1: the kernel's
# validate.same_person, the token's subject; lib.same_person).
consent_recorders contains "the case's process director" if {
	active_caller
	caller_person != ""
	case_facts.process_director.party == caller.party
	lib.same_person(case_facts.process_director.person, caller_person)
	"process_director" in lib.array_at(caller, "functions")
}

# Bijlage 3: a person the involved party named as its delegate in the case.
consent_recorders contains "a delegate of an involved party" if {
	active_caller
	caller_person != ""
	caller.party in lib.array_at(case_facts, "involved")
	some delegate in lib.array_at(lib.object_at(case_facts, "delegates"), caller.party)
	lib.same_person(delegate, caller_person)
}

default may_record_consent := false

may_record_consent if count(consent_recorders) > 0

# A withdrawal of the provider's own written consent (art. 9.2) is the provider's. Which
# consent is meant is a fact the service gives, never a default: one without a known kind is
# neither (a missing kind once read as the subject's, which a delegate withdraws).
default subject_consent_resource := false

subject_consent_resource if resource.kind == "subject"

default provider_consent_resource := false

provider_consent_resource if resource.kind == "provider_written"

# ---------------------------------------------------------------------------------------------
# Providing an item (art. 15.1, 8.4c, Bijlage 3): each party provides its own information for
# a case it has a part in. A party with none writes nothing into another party's dossier (it
# would become a provider, so a controller of the case, by that alone), and it learns nothing
# of the case either: an unknown case has no parties, so it is refused alike.
# ---------------------------------------------------------------------------------------------

case_parts contains "the nominating party" if {
	active_caller
	caller.party == case_facts.nominating_party
}

# art. 8.4c: a role and information need given by the case meeting.
case_parts contains "an involved party" if {
	active_caller
	caller.party in lib.array_at(case_facts, "involved")
}

# art. 12.3: the process director directs the case on behalf of its party.
case_parts contains "the party of the case's process director" if {
	active_caller
	case_facts.process_director.party == caller.party
}

# art. 13.1: the case director works under the responsibility of its own party.
case_parts contains "the party of the case director" if {
	active_caller
	case_facts.case_director.party == caller.party
}

# Bijlage 3, art. 10.1: only an involved party names delegates in the case.
case_parts contains "a party with delegates in the case" if {
	active_caller
	count(lib.array_at(lib.object_at(case_facts, "delegates"), caller.party)) > 0
}

default has_case_part := false

has_case_part if count(case_parts) > 0

# art. 1.2: a closed case's dossier is cleansed and removed; GDPR art. 18 (Bijlage 3): a
# restricted case is only kept. Neither takes new items.
default case_open := false

case_open if {
	object.get(case_facts, "closed", true) == false
	object.get(case_facts, "restricted", true) == false
}

# ---------------------------------------------------------------------------------------------
# Oversight scoped to the controller (Bijlage 3, NEN 7513, issue #13)
# ---------------------------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------------------------
# Subject requests: addressed to a controller; only its privacy officer decides.
# ---------------------------------------------------------------------------------------------

default controllers_privacy_officer := false

controllers_privacy_officer if {
	active_caller
	caller.role == "privacy_officer"
	caller.party == resource.controller
}

default permitted := false

permitted if {
	input.operation in {"set_usage_terms", "retract", "supersede", "record_provider_consent"}
	is_provider
}

permitted if {
	input.operation == "provide"
	has_case_part
	case_open
}

# Bijlage 3, 8.4c: a party with a part in the case passes the subject's request about it on,
# also once the case is closed or restricted (the subject asks for its erasure or lifting).
permitted if {
	input.operation == "submit_subject_request"
	has_case_part
}

permitted if {
	input.operation in correction_ops
	is_provider
}

permitted if {
	input.operation in consent_ops
	subject_consent_resource
	may_record_consent
}

permitted if {
	input.operation == "withdraw_consent"
	provider_consent_resource
	is_provider
}

permitted if {
	input.operation in oversight_ops
	log_reader
	concerns_own_party
}

permitted if {
	input.operation == "decide_subject_request"
	controllers_privacy_officer
}

permitted if {
	input.operation in provider_notice_ops
	is_provider
}

permitted if {
	input.operation in informing_ops
	is_overriding_party
}


# A refusal of an item's operations names the item the caller gave and the caller's own party,
# never the provider: a caller that is not the provider may hold no more than the item id, and
# which party gave information about a subject is itself case information (art. 8.4c, 16.2).
denials contains sprintf("Only the party that provided the item may change or retract its usage terms; party %v is not the provider (art. 16.2).", [object.get(caller, "party", null)]) if {
	input.operation in {"set_usage_terms", "retract"}
	not is_provider
}

denials contains sprintf("Only the party that provided the item gives or withdraws its written consent to a third-party release; party %v is not the provider (art. 9.2).", [object.get(caller, "party", null)]) if {
	input.operation == "record_provider_consent"
	not is_provider
}

denials contains sprintf("Only the party that provided the item gives or withdraws its written consent to a third-party release; party %v is not the provider (art. 9.2).", [object.get(caller, "party", null)]) if {
	input.operation == "withdraw_consent"
	provider_consent_resource
	not is_provider
}

denials contains "The consent's kind (the subject's, or a provider's written consent) is not known; nothing is recorded or withdrawn without it (Bijlage 3, art. 9.2)." if {
	input.operation in consent_ops
	not subject_consent_resource
	not provider_consent_resource
}

denials contains sprintf("A consent for the case is recorded or withdrawn only by the nominating party, the case's process director or a delegate of an involved party; party %v has no such part in the case (Bijlage 3, art. 8.4c, 12.3).", [object.get(caller, "party", null)]) if {
	input.operation in consent_ops
	subject_consent_resource
	not may_record_consent
}

denials contains sprintf("The %v of party %v sees only what concerns its own party as controller (items it provided or received); nothing asked for here concerns party %v (Bijlage 3, NEN 7513, art. 8.4c).", [object.get(caller, "role", null), object.get(caller, "party", null), object.get(caller, "party", null)]) if {
	input.operation in oversight_ops
	log_reader
	not concerns_own_party
}

denials contains sprintf("Only privacy officers and auditors oversee; the role %v does not (Bijlage 3, NEN 7513).", [object.get(caller, "role", null)]) if {
	input.operation in oversight_ops
	input.operation != "query_access_log"
	not log_reader
}

# Naming neither the request nor its controller: a caller refused may hold no more than the
# request's id, and which party controls what it is about is case information (art. 8.4c).
denials contains sprintf("A subject request is decided only by the privacy officer of the controller it is addressed to, not by the %v of party %v (Bijlage 3, GDPR art. 12).", [object.get(caller, "role", null), object.get(caller, "party", null)]) if {
	input.operation == "decide_subject_request"
	not controllers_privacy_officer
}

denials contains sprintf("The notices of safety overrides on the items of party %v are for that party's people only, not for party %v (art. 16.2, Bijlage 3).", [object.get(resource, "provider", null), object.get(caller, "party", null)]) if {
	input.operation in provider_notice_ops
	active_caller
	not is_provider
}

# Not naming the overriding party: a caller refused may hold no more than a decision id, and
# which party made an override on a subject is case information (art. 8.4c).
denials contains sprintf("Informing the client of a safety override is the task of the party that made it; party %v does not list or record it (Bijlage 3).", [object.get(caller, "party", null)]) if {
	input.operation in informing_ops
	active_caller
	not is_overriding_party
}

denials contains sprintf("Party %v has status %v; only active parties are served (art. 21.3, 23.2).", [object.get(caller, "party", null), object.get(caller, "party_status", null)]) if not active_caller

denials contains "The access log is read by the privacy officers and auditors of the controller it concerns; a worker, also of the providing party, does not read it (Bijlage 3, NEN 7513)." if {
	input.operation == "query_access_log"
	not log_reader
}

denials contains sprintf("Only the party that provided the item corrects it with a new version; party %v is not the provider (art. 16.2, Bijlage 3).", [object.get(caller, "party", null)]) if {
	input.operation == "supersede"
	not is_provider
}

# The same words whether the case is unknown or known without the caller's party: no oracle;
# and without the case id the caller typed (an error never echoes a caller's input).
denials contains sprintf("Party %v has no part in the case as disclosure knows it (the nominating party, an involved party, or the party of its process director, case director or delegates); it provides nothing for it (art. 15.1, 8.4c, Bijlage 3). A case's facts arrive from intake and casework shortly after they are recorded there.", [object.get(caller, "party", null)]) if {
	input.operation == "provide"
	active_caller
	not has_case_part
}

denials contains "The case is closed: its dossier is cleansed and removed, nothing is added to it (art. 1.2)." if {
	input.operation == "provide"
	has_case_part
	object.get(case_facts, "closed", true) != false
}

denials contains "The case is restricted at the subject's request: it is only kept, nothing is added to it while the restriction lasts (Bijlage 3, GDPR art. 18)." if {
	input.operation == "provide"
	has_case_part
	object.get(case_facts, "restricted", true) != false
}

# The same words whether the case (or any case of the subject) is known or not: no oracle.
denials contains sprintf("Party %v has no part in the case this subject request is about, as disclosure knows it (the nominating party, an involved party, or the party of its process director, case director or delegates); only such a party passes the subject's request on (Bijlage 3, art. 8.4c).", [object.get(caller, "party", null)]) if {
	input.operation == "submit_subject_request"
	active_caller
	not has_case_part
}

denials contains sprintf("The notices of granted corrections of the items of party %v are for that party's people only, not for party %v (art. 16.2, Bijlage 3).", [object.get(resource, "provider", null), object.get(caller, "party", null)]) if {
	input.operation in correction_ops
	not is_provider
}

denials contains sprintf("The operation %v is not known; denied by default.", [object.get(input, "operation", null)]) if {
	not input.operation in known_ops
}

grants contains sprintf("Party %v provided item %v and decides on its use (art. 16.2).", [caller.party, resource.item_id]) if {
	permitted
	is_provider
}

grants contains sprintf("Party %v provides its own information for case %v as %v (art. 15.1, 8.4c).", [caller.party, resource.case_id, r]) if {
	permitted
	input.operation == "provide"
	some r in case_parts
}

grants contains sprintf("Party %v has a part in the case as %v and passes the subject's request on (Bijlage 3, art. 8.4c).", [caller.party, r]) if {
	permitted
	input.operation == "submit_subject_request"
	some r in case_parts
}

grants contains sprintf("Party %v provided the items and learns of every safety override on them (art. 16.2, Bijlage 3).", [caller.party]) if {
	permitted
	input.operation in provider_notice_ops
}

grants contains sprintf("Party %v provided the items and is told of every granted correction of them (art. 16.2, Bijlage 3).", [caller.party]) if {
	permitted
	input.operation in correction_ops
}

grants contains sprintf("Party %v made the safety override and informs the client of it (Bijlage 3).", [caller.party]) if {
	permitted
	input.operation in informing_ops
}

grants contains sprintf("The %v of party %v sees what concerns its own party as controller (Bijlage 3, NEN 7513).", [caller.role, caller.party]) if {
	permitted
	input.operation in oversight_ops
	log_reader
	concerns_own_party
}


grants contains sprintf("The caller records the consent as %v (Bijlage 3, art. 8.4c, 12.3).", [r]) if {
	permitted
	input.operation in consent_ops
	some r in consent_recorders
}

grants contains sprintf("The privacy officer of controller %v decides the subject requests addressed to it (Bijlage 3).", [caller.party]) if {
	permitted
	input.operation == "decide_subject_request"
}

# Need to know holds within a party too (art. 8.4c, 15.1): a notice names a case, an item and
# who overrode, so a worker of the party lists only the notices and informing tasks of cases
# the person has a part in (the case director, a delegate of the party, and, while the roster
# still designates it, the process director: ADR 0005); the party's privacy officer, whose task
# the follow-up of overrides and corrections is (Bijlage 3), lists all of its party's. Applied
# by the service in the page's query, so a page is full and its token stays valid. Recording
# the client informed answers with the override's notices, so it is scoped alike (the service
# also lets the person who overrode record it).
person_list_ops := {"list_override_notices", "list_informing_tasks", "list_correction_notices", "record_client_informed"}

person_case_parts contains "case_director"

person_case_parts contains "delegate"

person_case_parts contains "process_director" if "process_director" in lib.array_at(caller, "functions")

obligations contains {"type": "restrict_to_cases_of_person", "party": caller.party, "person": caller_person, "parts": sort([p | some p in person_case_parts]), "reason": "A worker sees the notices of the cases the person has a part in; the party's privacy officer sees all of its party's (art. 8.4c, 15.1, Bijlage 3)."} if {
	permitted
	input.operation in person_list_ops
	object.get(caller, "role", "") != "privacy_officer"
}

# Oversight shows only the rows that concern the caller's party (items it provided or
# received).
obligations contains {"type": "restrict_to_party", "party": caller.party, "reason": "Oversight sees what concerns its own party as controller (Bijlage 3, NEN 7513)."} if {
	permitted
	input.operation in oversight_ops
}

# Bijlage 3 "afschermen", GDPR art. 18(2): while the subject's restriction of the case or the
# item holds, a review stays listed (who overrode what, when, having consulted whom: the
# accountability the officer keeps), but its texts - why the override was needed, how the client
# was told: free text about the subject - are not opened until the lifting.
obligations contains {"type": "withhold_texts_while_restricted", "reason": "A review of a restricted case or item is listed without its texts: restricted data is only kept (Bijlage 3, GDPR art. 18(2))."} if {
	permitted
	input.operation == "list_reviews"
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (art. 16.2)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": [o | some o in obligations]} if permitted

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not permitted
	count(denials) > 0
}
