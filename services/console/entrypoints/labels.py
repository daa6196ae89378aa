"""Plain-language names for the services' codes, translatable (Dutch first)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

CODES = {
    # life domains
    "housing": _l("Housing"),
    "income_and_debt": _l("Income and debt"),
    "work_and_education": _l("Work and education"),
    "physical_health": _l("Physical health"),
    "mental_health": _l("Mental health"),
    "addiction": _l("Addiction"),
    "social_network": _l("Social network"),
    "family": _l("Family"),
    "safety": _l("Safety"),
    "legal_and_residence": _l("Legal status and residence"),
    "daily_living": _l("Daily living"),
    # chains
    "care": _l("Care"),
    "coercion_and_pressure": _l("Coercion and pressure"),
    "youth": _l("Youth"),
    "social_domain": _l("Social domain"),
    "migration": _l("Migration"),
    # age bands
    "under_12": _l("Under 12"),
    "12_to_16": _l("12 to 16"),
    "16_plus": _l("16 or older"),
    "unknown": _l("Unknown"),
    # consent
    "given": _l("Given"),
    "refused": _l("Refused"),
    "not_asked": _l("Not asked"),
    "safety_override": _l("Shared without consent for safety"),
    # nomination status
    "nominated": _l("Nominated"),
    "received": _l("Received"),
    "qualified": _l("Qualifies"),
    "rejected": _l("Does not qualify"),
    "triage": _l("In triage"),
    "routed": _l("Routed"),
    "withdrawn": _l("Withdrawn"),
    "linked": _l("Linked to another nomination"),
    "closed": _l("Closed"),
    # triage answers
    "known": _l("Known"),
    "not_known": _l("Not known"),
    "involved": _l("Involved"),
    # routings
    "case_meeting": _l("Case meeting"),
    "regular_care": _l("Regular care"),
    "zvh_brabant_zuidoost": _l("Zorg- en Veiligheidshuis Brabant Zuidoost"),
    "zvh_brabant_noordoost": _l("Zorg- en Veiligheidshuis Brabant Noordoost"),
    # rejection reasons
    "criteria_not_met": _l("The criteria are not met"),
    "regular_care_suffices": _l("Regular care is enough"),
    "insufficient_information": _l("Not enough information"),
    "other": _l("Other"),
    # case states
    "open": _l("Opened"),
    "meeting_planned": _l("Meeting planned"),
    "plan_active": _l("Plan in progress"),
    "deescalating": _l("Scaling down"),
    "purged": _l("Removed"),
    "scheduled": _l("Planned"),
    "held": _l("Held"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
    # safety concerns
    "serious_local_safety_problem": _l("Serious local safety problems"),
    "affects_family_or_social_environment": _l("Affects the family or social environment"),
    "multiple_chains_needed": _l("Several chains needed"),
    "acute_danger": _l("Acute danger"),
    # purposes
    "care_coordination": _l("Care coordination"),
    "enforcement": _l("Enforcement"),
    # roles
    "caseworker": _l("Caseworker"),
    "process_director": _l("Process director"),
    "privacy_officer": _l("Privacy officer"),
    "case_director": _l("Case director"),
    "auditor": _l("Auditor"),
    # decisions and sections
    "allow": _l("Allowed"),
    "deny": _l("Refused"),
    "read": _l("Read"),
    "pre_read": _l("Read before the meeting"),
    "third_party_release": _l("Release to a third party"),
    "meetings": _l("Meetings"),
    "plan": _l("Plan of approach"),
    "roles": _l("Roles and information needs"),
    "minutes": _l("Minutes"),
    "subject": _l("Who the person is"),
    "escalation": _l("Escalation"),
    "actions": _l("Plan of approach"),
    # subject requests (Bijlage 3) and their outcomes and refusal grounds
    "correction": _l("Correction"),
    "erasure": _l("Erasure"),
    "restriction": _l("Restriction"),
    "lift_restriction": _l("Lifting a restriction"),
    "objection": _l("Objection"),
    "complaint": _l("Complaint"),
    "granted": _l("Granted"),
    "required_by_law": _l("A law requires keeping the data"),
    "protection_of_client": _l("Keeping it protects the client"),
    "pending_complaint": _l("A complaint is pending"),
    "professional_opinion": _l("A professional opinion is not corrected"),
    # the safety override and what follows it
    "client_informed": _l("Informed"),
    "client_not_yet": _l("Not yet"),
    "log_break_glass": _l("Logged as a safety override with its reason and the colleague"),
    "notify_provider": _l("The provider is told"),
    "review": _l("The privacy officer reviews it"),
    "inform_subject": _l("Inform the client"),
    "redact": _l("Parts only summarised"),
    # the services of the subject data report and the register's changes
    "intake": _l("Intake"),
    "casework": _l("Casework"),
    "governance": _l("Governance"),
    "disclosure": _l("Information exchange"),
    "seeded": _l("First entry"),
    "added": _l("Added"),
    "changed": _l("Changed"),
    "retired": _l("Retired"),
}

# Art. 1.4 / Bijlage 2: the four criteria, read as (A or B) and C and D.
CRITERIA = {
    "a": _l("A. Serious local or area-bound safety problems that need a cross-chain approach"),
    "b": _l("B. The problems affect the family system or the direct social environment"),
    "c": _l("C. Several chains must work together, at least coercion and pressure"),
    "d": _l("D. Problems on more than one life domain"),
}


def label(code: str) -> str:
    return str(CODES.get(code, code.replace("_", " ")))
