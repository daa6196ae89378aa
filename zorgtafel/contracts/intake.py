"""Events on ``zorgtafel.intake.v1`` (key: case_id). ``age_band`` is one of ``under_12``,
``12_to_16``, ``16_plus``, ``unknown``: the only age fact the consent rules need.

Never a name, date of birth, BSN or free text: the subject appears only as
``subject_pseudonym`` (a keyed HMAC of the normalised identity, stable per subject)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from zorgtafel.kernel.events import DomainEvent

_NS = "nl.zorgtafel.intake"

# data: case_id, subject_pseudonym, nominating_party, age_band, nominated_at,
#       linked_to_case_id ("" or the open nomination of the same subject this one is linked to)
CASE_NOMINATED = f"{_NS}.case.nominated.v1"
# data: case_id, qualifies (bool, the process director's decision), advice
#       ("qualifies"|"does_not_qualify", the criteria policy's), criteria_held [..],
#       nominating_party, policy_revision
CASE_ASSESSED = f"{_NS}.case.assessed.v1"
# data: case_id, subject_pseudonym, nominating_party, age_band, routing
#       ("case_meeting"|"regular_care"|"zvh_brabant_zuidoost"|"zvh_brabant_noordoost"),
#       goal_code, themes [..], decision_types [..], invitees [OIN..], process_director_party,
#       process_director_person,
#       reason_code, linked_case_ids [..] (duplicate nominations of the same subject)
CASE_TRIAGED = f"{_NS}.case.triaged.v1"
# data: case_id, nominating_party, reason_code ("criteria_not_met"|"regular_care_suffices"|
#       "insufficient_information"|"other")
CASE_REJECTED = f"{_NS}.case.rejected.v1"
# data: case_id, nominating_party, reason_code
NOMINATION_WITHDRAWN = f"{_NS}.nomination.withdrawn.v1"
# data: case_id, nominating_party, process_director_party, process_director_person,
#       client_informed (bool), recorded_at: a safety override (Bijlage 3) was recorded; its
#       reason, the colleague and how the client was informed stay sealed in intake
SAFETY_OVERRIDE_RECORDED = f"{_NS}.safety_override.recorded.v1"
# data: flag_id, nominating_party, nominated_by (employee id), matches, window_s, flagged_at:
#       a person nominated known persons as often as the limit allows within the window, or
#       (nominated_by empty) the persons of a party together as often as the party's limit
#       allows (Bijlage 3, GDPR art. 32: no probing for "is this person known?"); for the
#       managers.
#       Key: the flag_id. Never subject data.
PROBING_FLAGGED = f"{_NS}.probing.flagged.v1"

# data: case_id: a nomination that ended without a case (rejected, withdrawn, sent back to
#       regular care, escalated to a ZVH) is forgotten after its retention period (Bijlage 3
#       "houdbaarheid", policies/rego/retention): intake destroyed its identity, triage answers
#       and case key; disclosure forgets its projection and case key of the nomination.
#       Ids only.
NOMINATION_FORGOTTEN = f"{_NS}.nomination.forgotten.v1"
# data: case_id, age_band: the subject of a nomination or case in progress moved into another
#       consent age band (Bijlage 3: the band follows the age on the day of the decision).
#       Never a date of birth, nor the day of the change as a field (that would be a birthday).
AGE_BAND_CHANGED = f"{_NS}.age_band.changed.v1"

# Revoking facts (ADR 0012): never parked after handler failures; the partition waits on them
# and the consuming service is not ready until they are applied.
INTAKE_REVOKING: frozenset[str] = frozenset(
    {
        # the nominating party withdrew the nomination: it is no longer shared
        NOMINATION_WITHDRAWN,
        # disclosure forgets its projection and case key of the ended nomination (retention)
        NOMINATION_FORGOTTEN,
        # the band decides whose consent counts (Bijlage 3): a consent that counted in the old
        # band may not count in the new one
        AGE_BAND_CHANGED,
    }
)

ROUTINGS = ("case_meeting", "regular_care", "zvh_brabant_zuidoost", "zvh_brabant_noordoost")
REJECTION_REASONS = (
    "criteria_not_met",
    "regular_care_suffices",
    "insufficient_information",
    "other",
)


# -- the events as typed data: producers emit these, consumers receive them (checked on the way
# in by ``DomainEvent.from_data``). Fields: ids, codes and pseudonyms only.
@dataclass(frozen=True)
class CaseNominated(DomainEvent):
    TYPE: ClassVar[str] = CASE_NOMINATED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    nominated_at: str
    linked_to_case_id: str = ""


@dataclass(frozen=True)
class CaseAssessed(DomainEvent):
    TYPE: ClassVar[str] = CASE_ASSESSED
    case_id: str
    qualifies: bool
    advice: str
    criteria_held: tuple[str, ...]
    nominating_party: str
    policy_revision: str
    # The criteria the process director judged to hold (12.2a); the policy decided on them.
    judged_held: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseRejected(DomainEvent):
    TYPE: ClassVar[str] = CASE_REJECTED
    case_id: str
    nominating_party: str
    reason_code: str


@dataclass(frozen=True)
class CaseTriaged(DomainEvent):
    TYPE: ClassVar[str] = CASE_TRIAGED
    case_id: str
    subject_pseudonym: str
    nominating_party: str
    age_band: str
    routing: str
    goal_code: str
    themes: tuple[str, ...]
    decision_types: tuple[str, ...]
    invitees: tuple[str, ...]
    process_director_party: str
    reason_code: str = ""
    process_director_person: str = ""  # 12.3: the designated person who directs it
    linked_case_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class NominationWithdrawn(DomainEvent):
    TYPE: ClassVar[str] = NOMINATION_WITHDRAWN
    case_id: str
    nominating_party: str
    reason_code: str = ""


@dataclass(frozen=True)
class SafetyOverrideRecorded(DomainEvent):
    TYPE: ClassVar[str] = SAFETY_OVERRIDE_RECORDED
    case_id: str
    nominating_party: str
    process_director_party: str
    process_director_person: str
    client_informed: bool
    recorded_at: str


@dataclass(frozen=True)
class ProbingFlagged(DomainEvent):
    TYPE: ClassVar[str] = PROBING_FLAGGED
    KEY_FIELD: ClassVar[str] = "flag_id"
    flag_id: str
    nominating_party: str
    nominated_by: str
    matches: int
    window_s: int
    flagged_at: str


@dataclass(frozen=True)
class NominationForgotten(DomainEvent):
    TYPE: ClassVar[str] = NOMINATION_FORGOTTEN
    case_id: str


@dataclass(frozen=True)
class AgeBandChanged(DomainEvent):
    TYPE: ClassVar[str] = AGE_BAND_CHANGED
    case_id: str
    age_band: str


PUBLISHED: tuple[type[DomainEvent], ...] = (
    CaseNominated,
    CaseAssessed,
    CaseRejected,
    CaseTriaged,
    NominationWithdrawn,
    SafetyOverrideRecorded,
    ProbingFlagged,
    NominationForgotten,
    AgeBandChanged,
)
