# METADATA
# title: Disclosure of an information item to a recipient
# description: >-
#   May this item be shown to (or released to) this recipient, for this purpose, now?
#   Encodes art. 16.2 (the provider decides), art. 8.4c and Bijlage 3 (need to know),
#   art. 12.2f (pre-reading), art. 9.2 (third parties), art. 15.2 and the consent and
#   safety-override rules of Bijlage 3 (MO Den Bosch privacy policy). Need to know is decided
#   per person (ADR 0005): only a person with a part in the case (its process director still
#   on the roster, its case director, a delegate of an involved party) asks or receives.
#   Input contract: schemas/disclosure.input.schema.json. Query: data.zorgtafel.disclosure.decision
# custom:
#   articles: ["art. 1.2", "art. 8.4c", "art. 9.2", "art. 12.2f", "art. 15.2", "art. 16.1", "art. 16.2", "art. 21.3", "art. 23.2", "Bijlage 3"]
package zorgtafel.disclosure

import rego.v1

import data.zorgtafel.lib

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# The tables are data (disclosure/data.json, data.zorgtafel.disclosure.tables), each an
# object whose keys are its members, read by a lookup: rego-cpp answers `x in set` with a
# builtin call, which copies its whole evaluation state, and a lookup in data with none (issue
# #16). A key that is not a member, or not a string, is undefined there, as `in` is false.
# - party_actions: the three ways a party receives an item (art. 16.2, 12.2f); actions: those
#   and the third-party release (art. 9.2), the four ways an item can leave its provider.
# - legal_bases: those of art. 15.2 / the privacy protocol (GDPR art. 6 plus the Wet
#   politiegegevens).
# - dossier_blind_roles (Bijlage 3): front-desk and night staff see who is in care, never the
#   dossier.

# The action is one by which a party receives the item (art. 16.2, 12.2f).
default party_action := false

party_action if data.zorgtafel.disclosure.tables.party_actions[input.action] == true

# ---------------------------------------------------------------------------------------------
# Facts taken from the input (missing facts are empty, so every check below fails closed)
# ---------------------------------------------------------------------------------------------

# The facts are rules, not calls of lib.object_at / lib.array_at: rego-cpp computes a rule once
# per decision but every function call anew, and this policy is asked on every item shown
# (issue #16: a decision in under 1 ms). The objects of facts (item, terms, recipient, requester,
# case_facts) are what the input holds there, {} when it holds nothing, and are read by
# reference only, without a type test (a builtin call, each of which copies rego-cpp's whole
# evaluation state): a reference into anything but an object (an array, a string, a number,
# null) is undefined on both engines, as a fact missing from an object is, so every check reads
# the same as over {}. A reason names a member with lib.member_shown (null when there is
# none), never object.get, an evaluation error on regorus over what is no object. The values
# read test their own type where it matters (the strings, lists and numbers below).
default item := {}

item := input.item

default terms := {}

terms := item.terms

# The lists the checks read, each [] unless an array or a set (as lib.array_at gives). Rules,
# not lib.array_at calls: its `doc[key]` head tests the type of every member of doc, and each
# builtin call copies rego-cpp's whole evaluation state, dearer the further a decision has come
# (issue #16: 4 us at the start, 18 us at the end of one). An else-chain: an array is never a
# set, so one type test instead of two.
default terms_purposes := []

terms_purposes := v if {
	v := terms.purposes
	is_array(v)
} else := v if {
	v := terms.purposes
	is_set(v)
}

default terms_summary_only_fields := []

terms_summary_only_fields := v if {
	v := terms.summary_only_fields
	is_array(v)
} else := v if {
	v := terms.summary_only_fields
	is_set(v)
}

# The provider's lists (art. 16.2).
default terms_recipient_parties := []

terms_recipient_parties := v if {
	v := terms.recipient_parties
	is_array(v)
} else := v if {
	v := terms.recipient_parties
	is_set(v)
}

default terms_recipient_roles := []

terms_recipient_roles := v if {
	v := terms.recipient_roles
	is_array(v)
} else := v if {
	v := terms.recipient_roles
	is_set(v)
}

default recipient := {}

recipient := input.recipient

# A string, else "" (recipient and requester are objects): object.get's default "" shown in a
# reason made regopy's answer no JSON when the recipient had no party (regorus refused).
party := v if {
	v := recipient.party
	is_string(v)
} else := ""

default case_facts := {}

case_facts := input.case

# A party's involvement in the case (art. 8.4c), by party, is an object of facts; anything else
# (false, a string), or none, is no involvement.
involvement := v if {
	v := case_facts.involved[party]
	is_object(v)
} else := null

# The caller: for read, pre_read and onward_share the same person as the recipient; for a
# third-party release the person of a party who asks to release (art. 9.2).
default requester := {}

requester := input.requester

