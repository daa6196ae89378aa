# METADATA
# title: Who may read or act on a nomination (art. 1.1, 1.15, 8.4c, 12.2a, 12.3, 16.2, Bijlage 3)
# description: >-
#   The nomination holds the subject's identity, provided by the nominating party (art. 12.2a:
#   information is exchanged between the process director and the nominating party; the
#   nominating party is its provider, art. 16.2). A token role says what job a person has, never
#   that they direct this nomination (ADR 0005): a person is a process director only when the
#   roster holds them as one (principal.functions, art. 11.2, 12.1). Until a process director
#   takes a nomination up (the first assessment, or an escalation from the queue) any designated
#   process director may read and take it up (the intake queue); afterwards only THAT person
#   acts on it, on behalf of the nominating party (art. 12.3). A party asked in a triage round
#   learns only what it needs to answer (art. 1.15, 8.4c). Only the nominating party withdraws
#   its own nomination (art. 16.1). With the subject's consent refused and no safety override
#   recorded, or withdrawn since (the consent as disclosure last recorded it), nothing is shared
#   beyond the nominating party and its process director, also not with the parties asked in
#   triage (Bijlage 3, MO Den Bosch policy, GDPR art. 7(3)); escalation to a ZVH stays possible
#   (Bijlage 2). A person who nominated
#   known persons as often as the limit allows within the window nominates no more until it has
#   passed, nor any person of a party whose persons together reached the party's limit
#   (Bijlage 3, GDPR art. 32: no probing for "is this person known?"). Managers seated on
#   the roster read the probing flags (art. 11). A designated process director lists the intake
#   queue and what it took up (the list_scope obligations), nothing else (art. 12.3). The
#   nominating party's usage terms bind everyone but the person who nominated (art. 16.2): after
#   their expiry (held against input.now) nobody else reads or acts on the nomination, and a
#   non-empty list of recipient parties bounds who reads it and who is asked in triage; the
#   worklist holds only what these terms let its reader act on (the list_terms obligation).
#   Input contract: schemas/intake.access.input.schema.json. Query: data.zorgtafel.intake.access.decision
# custom:
#   articles: ["art. 1.1", "art. 1.15", "art. 8.4c", "art. 11", "art. 12.2a", "art. 12.3", "art. 16.1", "art. 16.2", "Bijlage 2", "Bijlage 3"]
package zorgtafel.intake.access

import rego.v1

import data.zorgtafel.lib

principal := lib.object_at(input, "principal")

nomination := lib.object_at(input, "nomination")

party := object.get(principal, "party", "")

person := object.get(principal, "person", "")

functions := {f | some f in lib.array_at(principal, "functions")}

director := lib.object_at(nomination, "process_director")

known_actions := {
	"read_nomination", "withdraw_nomination", "read_triage_question", "answer_triage",
	"ask_in_triage", "assess", "start_triage", "decide_routing", "record_safety_override",
	"nominate", "list_probing_flags", "list_nominations",
}

is_nominating_party if {
	party != ""
	party == nomination.nominating_party
}

# Bijlage 3, 8.4c: of the nominating party, the person who nominated has the part in it (the
# provider's worker of art. 12.2a); a colleague whose token carries the same role does not.
# A person id names its person without case, here and below ("PD-1" is pd-1: the kernel's
# validate.same_person, the token's subject; lib.same_person).
is_nominator if {
	is_nominating_party
	person != ""
	lib.same_person(person, nomination.nominated_by)
}

# art. 11.2, 12.1: designated by the managers, as the roster holds it; the token role alone
# grants nothing.
is_designated if {
	party != ""
	person != ""
	"process_director" in functions
}

has_director if object.get(director, "person", "") != ""

# art. 12.3: the designated person who took this nomination up directs it.
is_its_director if {
	is_designated
	has_director
	object.get(director, "party", "") == party
	lib.same_person(object.get(director, "person", ""), person)
}

