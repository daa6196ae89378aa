"""Intake's vocabulary: the codes a nomination is described in (life domains, chains, consent,
status, routing...) and the limits on every string and list a caller sends. Pure Python."""

from __future__ import annotations

import enum

# -- limits (every string and list has one) -------------------------------------------------
MAX_NAME = 200
MAX_DESCRIPTION = 2000
MAX_REASONS = 4000
MAX_QUESTION = 2000
MAX_CONTRIBUTION = 2000
MAX_GOAL = 2000
MAX_PROBLEMS = 20
MAX_CHAINS = 10
MAX_THEMES = 20
MAX_DECISION_TYPES = 20
MAX_PARTIES = 40
MAX_TERMS_ITEMS = 50
MAX_TRIAGE_DAYS = 60


class AgeBand(str, enum.Enum):
    UNDER_12 = "under_12"
    AGE_12_TO_16 = "12_to_16"
    PLUS_16 = "16_plus"
    UNKNOWN = "unknown"


class LifeDomain(str, enum.Enum):
    HOUSING = "housing"
    INCOME_AND_DEBT = "income_and_debt"
    WORK_AND_EDUCATION = "work_and_education"
    PHYSICAL_HEALTH = "physical_health"
    MENTAL_HEALTH = "mental_health"
    ADDICTION = "addiction"
    SOCIAL_NETWORK = "social_network"
    FAMILY = "family"
    SAFETY = "safety"
    LEGAL_AND_RESIDENCE = "legal_and_residence"
    DAILY_LIVING = "daily_living"


class Chain(str, enum.Enum):
    CARE = "care"
    SAFETY = "safety"
    COERCION_AND_PRESSURE = "coercion_and_pressure"
    YOUTH = "youth"
    SOCIAL_DOMAIN = "social_domain"
    MIGRATION = "migration"


class ConsentStatus(str, enum.Enum):
    GIVEN = "given"
    REFUSED = "refused"
    NOT_ASKED = "not_asked"
    SAFETY_OVERRIDE = "safety_override"


class Status(str, enum.Enum):
    NOMINATED = "nominated"
    QUALIFIED = "qualified"
    REJECTED = "rejected"
    TRIAGE = "triage"
    ROUTED = "routed"
    WITHDRAWN = "withdrawn"
    LINKED = "linked"
    CLOSED = "closed"


# What the nominating party is told of a nomination the process director has not assessed yet,
# linked to another nomination of the subject or not: "received", by every route (GetNomination,
# its privacy officer's export; issue 13 point 7: no oracle for "is this person known?").
NOT_YET_ASSESSED = frozenset({Status.NOMINATED, Status.LINKED})
RECEIVED = "received"


# A subject is "open" (a new nomination is linked to it) while its nomination is nominated,
# qualified or in triage, or routed to a case meeting until casework closes the case. Regular
# care, a ZVH, rejection and withdrawal end it (``open_subject_tokens`` in the adapters).


class RejectionReason(str, enum.Enum):
    CRITERIA_NOT_MET = "criteria_not_met"
    REGULAR_CARE_SUFFICES = "regular_care_suffices"
    INSUFFICIENT_INFORMATION = "insufficient_information"
    OTHER = "other"


class TriageAnswerKind(str, enum.Enum):
    KNOWN = "known"
    NOT_KNOWN = "not_known"
    INVOLVED = "involved"


class Routing(str, enum.Enum):
    CASE_MEETING = "case_meeting"
    REGULAR_CARE = "regular_care"
    ZVH_BRABANT_ZUIDOOST = "zvh_brabant_zuidoost"
    ZVH_BRABANT_NOORDOOST = "zvh_brabant_noordoost"

    @property
    def is_escalation(self) -> bool:
        return self in (Routing.ZVH_BRABANT_ZUIDOOST, Routing.ZVH_BRABANT_NOORDOOST)