requester_party := v if {
	v := requester.party
	is_string(v)
} else := ""

requester_person := v if {
	v := requester.person
	is_string(v)
} else := ""

# As named in reasons (regopy 1.5.2 emits an empty string in sprintf as invalid JSON).
# Shown in reasons instead of an empty party: regopy prints sprintf("%v", [""]) as "" unescaped
# inside its JSON output, which then does not parse (an error instead of a deny).
default party_shown := "(unknown)"

party_shown := party if party_named

# The recipient's party and the requester's person are named (not ""): one comparison each per
# decision, read by the rules below (issue #16: each builtin call copies rego-cpp's state).
default party_named := false

party_named if not party == ""

default requester_named := false

requester_named if not requester_person == ""

default requester_shown := "(unknown)"

requester_shown := requester_person if requester_named

default requester_party_shown := "(unknown)"

requester_party_shown := requester_party if not requester_party == ""

default requester_status_shown := "unknown"

requester_status_shown := requester.party_status if {
	is_string(requester.party_status)
	requester.party_status != ""
}

requester_involvement := v if {
	v := case_facts.involved[requester_party]
	is_object(v)
} else := null

# The information need of the recipient's and of the requester's party in the case, [] without
# an involvement (as lib.array_at gives).
default involvement_need := []

involvement_need := v if {
	v := involvement.information_need
	is_array(v)
} else := v if {
	v := involvement.information_need
	is_set(v)
}

default requester_involvement_need := []

requester_involvement_need := v if {
	v := requester_involvement.information_need
	is_array(v)
} else := v if {
	v := requester_involvement.information_need
	is_set(v)
}

# The requester's functions (a process director's designation, art. 12.1), and the delegates the
# requester's party named in the case (Bijlage 3); [] when absent (as lib.array_at gives).
default requester_functions := []

requester_functions := v if {
	v := requester.functions
	is_array(v)
} else := v if {
	v := requester.functions
	is_set(v)
}

default requester_party_delegates := []

requester_party_delegates := v if {
	v := case_facts.delegates[requester_party]
	is_array(v)
} else := v if {
	v := case_facts.delegates[requester_party]
	is_set(v)
}

# The instants compared (art. 16.2), in nanoseconds since the epoch. The service hands each time
# over twice, as RFC 3339 text (what a reason shows) and as that instant's nanoseconds (now_ns,
# terms.expires_at_ns), and the rules read the number when it is one: parsing the text (lib.ns: a
# regular expression rego-cpp compiles on every call, and four more builtin calls) was a third of
# an allowed decision (issue #16). Without a number the text is parsed, as before.
now_ns := v if {
	v := input.now_ns
	is_number(v)
} else := lib.ns(input.now)

expires_at_ns := v if {
	v := terms.expires_at_ns
	is_number(v)
} else := lib.ns(terms.expires_at)

# ---------------------------------------------------------------------------------------------
# Who the requester is in this case (ADR 0005, art. 8.4c, 12.3, 13.1, Bijlage 3). A token role
# never grants a case; only these facts do. Absent facts give no part (fail closed).
# ---------------------------------------------------------------------------------------------

# art. 12.3: the case's process director, still designated on the roster (art. 12.1).
requester_parts contains "process_director" if {
	requester_named_process_director
	some function in requester_functions
	function == "process_director"
}

default requester_named_process_director := false

requester_named_process_director if {
	requester_named
	pd := case_facts.process_director
	pd.party == requester_party
	pd.person == requester_person
}

# art. 13.1: the case director, a named person of an involved party.
requester_parts contains "case_director" if {
	requester_named
	cd := case_facts.case_director
	cd.party == requester_party
	cd.person == requester_person
}

# Bijlage 3: a delegate the requester's party named in the case.
requester_parts contains "delegate" if {
	requester_named
	some delegate in requester_party_delegates
	delegate == requester_person
}

default requester_has_part := false

requester_has_part if some _ in requester_parts

# For read, pre_read and onward_share the requester receives: both slots name one person.
default recipient_is_requester := false

recipient_is_requester if {
	requester_party == party
	requester_person == recipient.person
}

# ---------------------------------------------------------------------------------------------
# Checks. Each is a boolean with default false, so a missing fact is a failed check.
# ---------------------------------------------------------------------------------------------

# Here and in the facts above, what rego-cpp answers with a builtin call is written as what it
# answers in its own statements (issue #16: each builtin call copies its whole evaluation state,
# and an allowed decision made 50 of them): membership of a list the policy typed (an array or a
# set) as a scan and a comparison (`some p in list; p == x`, not `x in list`), "not equal" as
# `not a == b` over a value that is defined (not `a != b`), an empty list as `== []` or
# `== set()` (not count). `in` stays over a list the input gives untyped (a consent's scope, the
# provider's recipient parties): a scan over a string is an evaluation error on regorus.