# The intake queue: nobody has taken the nomination (or the one it is linked to) up yet. A
# linked nomination comes with the one it is linked to: linked to nothing (that one was
# forgotten) it has no process director and is in nobody's queue (art. 12.3, fail closed).
in_queue if {
	object.get(nomination, "status", "") == "nominated"
	not has_director
}

in_queue if {
	object.get(nomination, "status", "") == "linked"
	object.get(nomination, "linked_to_case_id", "") != ""
	not has_director
}

# art. 12.3: taken up, but the designation of its process director ended (revoked, or the
# party left the covenant): intake took that person off it (governance's RosterChanged), and it
# is back in the queue as it stands (assessed, its triage round running).
left_by_its_director if {
	object.get(nomination, "status", "") in {"qualified", "triage"}
	not has_director
}

in_queue if left_by_its_director

in_triage if object.get(nomination, "status", "") == "triage"

default may_direct := false

may_direct if is_its_director

may_direct if {
	is_designated
	in_queue
}

# Who acts on a nomination taken up: its process director, or a designated one taking up one
# its process director left (art. 12.3; the service records the taking up).
default directs := false

directs if is_its_director

directs if {
	is_designated
	left_by_its_director
}

is_asked if {
	party != ""
	party in lib.array_at(nomination, "asked_parties")
}

# Bijlage 3: consent given or not asked allows sharing; refused (or an override stated but not
# recorded) needs a recorded safety override. The consent as it stands now: the nominating
# party's statement until disclosure records the subject's consent for the case, then its latest
# (a withdrawal, GDPR art. 7(3), or a new consent).
default consent_allows_sharing := false

consent_allows_sharing if not object.get(nomination, "consent", "") in consent_needs_override

consent_needs_override := {"refused", "safety_override", "withdrawn"}

default consent_withdrawn := false

consent_withdrawn if nomination.consent == "withdrawn"

consent_allows_sharing if nomination.safety_override == true

escalations := {"zvh_brabant_zuidoost", "zvh_brabant_noordoost"}

routing := object.get(input, "routing", "")

probing := lib.object_at(input, "probing")

default within_probe_limit := false

# Numbers only: the engines order values of different types differently (regorus: false < 3,
# regopy: "x" < 3), so a count that is not a number let the nomination through on one or the
# other; it now counts as over the limit on both (fail closed).
within_probe_limit if {
	within_person_limit
	within_party_limit
}

default within_person_limit := false

within_person_limit if {
	is_number(probing.matches)
	is_number(probing.limit)
	probing.matches < probing.limit
}

# The party's persons together: a party that lets many persons (or person ids in its tokens)
# nominate known persons once each is probing as much as one person who does it often.
default within_party_limit := false

within_party_limit if {
	is_number(probing.party_matches)
	is_number(probing.party_limit)
	probing.party_matches < probing.party_limit
}

# -- art. 16.2: the nominating party's usage terms ------------------------------------------------
# The provider decides how its information may be used: its terms travel with the nomination.
# The time of the request comes from the service (input.now); the policy reads no clock.
terms := lib.object_at(nomination, "usage_terms")

terms_recipient_parties := lib.array_at(terms, "recipient_parties")

now_ns := lib.ns(input.now)

# The actions on a nomination; nominating and the lists name none.
nomination_actions := known_actions - {"nominate", "list_probing_flags", "list_nominations"}

default terms_known := false

terms_known if is_object(nomination.usage_terms)

# "until when": no expiry, or now is before it.
default terms_current := false

terms_current if object.get(terms, "expires_at", null) == null

terms_current if now_ns < lib.ns(terms.expires_at)

# "who may use it": no list (any party the covenant lets in), the nominating party itself (its
# own information), or a party the list names.
default terms_name_party := false

terms_name_party if count(terms_recipient_parties) == 0

terms_name_party if is_nominating_party

terms_name_party if party in terms_recipient_parties

# An asked party learns the pseudonym, the themes and the question (1.15): only a party the
# terms name is asked.
candidate := lib.object_at(input, "candidate")

default candidate_named := false

candidate_named if input.action != "ask_in_triage"

candidate_named if count(terms_recipient_parties) == 0

