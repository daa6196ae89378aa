"""Events on ``zorgtafel.governance.v1`` (key: party_id, or decision_id for decisions)."""

_NS = "nl.zorgtafel.governance"

# data: party_id, name, kind, status, status_since (ISO 8601)
PARTY_REGISTERED = f"{_NS}.party.registered.v1"
PARTY_JOINED = f"{_NS}.party.joined.v1"          # accession completed (art. 20)
PARTY_WITHDREW = f"{_NS}.party.withdrew.v1"      # art. 21.3 / 23.1
PARTY_EXCLUDED = f"{_NS}.party.excluded.v1"      # art. 23.2, immediate effect
PARTY_STATUS_EVENTS = (PARTY_REGISTERED, PARTY_JOINED, PARTY_WITHDREW, PARTY_EXCLUDED)

# data: decision_id, body, proposal_id, kind, outcome ("adopted"|"rejected"|"referred"),
#       consensus (bool), binding (bool), decided_at
DECISION_TAKEN = f"{_NS}.decision.taken.v1"
# data: revision, work_process_version, decision_id, adopted_at
POLICY_REVISION_ADOPTED = f"{_NS}.policy_revision.adopted.v1"
# data: body, subject_code, decision_id, informed ("partner_council"|"regional_board"|
#       "all_parties") -- the secretaries' duty to inform (5.4 / 7.4 / 20.3 / 6.6c)
PARTIES_INFORMED = f"{_NS}.parties.informed.v1"
# data: accession_id, party_id (the applicant), applied_at -- art. 20.2
ACCESSION_APPLIED = f"{_NS}.accession.applied.v1"
# data: notice_id, party_id, reason_code, recorded_at -- art. 23.2
NOTICE_OF_DEFAULT_RECORDED = f"{_NS}.notice_of_default.recorded.v1"
# data: withdrawal_id, party_id, amendment_id, effective_at -- art. 21.3 / 23.1 (announced)
WITHDRAWAL_ANNOUNCED = f"{_NS}.withdrawal.announced.v1"
# data: dispute_id, about, forum, status -- art. 11.4, 12.4, 13.4
DISPUTE_CHANGED = f"{_NS}.dispute.changed.v1"