# art. 16.2: a retracted item is never shown.
default not_retracted := false

not_retracted if item.retracted == false

# art. 16.2: the provider names the purposes; any other purpose is refused.
default purpose_permitted := false

purpose_permitted if {
	some purpose in terms_purposes
	purpose == input.purpose
}

# art. 16.2: "until when" - no expiry, or now is before it.
default within_expiry := false

within_expiry if {
	now_ns < expires_at_ns
} else := true if {
	now_ns
	lib.member_shown(terms, "expires_at") == null
}

# art. 15.2: every processing has a recorded legal basis.
default legal_basis_known := false

legal_basis_known if data.zorgtafel.disclosure.tables.legal_bases[item.legal_basis] == true

default action_known := false

action_known if data.zorgtafel.disclosure.tables.actions[input.action] == true

# art. 8.4c, 21.3, 23.2: only active parties receive case information; an applicant, a
# withdrawn or an excluded party receives nothing.
default recipient_active_party := false

recipient_active_party if {
	recipient.is_party == true
	recipient.party_status == "active"
}

# art. 16.1: a party keeps its own information; reading what it provided itself is not a
# disclosure to another party.
default own_item := false

own_item if {
	party_named
	party == item.provider
}

# art. 8.4c and Bijlage 3: the party is involved in the case and the item's category is in the
# information need recorded for its role. The checks with more than one way to hold are
# else-chains (the same answer as one rule per way): rego-cpp evaluates every body of a rule,
# and stops at the first of an else-chain that holds (issue #16: fewer builtin calls).
default need_to_know := false

need_to_know if {
	own_item
} else := true if {
	not involvement == null
	some need in involvement_need
	need == item.category
}

# Bijlage 3: front-desk and night staff never see dossier items.
default role_may_see_dossier := false

role_may_see_dossier if {
	is_string(recipient.role)
	not data.zorgtafel.disclosure.tables.dossier_blind_roles[recipient.role]
}

# art. 16.2: the provider's list of recipient parties (empty list: any party with need to know).
default terms_party_permitted := false

terms_party_permitted if {
	own_item
} else := true if {
	terms_recipient_parties == []
} else := true if {
	terms_recipient_parties == set()
} else := true if {
	party in terms.recipient_parties
}

# art. 16.2: the provider's list of recipient roles (empty list: no restriction by role),
# matched by relationship, never against the token role (ADR 0005: a token role says what job a
# person has, not what they are in this case): the recipient's own part in the case (its
# process director still on the roster, its case director, a delegate: requester_parts, the
# recipient being the requester) or its party's role in the case (the involvement facts).
default terms_role_permitted := false

terms_role_permitted if {
	own_item
} else := true if {
	terms_recipient_roles == []
} else := true if {
	terms_recipient_roles == set()
} else := true if {
	recipient_is_requester
	some part in requester_parts
	part in terms_recipient_roles
} else := true if {
	involvement.role in terms_recipient_roles
}

# art. 12.2f: pre-reading before a case meeting only when the provider agreed.
default pre_read_agreed := false

pre_read_agreed if {
	action := input.action
	not action == "pre_read"
}

pre_read_agreed if terms.pre_read_allowed == true

# art. 16.2: passing an item on only when the provider allows it.
default onward_sharing_agreed := false

onward_sharing_agreed if {
	action := input.action
	not action == "onward_share"
}

onward_sharing_agreed if terms.onward_sharing_allowed == true

# art. 9.2: a third party (art. 1.8) is neither the subject nor a party.
default recipient_third_party := false

recipient_third_party if recipient.is_party == false

# art. 9.2: prior written consent of the controller that originally provided the item, not
# withdrawn at the time of the request.
default provider_written_consent := false

provider_written_consent if {
	some i, c in provider_consents
	provider_consent_for_recipient(c)
	not provider_consents_withdrawn[i]
}

provider_consent_for_recipient(c) if {
	c.item_id == item.id
	c.given_by == item.provider
	c.recipient == party
}

default provider_consents := []

provider_consents := v if {
	v := input.consents.provider_written
	is_array(v)
} else := v if {
	v := input.consents.provider_written
	is_set(v)
}

default subject_consents := []

subject_consents := v if {
	v := input.consents.subject
	is_array(v)
} else := v if {
	v := input.consents.subject
	is_set(v)
}

# Bijlage 3, GDPR art. 7(3): a withdrawn consent carries no release from its withdrawal on
# (the service records a withdrawal when it happened, never ahead): one with a withdrawal time
# (withdrawn_at, not null); one without it, or with null, is in force. By index, not by a
# function over the consent: regopy 1.5.2 compiles that under `with` very slowly. Read by
# reference, not with object.get and a type test (two builtin calls per consent, issue #16): a
# consent that is not an object (the schema forbids it) has no withdrawal time (a reference
# into it is undefined on both engines, where object.get is an error on regorus), and no giver,
# item or recipient either, so it is in force for nothing all the same.
provider_consents_withdrawn contains i if {
	some i, c in provider_consents
	withdrawn_at := c.withdrawn_at
	not withdrawn_at == null
}