candidate_named if candidate.party == nomination.nominating_party

candidate_named if candidate.party in terms_recipient_parties

# The person who nominated is the provider's own worker: its own terms do not bind it (it
# reads and withdraws its nomination also after the expiry). Anyone else acts on a nomination
# only within them. Not decided here: recipient_roles (a list of case roles, as disclosure
# matches them against a party's role in a case; intake has no case roles yet, and a token's
# role never decides), purposes (every intake action serves the routing of the nomination), and
# onward_sharing_allowed: asking a party in the triage round is the covenant's own procedure
# (1.15), not passing the nomination on (disclosure gates only its onward_share action on it).
default provider_terms_allow := false

provider_terms_allow if {
	not input.action in nomination_actions
	input.action != "list_nominations"
}

# The worklist holds only what the terms let its reader act on at the time of the request (the
# list_terms obligation below): without that time there is no list (fail closed).
provider_terms_allow if {
	input.action == "list_nominations"
	now_ns
}

provider_terms_allow if is_nominator

provider_terms_allow if {
	terms_known
	terms_current
	terms_name_party
	candidate_named
}

default allowed := false

allowed if {
	relationship_allows
	provider_terms_allow
	not held_by_restriction
}

# -- Bijlage 3 "afschermen", GDPR art. 18: the controller granted the subject's restriction of
# the case (disclosure's fact; absent: not restricted). Its data is only kept: nothing is shared
# beyond the nominating party and its process director (they still read it, the provider's own
# information, art. 16.1, 12.3): no triage round started, no party asked, no question read or
# answered by an asked party, no case meeting routed. Escalation and regular care stay possible.
default restricted := false

restricted if nomination.restricted == true

default held_by_restriction := false

held_by_restriction if {
	restricted
	input.action in {"start_triage", "ask_in_triage", "answer_triage"}
}

held_by_restriction if {
	restricted
	input.action == "read_triage_question"
	not directs
}

held_by_restriction if {
	restricted
	input.action == "decide_routing"
	routing == "case_meeting"
}

default relationship_allows := false

# art. 1.1: a party nominates, unless this person is rate-limited for probing.
relationship_allows if {
	input.action == "nominate"
	party != ""
	within_probe_limit
}

# art. 12.2a, 16.2: the provider reads its nomination, through the person who nominated.
relationship_allows if {
	input.action == "read_nomination"
	is_nominator
}

# art. 12.2a, 12.3: its process director, or any designated one while it is in the queue.
relationship_allows if {
	input.action in {"read_nomination", "assess"}
	may_direct
}

# art. 16.1: the nominating party withdraws what it nominated (by the person who nominated).
relationship_allows if {
	input.action == "withdraw_nomination"
	is_nominator
}

# art. 1.15, 8.4c: asked parties read the question while the round is on (its only use is
# answering it): not after the nomination was routed (the round is over; an invited party
# learns what it needs from the case meeting, 12.2e), withdrawn (16.1), rejected or closed.
# Bijlage 3: only while the subject's consent (or a recorded safety override) lets the
# nomination be shared: a consent withdrawn during the round ends the asked parties' part.
relationship_allows if {
	input.action == "read_triage_question"
	is_asked
	in_triage
	consent_allows_sharing
}

# art. 1.15: asked parties answer it; an answer outside the round is refused by the service,
# FAILED_PRECONDITION naming the state (the asked party may know it). Bijlage 3: not after the
# subject withdrew its consent (the answer shares the party's information about the subject).
relationship_allows if {
	input.action == "answer_triage"
	is_asked
	consent_allows_sharing
}

# The process director who runs the triage reads the question it asked.
relationship_allows if {
	input.action == "read_triage_question"
	directs
}

# art. 1.15, 12.2b, 12.3: its process director asks other parties, with consent or a recorded
# safety override (Bijlage 3).
relationship_allows if {
	input.action == "start_triage"
	directs
	consent_allows_sharing
}

# art. 1.15, 21.3, 23.2: only an active party of the covenant is asked in a triage round (it
# learns the pseudonym, the themes and the question).
relationship_allows if {
	input.action == "ask_in_triage"
	directs
	consent_allows_sharing
	input.candidate.status == "active"
}