subject_consents_withdrawn contains i if {
	some i, c in subject_consents
	withdrawn_at := c.withdrawn_at
	not withdrawn_at == null
}

default provider_consent_withdrawn := false

provider_consent_withdrawn if {
	some i, c in provider_consents
	provider_consent_for_recipient(c)
	provider_consents_withdrawn[i]
}

# art. 9.2 with 8.4c: who asks for a third-party release is an active party's person with a
# part in the case, whose party has the need for the item (or provided it).
default requester_active_party := false

requester_active_party if {
	requester.is_party == true
	requester.party_status == "active"
}

default requester_provides_item := false

requester_provides_item if {
	not requester_party == ""
	requester_party == item.provider
}

default requester_need_to_know := false

requester_need_to_know if requester_provides_item

requester_need_to_know if {
	requester_involvement != null
	item.category in requester_involvement_need
}

default requester_may_see_dossier := false

requester_may_see_dossier if {
	is_string(requester.role)
	not data.zorgtafel.disclosure.tables.dossier_blind_roles[requester.role]
}

# ---------------------------------------------------------------------------------------------
# Consent of the data subject (Bijlage 3, MO Den Bosch): under 12 the parent with authority or
# guardian; 12 up to 16 both the parent/guardian and the child; 16 and over the person.
# ---------------------------------------------------------------------------------------------

default consent_required := false

consent_required if item.legal_basis == "consent"

age := input.subject.age if is_number(input.subject.age)

# Who gave a consent that covers this item's category and has not withdrawn it. The sets here
# are read by lookup (`s[i]`, `consented_by.subject`), not with `in`: the same answer without a
# builtin call, each of which copies rego-cpp's evaluation state (issue #16).
# `given_by` is bound in the body, not read in the head: a consent without it is no one's (the
# head's reference on a missing key is an evaluation error on regorus, undefined on regopy).
consented_by contains given_by if {
	some i, c in subject_consents
	given_by := c.given_by
	item.category in c.scope
	not subject_consents_withdrawn[i]
}

# Who withdrew a consent that covered this item's category (for the reason of a deny).
withdrawn_by contains given_by if {
	some i, c in subject_consents
	given_by := c.given_by
	item.category in c.scope
	subject_consents_withdrawn[i]
}

default guardian_consent := false

guardian_consent if {
	consented_by.parent
} else := true if {
	consented_by.guardian
}

# The three age bands exclude each other, so an else-chain gives the same answer and stops at
# the band that holds (adults, the most frequent, first).
default subject_consent := false

subject_consent if {
	age >= 16
	consented_by.subject
} else := true if {
	age >= 12
	guardian_consent
	consented_by.subject
} else := true if {
	age < 12
	guardian_consent
}

# Safety override (Bijlage 3): without consent only after consulting a colleague, with the
# reason recorded. The colleague must be someone other than the requester: both are person ids
# (as the services check them, validate.check_person, and the token's subject: no white space,
# no other width, nothing but ASCII), compared without case ("Anna" is anna). Only over person
# ids: lower is ASCII-only on regopy and Unicode on regorus, so it never sees anything else.
person_id_pattern := `^[A-Za-z0-9._:@-]{1,128}$`

default break_glass_valid := false

break_glass_valid if {
	bg := input.break_glass
	# lib.blank trims Unicode white space: a lone NBSP or ideographic space is no reason.
	is_string(bg.justification)
	not lib.blank(bg.justification)
	is_string(bg.consulted_colleague)
	regex.match(person_id_pattern, bg.consulted_colleague)
	regex.match(person_id_pattern, requester_person)
	lower(bg.consulted_colleague) != lower(requester_person)
}

default consent_satisfied := false

consent_satisfied if not consent_required

consent_satisfied if subject_consent

consent_satisfied if break_glass_valid

default break_glass_used := false

break_glass_used if {
	consent_required
	not subject_consent
	break_glass_valid
}

# ---------------------------------------------------------------------------------------------
# The two routes to an allow
# ---------------------------------------------------------------------------------------------

default route_permitted := false

route_permitted if {
	party_action
	recipient_is_requester
	recipient_active_party
	need_to_know
	role_may_see_dossier
	terms_party_permitted
	terms_role_permitted
	pre_read_agreed
	onward_sharing_agreed
}

route_permitted if {
	input.action == "third_party_release"
	recipient_third_party
	provider_written_consent
	requester_active_party
	requester_need_to_know
	requester_may_see_dossier
}