# Bijlage 2: escalation to a ZVH at any time, also from the queue (taking it up).
relationship_allows if {
	input.action == "decide_routing"
	routing in escalations
	may_direct
}

relationship_allows if {
	input.action == "decide_routing"
	routing == "regular_care"
	directs
}

# 12.2e, Bijlage 3: a case meeting shares the subject's data with the invitees.
relationship_allows if {
	input.action == "decide_routing"
	routing == "case_meeting"
	directs
	consent_allows_sharing
}

# Bijlage 3: the safety override is recorded by the nomination's process director.
relationship_allows if {
	input.action == "record_safety_override"
	directs
}

# art. 11: the managers follow up probing.
relationship_allows if {
	input.action == "list_probing_flags"
	party != ""
	person != ""
	"manager" in functions
}

# art. 12.2a, 12.3: a designated process director lists the nominations it may act on. What the
# list holds is decided by relationship (the obligations below), never by the token role.
relationship_allows if {
	input.action == "list_nominations"
	is_designated
}

# The worklist's scopes: the intake queue (any designated process director may take a nomination
# up from it) and the nominations this person took up (only they act on them, 12.3). The service
# lists the union of the scopes named here, nothing else (no scope: nothing).
obligations contains {"type": "list_scope", "scope": "intake_queue", "reason": "A designated process director may take up a nomination from the intake queue (art. 12.2a, art. 12.3)."} if {
	input.action == "list_nominations"
	allowed
}

obligations contains {"type": "list_scope", "scope": "taken_up_by_caller", "reason": "The nomination's process director acts on it on behalf of the nominating party (art. 12.3)."} if {
	input.action == "list_nominations"
	allowed
}

# art. 16.2: the list holds only the nominations whose provider's terms let this reader act on
# them at input.now, decided once for the whole list as terms_current and terms_name_party
# decide for one nomination: not expired, and no list of recipient parties, or one naming the
# reader's party, or the reader's party nominated it. The service lists nothing without it.
obligations contains {"type": "list_terms", "scope": "current_and_naming_party", "reason": "The nominating party's usage terms decide who reads and acts on its nomination: the worklist holds only nominations whose terms have not expired and do not bound the recipient parties to others than the reader's party (art. 16.2)."} if {
	input.action == "list_nominations"
	allowed
}

# The nominating party that is not also its process director sees its nomination without the
# pseudonym or the links (issue 13 point 7: the nominator learns nothing of other nominations).
obligations contains {"type": "nominator_view", "reason": "The nominating party is not told whether the person is known to the Zorgtafel (Bijlage 3, GDPR art. 32)."} if {
	input.action == "read_nomination"
	allowed
	not may_direct
}

# art. 1.15, 8.4c, 15.1, 16.2: an asked party's triage answer (whether it knows the person, and
# its contribution) is that party's own information, given to the process director for the
# routing; the nominating party is not its recipient. The nominator's view holds the triage
# round only as far as its own party was asked (who else was consulted is the process
# director's working information, 12.2b, 12.3). Without this obligation the service shows the
# nominator no triage answer at all (fail closed).
obligations contains {"type": "triage_view", "scope": "own_party", "reason": "Another party's triage answer is its own information for the process director; the nominating party sees only its own party's part in the triage round (art. 1.15, art. 8.4c, art. 15.1, art. 16.2)."} if {
	input.action == "read_nomination"
	allowed
	not may_direct
}

grants contains "The nominating party provided this information and may read it (art. 12.2a, art. 16.2)." if {
	allowed
	input.action == "read_nomination"
	is_nominator
}

grants contains "The nomination's process director acts on it on behalf of the nominating party (art. 12.2a, art. 12.3)." if {
	allowed
	is_its_director
}

grants contains "A designated process director may take up a nomination from the intake queue (art. 12.2a, art. 12.3)." if {
	allowed
	not is_its_director
	is_designated
	in_queue
	input.action in {"read_nomination", "assess", "decide_routing"}
}