default permitted := false

# requester_has_part first: both routes need it (so it is not repeated there), and it is the
# check an outsider fails, refused then without the time parsing and consent checks below
# (issue #16: an outsider's refusal is the most frequent and costs the least).
permitted if {
	requester_has_part
	action_known
	not_retracted
	legal_basis_known
	purpose_permitted
	within_expiry
	consent_satisfied
	route_permitted
	not barred
}

# ---------------------------------------------------------------------------------------------
# Reasons for a deny (plain language, citing the article)
# ---------------------------------------------------------------------------------------------

denials contains sprintf("The action %v is not known; only read, pre_read, onward_share and third_party_release are decided (art. 16.2).", [object.get(input, "action", null)]) if not action_known

denials contains "The provider has retracted this item; a retracted item is never shown (art. 16.2)." if item.retracted == true

denials contains "It is not recorded whether the item was retracted; denied because a fact is missing (art. 16.2)." if not is_boolean(item.retracted)

denials contains sprintf("The item has no recognised legal basis (%v); every processing needs one (art. 15.2).", [lib.member_shown(item, "legal_basis")]) if not legal_basis_known

denials contains sprintf("The provider allows use only for the purposes %v; the purpose %v is not one of them (art. 16.2).", [terms_purposes, object.get(input, "purpose", null)]) if not purpose_permitted

denials contains sprintf("The provider allowed use of this item only until %v (art. 16.2).", [terms.expires_at]) if {
	now_ns
	not within_expiry
}

denials contains "The time of the request is missing or not a valid RFC 3339 time; denied because a fact is missing." if not now_ns

# Who has no part in the case: the only reasons such a requester is given (below). They name the
# requester, never the case nor anything of the item: an outsider may hold no more than an item
# id, and its refusal must not tell which case the item belongs to (art. 8.4c).
no_part_reason := sprintf("Person %v of party %v has no part in the case: only the case's process director, its case director and the delegates of involved parties reach a case; colleagues without a part see nothing of it (art. 8.4c, Bijlage 3).", [requester_shown, requester_party_shown])

part_denials contains no_part_reason if {
	not requester_has_part
	not requester_named_process_director
}

part_denials contains sprintf("Person %v was named as the process director of the case but is no longer designated as a process director (art. 12.1, 12.3).", [requester_shown]) if {
	not requester_has_part
	requester_named_process_director
}

denials contains r if some r in part_denials

denials contains "The recipient of a read, pre-read or onward share is the person who asks; the facts name another (art. 8.4c)." if {
	party_action
	not recipient_is_requester
}

denials contains sprintf("The requester's party %v has status %v; only an active party's person with a part in the case may ask for a third-party release (art. 9.2, 8.4c; art. 21.3, 23.2).", [requester_party_shown, requester_status_shown]) if {
	input.action == "third_party_release"
	not requester_active_party
}

denials contains sprintf("Category %v is not in the information need of the requesting party %v in the case; a party that does not need the item cannot release it to a third party, whatever consent exists (art. 9.2, 8.4c).", [lib.member_shown(item, "category"), requester_party_shown]) if {
	input.action == "third_party_release"
	not requester_need_to_know
}

denials contains sprintf("The role %v sees who is in care, never the dossier; it cannot release an item (Bijlage 3, art. 9.2).", [lib.member_shown(requester, "role")]) if {
	input.action == "third_party_release"
	not requester_may_see_dossier
}

denials contains sprintf("The provider's written consent to release the item to %v was withdrawn; no release rests on it from that moment (art. 9.2, Bijlage 3).", [party]) if {
	input.action == "third_party_release"
	provider_consent_withdrawn
	not provider_written_consent
}

denials contains sprintf("Consent for category %v was withdrawn by %v; no release rests on it from the moment of withdrawal (Bijlage 3, consent rules; GDPR art. 7(3)).", [lib.member_shown(item, "category"), sort([g | some g in withdrawn_by])]) if {
	consent_required
	not subject_consent
	not break_glass_valid
	count(withdrawn_by) > 0
}

denials contains sprintf("Party %v is not a party to the covenant (a third party, art. 1.8); information goes to third parties only as a third-party release with the provider's prior written consent (art. 9.2).", [party_shown]) if {
	party_action
	not recipient.is_party == true
}

denials contains sprintf("Party %v has status %v; only active parties receive case information (art. 8.4c; withdrawal art. 21.3; exclusion art. 23.2).", [party_shown, lib.status_shown(recipient)]) if {
	party_action
	recipient.is_party == true
	not recipient.party_status == "active"
}

not_involved_reason := sprintf("Party %v is not involved in the case; parties not involved see nothing of a case (art. 8.4c).", [party_shown])

part_denials contains not_involved_reason if {
	party_action
	not own_item
	involvement == null
}

denials contains sprintf("Information of category %v is not in the information need recorded for party %v in its role %v (art. 8.4c, need to know per Bijlage 3).", [lib.member_shown(item, "category"), party, object.get(involvement, "role", null)]) if {
	party_action
	involvement != null
	not need_to_know
}

denials contains sprintf("The role %v sees who is in care, never the dossier (Bijlage 3, authorisation model).", [lib.member_shown(recipient, "role")]) if {
	party_action
	not role_may_see_dossier
}

denials contains sprintf("The provider allows this item only for the parties %v (art. 16.2).", [terms.recipient_parties]) if {
	party_action
	not terms_party_permitted
}

denials contains sprintf("The provider allows this item only for the roles %v (art. 16.2).", [terms.recipient_roles]) if {
	party_action
	not terms_role_permitted
}

denials contains "The provider has not agreed that this item may be read before the case meeting (art. 12.2f)." if not pre_read_agreed

denials contains "The provider does not allow this item to be passed on (art. 16.2)." if not onward_sharing_agreed

denials contains sprintf("%v is a party to the covenant, not a third party; use read or onward_share (art. 1.8, art. 9.2).", [party_shown]) if {
	input.action == "third_party_release"
	not recipient.is_party == false
}

denials contains sprintf("Release of the item to third party %v needs the prior written consent of the controller that provided it (%v); none is recorded (art. 9.2).", [party, lib.member_shown(item, "provider")]) if {
	input.action == "third_party_release"
	not provider_written_consent
}

denials contains "The age of the data subject is unknown, so it cannot be established who must consent; the item rests on consent (Bijlage 3, consent rules)." if {
	consent_required
	not break_glass_valid
	not age
}

denials contains sprintf("The data subject is %v (under 12): consent of the parent with authority or the guardian for category %v is needed and not recorded (Bijlage 3, consent rules).", [age, item.category]) if {
	consent_required
	not subject_consent
	not break_glass_valid
	age < 12
}

denials contains sprintf("The data subject is %v (12 up to 16): consent of both the parent/guardian and the child for category %v is needed and not recorded (Bijlage 3, consent rules).", [age, item.category]) if {
	consent_required
	not subject_consent
	not break_glass_valid
	age >= 12
	age < 16
}

denials contains sprintf("The data subject is %v (16 or over): the person's own consent for category %v is needed and not recorded (Bijlage 3, consent rules).", [age, item.category]) if {
	consent_required
	not subject_consent
	not break_glass_valid
	age >= 16
}

default override_invalid := false

override_invalid if {
	break_glass := input.break_glass
	not break_glass == null
	is_object(break_glass)
	not break_glass_valid
}

denials contains "A safety override needs a justification and a consulted colleague other than the requester (Bijlage 3, safety override)." if override_invalid

# ---------------------------------------------------------------------------------------------
# Closure, restriction and correction (art. 1.2, 16.1, 16.2; Bijlage 3, GDPR art. 16 and 18)
# ---------------------------------------------------------------------------------------------

# The provider reading its own item keeps its own powers (art. 16.1): the one release a closed
# case or a restriction still allows. Not a pre-read (there is no meeting to prepare), not an
# onward share, not a third-party release. The service always sends these facts; an absent
# one reads as "not closed / not restricted", as in inputs made before they existed.
default provider_own_read := false

provider_own_read if {
	input.action == "read"
	own_item
	recipient_is_requester
}

default case_closed := false

case_closed if case_facts.closed == true

default restricted := false

restricted if item.restricted == true

restricted if case_facts.restricted == true

# A closed case: the Zorgtafel is no longer needed and the dossier is cleansed, then removed
# (art. 1.2); what remains is each provider's own information (art. 16.1). A safety override
# does not reopen it either: an emergency after closure is handled by the parties under their
# own powers (art. 8.5, 16.1) or through the ZVH (Bijlage 2), not through the closed dossier.
default closure_bars := false

closure_bars if {
	case_closed
	not provider_own_read
}

denials contains sprintf("Case %v is closed; its information is released to no one but the party that provided it, reading its own item (art. 1.2, 16.1, 16.2).", [lib.member_shown(case_facts, "id")]) if closure_bars

# A restriction ("afschermen"): the data is only kept (GDPR art. 18(2)); the provider keeps
# reading its own item. The safety override is no way around it: a restriction is the
# subject's decided right, not a missing consent, and it is lifted only by a later decision.
default restriction_bars := false

restriction_bars if {
	restricted
	not provider_own_read
}

denials contains "The data subject's restriction of this information was granted ('afschermen', Bijlage 3, GDPR art. 18): it is released to no one but the provider reading its own item, until a later decision lifts it." if restriction_bars

# A granted correction: the old content is never released again, to anyone (Bijlage 3, GDPR
# art. 16); the provider's corrected version is a new item.
default superseded := false