grants contains "The designation of the process director who took this nomination up ended: any designated process director may take it up from the intake queue as it stands (art. 12.3)." if {
	allowed
	not is_its_director
	is_designated
	left_by_its_director
}

grants contains "The person who nominated withdraws the nomination for the nominating party (art. 16.1)." if {
	allowed
	input.action == "withdraw_nomination"
}

grants contains "The party was asked in the triage round and learns what it needs to answer (art. 1.15, art. 8.4c)." if {
	allowed
	input.action in {"read_triage_question", "answer_triage"}
	is_asked
}

grants contains "An active party of the covenant may be asked in a triage round (art. 1.15)." if {
	allowed
	input.action == "ask_in_triage"
}

grants contains "A party nominates a case (art. 1.1)." if {
	allowed
	input.action == "nominate"
}

grants contains "A designated process director sees the intake queue and the nominations it took up (art. 11.2, art. 12.2a, art. 12.3)." if {
	allowed
	input.action == "list_nominations"
}

grants contains "A manager of the Zorgtafel follows up probing flags (art. 11, Bijlage 3)." if {
	allowed
	input.action == "list_probing_flags"
}

# -- denials -------------------------------------------------------------------------------------
directed_actions := {
	"assess", "start_triage", "ask_in_triage", "decide_routing", "record_safety_override",
	"read_nomination", "read_triage_question",
}

denials contains "Only the person who nominated and the nomination's process director read a nomination; other parties, and colleagues without a part in it, see nothing of it (art. 8.4c, art. 12.2a, art. 12.3, Bijlage 3)." if {
	input.action == "read_nomination"
	not relationship_allows
}

denials contains "The caller is not designated as a process director: a token role alone grants nothing; the managers designate process directors (art. 11.2, art. 12.1)." if {
	input.action in directed_actions
	not relationship_allows
	not is_designated
	not is_nominating_party
	not is_asked
}

denials contains "Only the nomination's own process director acts on it, on behalf of the nominating party; a process director of another nomination or case has no part in it (art. 12.3, art. 8.4c)." if {
	input.action in directed_actions
	not relationship_allows
	is_designated
	not may_direct
	not is_asked
}

denials contains "The subject refused consent and no safety override is recorded: nothing is shared beyond the nominating party and its process director (Bijlage 3, consent, MO Den Bosch policy); escalation to a ZVH stays possible (Bijlage 2)." if {
	input.action in {"start_triage", "ask_in_triage", "decide_routing"}
	not relationship_allows
	directs
	not consent_allows_sharing
	not consent_withdrawn
}

denials contains "The subject withdrew its consent and no safety override is recorded: from the withdrawal on nothing is shared beyond the nominating party and its process director, also not with the parties asked in the triage round, until a new consent or a recorded safety override (Bijlage 3, consent, GDPR art. 7(3)); escalation to a ZVH and regular care stay possible (Bijlage 2)." if {
	input.action in {"start_triage", "ask_in_triage", "decide_routing", "read_triage_question", "answer_triage"}
	not relationship_allows
	consent_withdrawn
	not consent_allows_sharing
	sharing_part
}

# Who had a part in sharing the nomination: its process director, or a party asked in triage.
sharing_part if directs

sharing_part if is_asked

denials contains "The subject refused consent and no safety override is recorded: the parties asked in the triage round read nothing of it (Bijlage 3, consent, MO Den Bosch policy)." if {
	input.action in {"read_triage_question", "answer_triage"}
	not relationship_allows
	is_asked
	not consent_allows_sharing
	not consent_withdrawn
}

denials contains "Only the person who nominated withdraws the nomination for the nominating party; a colleague without a part in it does not (art. 16.1, Bijlage 3)." if {
	input.action == "withdraw_nomination"
	not relationship_allows
}

denials contains "Only parties asked in the triage round see its question or answer it (art. 1.15, art. 8.4c)." if {
	input.action in {"read_triage_question", "answer_triage"}
	not relationship_allows
	not is_asked
}