superseded if item.superseded == true

denials contains "This item was corrected on the data subject's request; the old content is never released again, ask for the provider's corrected version (Bijlage 3, GDPR art. 16)." if superseded

# A suite service may relay a person's token (the kernel's "mtls_relay": casework assembling a
# pre-read set, art. 12.2f) only to ask for a pre-read for that person, and never with a safety
# override: everything else the person asks over their own party's certificate (art. 8.4c).
default relayed := false

relayed if requester.authenticated_by == "mtls_relay"

default relay_not_pre_read := false

relay_not_pre_read if {
	relayed
	input.action != "pre_read"
}

denials contains "A call relayed by a suite service on behalf of a person may only ask for a pre-read (art. 12.2f); any other action is asked by the person's own party over its own certificate (art. 8.4c)." if relay_not_pre_read

default relay_with_override := false

relay_with_override if {
	relayed
	input.break_glass != null
}

denials contains "A call relayed by a suite service carries no safety override; the override is the worker's own act over their own party's certificate (Bijlage 3, safety override)." if relay_with_override

# What refuses a request whatever the checks of permitted say: the reasons above that no check
# of permitted implies (an invalid override, a closure, a restriction, a correction, a relay).
# Every other reason of denials holds only where a check of permitted fails (its negation is
# among that reason's conditions), so permitted tests `not barred` instead of
# count(denials) == 0: the same answer without building every reason, each with its sprintf,
# on the way to an allow (issue #16). An else-chain: it stops at the first that holds.
default barred := false

barred if {
	override_invalid
} else := true if {
	closure_bars
} else := true if {
	restriction_bars
} else := true if {
	superseded
} else := true if {
	relay_not_pre_read
} else := true if {
	relay_with_override
}

# ---------------------------------------------------------------------------------------------
# Reasons for an allow, and obligations
# ---------------------------------------------------------------------------------------------

grants contains sprintf("The provider's usage terms permit the purpose %v at this time (art. 16.2).", [input.purpose]) if permitted

grants contains sprintf("Party %v provided this item itself and keeps its own powers (art. 16.1).", [party_shown]) if {
	permitted
	own_item
}

grants contains sprintf("Party %v is involved in case %v as %v and category %v is in its information need (art. 8.4c).", [party_shown, input.case.id, involvement.role, item.category]) if {
	permitted
	party_action
	not own_item
}

grants contains "The provider agreed that this item may be read before the case meeting (art. 12.2f)." if {
	permitted
	input.action == "pre_read"
}

grants contains "The provider allows this item to be passed on (art. 16.2)." if {
	permitted
	input.action == "onward_share"
}

grants contains sprintf("The provider %v gave prior written consent to release item %v to %v (art. 9.2).", [item.provider, item.id, party]) if {
	permitted
	input.action == "third_party_release"
}

grants contains sprintf("Person %v of party %v has a part in case %v as its %v (art. 8.4c, 12.3, 13.1, Bijlage 3).", [requester_person, requester_party, input.case.id, part]) if {
	permitted
	some part in requester_parts
}

grants contains sprintf("The legal basis is %v; no consent of the data subject is needed (art. 15.2).", [item.legal_basis]) if {
	permitted
	not consent_required
}

grants contains "The required consent of the data subject (or parent/guardian) is recorded (Bijlage 3, consent rules)." if {
	permitted
	subject_consent
}

grants contains sprintf("Safety override without consent, after consulting %v; reason: %v. This access is logged as break-glass, the provider is notified and it will be reviewed (Bijlage 3, safety override).", [input.break_glass.consulted_colleague, input.break_glass.justification]) if {
	permitted
	break_glass_used
}

obligations contains {"type": "redact", "fields": sort(terms.summary_only_fields), "reason": "The provider allows only a summary of these fields (art. 16.2)."} if {
	permitted
	some _ in terms_summary_only_fields
}

obligations contains {"type": "log_break_glass", "justification": input.break_glass.justification, "consulted_colleague": input.break_glass.consulted_colleague, "reason": "Safety override: record the reason and who was consulted (Bijlage 3)."} if break_glass_used

obligations contains {"type": "notify_provider", "provider": item.provider, "reason": "The provider decides on the use of its information and must learn of an override (art. 16.2)."} if break_glass_used

obligations contains {"type": "review", "reason": "Every safety override is reviewed afterwards (Bijlage 3)."} if break_glass_used

obligations contains {"type": "inform_subject", "reason": "The client is always told why the worker acted without consent (Bijlage 3, safety override)."} if break_glass_used

# ---------------------------------------------------------------------------------------------
# The decision
# ---------------------------------------------------------------------------------------------

default decision := {
	"allow": false,
	"reasons": ["No rule permitted this disclosure; denied by default (art. 16.2: the provider decides)."],
	"obligations": [],
}