denials contains sprintf("The triage round is over (the nomination is %v): an asked party reads the question only while it can answer it (art. 1.15, art. 8.4c).", [object.get(nomination, "status", null)]) if {
	input.action == "read_triage_question"
	not relationship_allows
	is_asked
	not in_triage
}

denials contains sprintf("Party %v has status %v; only active parties of the covenant are asked in a triage round (art. 1.15, art. 21.3, art. 23.2).", [object.get(candidate, "party", null), object.get(candidate, "status", null)]) if {
	input.action == "ask_in_triage"
	directs
	consent_allows_sharing
	not relationship_allows
}

denials contains sprintf("Repeated nominations of persons already known are rate-limited to prevent identification: %v in %v s reached the limit of %v; the managers are informed (Bijlage 3, GDPR art. 32).", [object.get(probing, "matches", null), object.get(probing, "window_s", null), object.get(probing, "limit", null)]) if {
	input.action == "nominate"
	not relationship_allows
	within_party_limit
}

denials contains sprintf("Repeated nominations of persons already known are rate-limited per party too, whichever of its persons nominates: %v of this party in %v s reached the party's limit of %v; the managers are informed (Bijlage 3, GDPR art. 32).", [object.get(probing, "party_matches", null), object.get(probing, "window_s", null), object.get(probing, "party_limit", null)]) if {
	input.action == "nominate"
	not within_party_limit
}

denials contains "Only a process director designated on the roster has a worklist of nominations: a token role alone grants nothing; the managers designate process directors (art. 11.2, art. 12.1, art. 12.3)." if {
	input.action == "list_nominations"
	not relationship_allows
}

denials contains "The time of the request is missing or not a valid RFC 3339 time: the worklist holds only nominations whose usage terms are current; denied because a fact is missing (art. 16.2)." if {
	input.action == "list_nominations"
	relationship_allows
	not now_ns
}

denials contains "Only a manager of the Zorgtafel, seated on the roster, reads the probing flags (art. 11, Bijlage 3)." if {
	input.action == "list_probing_flags"
	not relationship_allows
}

# art. 16.2: a caller with a part in the nomination, refused by the provider's terms (a caller
# without a part is told only that, not the terms).
terms_refused if {
	input.action in nomination_actions
	relationship_allows
	not provider_terms_allow
}

denials contains "The nominating party's usage terms are missing; denied because a fact is missing (art. 16.2)." if {
	terms_refused
	not terms_known
}

denials contains sprintf("The nominating party allowed use of this nomination only until %v; after that only the person who nominated reads or withdraws it (art. 16.2).", [terms.expires_at]) if {
	terms_refused
	now_ns
	not terms_current
}

denials contains "The time of the request is missing or not a valid RFC 3339 time; denied because a fact is missing (art. 16.2)." if {
	terms_refused
	not now_ns
}

denials contains sprintf("The nominating party allows this nomination only for the parties %v; party %v is not one of them (art. 16.2).", [terms_recipient_parties, party]) if {
	terms_refused
	not terms_name_party
}

denials contains sprintf("The nominating party allows this nomination only for the parties %v; party %v is not asked in its triage round (art. 16.2).", [terms_recipient_parties, object.get(candidate, "party", null)]) if {
	terms_refused
	not candidate_named
}

denials contains "The data subject's restriction of this case was granted: it is only kept and shared with no party beyond the nominating party and its process director (no triage, no case meeting) until a later decision lifts it (Bijlage 3 'afschermen', GDPR art. 18)." if {
	relationship_allows
	held_by_restriction
}

denials contains sprintf("Unknown action %v; denied by default.", [object.get(input, "action", null)]) if {
	not input.action in known_actions
}

default decision := {"allow": false, "reasons": ["No rule permitted this; denied by default (Bijlage 3)."], "obligations": []}

decision := {"allow": true, "reasons": sort([r | some r in grants]), "obligations": [o | some o in obligations]} if allowed

decision := {"allow": false, "reasons": sort([r | some r in denials]), "obligations": []} if {
	not allowed
	count(denials) > 0
}