decision := {
	"allow": true,
	"reasons": sort([r | some r in grants]),
	"obligations": [o | some o in obligations],
} if permitted

# A requester with no part in the case who did not provide the item learns nothing of the case
# from a refusal (art. 8.4c, Bijlage 3; ADR 0005): only why they have no part in it, never the
# subject's age or consents, the provider's terms, a closure, restriction or correction. A
# requester without a part is always refused (both routes need a part), so part_denials is
# never empty then; the other reasons still decide (permitted counts them all).
default outsider := false

outsider if {
	not requester_has_part
	not requester_provides_item
}

shown_denials := part_denials if outsider

else := denials

# A refusal also says whether the requester has a part in the case: asked for a case's items of
# a category it holds none of, the service answers NOT_FOUND only to a person with a part, and
# refuses anyone else as it would for such an item, so that no one outside the case learns which
# categories it holds (or whether it exists).
#
# The condition is on shown_denials, not denials: for an outsider they are part_denials, never
# empty then, and denials holds them too, so both say the same; an outsider's refusal then
# computes only the reasons it shows, not every reason (issue #16: each costs rule calls,
# comparisons and a sprintf on the embedded engine).
#
# And whether the requester's party needs the item (it provided it, or its category is in the
# information need of its role; for a third-party release the requester's own need): asked for
# a case's items, a person with a part is shown none its party does not need, not even among the
# refused (their ids, categories and the provider's terms are case information it has no need
# for, art. 8.4c); the refusal is logged all the same. Asked only of a person with a part (the
# service reads it only then), so an outsider's refusal costs no need-to-know check (issue #16).
default requester_needs_item := false

requester_needs_item if {
	requester_has_part
	party_action
	need_to_know
}

requester_needs_item if {
	requester_has_part
	input.action == "third_party_release"
	requester_need_to_know
}

# And, to a person with a part whose party does not need the item, the reasons an item id that
# names no item gets (the service decides that on a case nobody has a part in: the part reasons
# of an outsider, never the named process director's): asked by item id, such a person is told
# of the item exactly what it is told of an id never given out, in the same one decision, so
# neither the answer nor its cost tells that the case holds the item (art. 8.4c, 15.1). Empty
# for anyone else (computed only then, issue #16).
default unknown_item_reasons := []

unknown_item_reasons := sort([no_part_reason, not_involved_reason]) if {
	requester_has_part
	not requester_needs_item
	party_action
} else := [no_part_reason] if {
	requester_has_part
	not requester_needs_item
}

decision := {
	"allow": false,
	"reasons": sort([r | some r in shown_denials]),
	"obligations": [],
	"requester_has_part": requester_has_part,
	"requester_needs_item": requester_needs_item,
	"unknown_item_reasons": unknown_item_reasons,
} if {
	not permitted
	not shown_denials == set()
}

# The facts that mattered, for the decision explainer (zorgtafel policy explain).
checks := {
	"action is known": action_known,
	"item not retracted (art. 16.2)": not_retracted,
	"legal basis recorded (art. 15.2)": legal_basis_known,
	"purpose permitted by the provider (art. 16.2)": purpose_permitted,
	"within the provider's expiry (art. 16.2)": within_expiry,
	"recipient is an active party (art. 8.4c, 23.2)": recipient_active_party,
	"recipient is a third party (art. 1.8)": recipient_third_party,
	"need to know (art. 8.4c)": need_to_know,
	"role may see the dossier (Bijlage 3)": role_may_see_dossier,
	"provider's recipient parties (art. 16.2)": terms_party_permitted,
	"provider's recipient roles (art. 16.2)": terms_role_permitted,
	"pre-read agreed when needed (art. 12.2f)": pre_read_agreed,
	"onward sharing agreed when needed (art. 16.2)": onward_sharing_agreed,
	"provider's written consent for a third party (art. 9.2)": provider_written_consent,
	"requester has a part in the case (art. 8.4c, Bijlage 3)": requester_has_part,
	"requester without a part, not the provider: refused by its part only (art. 8.4c)": outsider,
	"requester is the recipient (read, pre_read, onward_share)": recipient_is_requester,
	"requester is an active party (art. 9.2)": requester_active_party,
	"requester's party needs the item (art. 8.4c, 9.2)": requester_need_to_know,
	"consent needed (legal basis consent)": consent_required,
	"consent of subject/guardian recorded (Bijlage 3)": subject_consent,
	"valid safety override (Bijlage 3)": break_glass_valid,
	"relayed by a suite service (pre-read only, art. 12.2f)": relayed,
	"case closed (art. 1.2)": case_closed,
	"restricted on the subject's request (GDPR art. 18)": restricted,
	"the provider reading its own item (art. 16.1)": provider_own_read,
}
