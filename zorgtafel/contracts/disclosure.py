"""Events on ``zorgtafel.disclosure.v1`` (key: case_id). Never item content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from zorgtafel.kernel.events import DomainEvent, decided_at

_NS = "nl.zorgtafel.disclosure"

# data: item_id, case_id, provider, category
ITEM_PROVIDED = f"{_NS}.item.provided.v1"
# data: item_id, case_id, provider
ITEM_RETRACTED = f"{_NS}.item.retracted.v1"
# data: decision_id, case_id, item_id, provider, recipient_party, purpose,
#       result ("allowed"|"denied"|"break_glass"), policy_revision, decided_at
DISCLOSURE_DECIDED = f"{_NS}.disclosure.decided.v1"
# data: decision_id, case_id, item_id, provider, recipient_party (the provider is notified)
BREAK_GLASS_USED = f"{_NS}.break_glass.used.v1"
# data: subject_request_id, subject_pseudonym, case_ids [..], controller, erased_at
#   -- the controller's privacy officer granted the erasure of one case of a subject or of
#   everything about it (Bijlage 3, GDPR art. 17): every service erases what it holds of these
#   cases. Ids only.
SUBJECT_ERASED = f"{_NS}.subject.erased.v1"
# data: case_id, restricted, subject_request_id ("" when disclosure restates a restriction
#       granted on the nomination, as casework opens the case), changed_at
#   -- the controller's privacy officer granted the subject's restriction of a case, or its
#   lifting (Bijlage 3 "afschermen", GDPR art. 18): while it lasts the case's data is only
#   kept, so every service that holds some of it shows none of it. One per case. Ids only.
CASE_RESTRICTION_CHANGED = f"{_NS}.case.restriction_changed.v1"
# data: case_id, consent_id, status ("given"|"withdrawn"), changed_at
#   -- the subject's consent for a case was recorded or withdrawn (Bijlage 3, GDPR art. 7(3)):
#   intake shares a nomination beyond its nominating party and process director only on the
#   consent as it now stands. Ids and a status only: never who gave it, its scope or document.
SUBJECT_CONSENT_CHANGED = f"{_NS}.subject_consent.changed.v1"

# Revoking facts (ADR 0012): never parked after handler failures; the partition waits on them
# and the consuming service is not ready until they are applied.
DISCLOSURE_REVOKING: frozenset[str] = frozenset(
    {
        # the provider took its item back: no one is to receive it any more (no service
        # consumes it today; declared so that one that does inherits the rule)
        ITEM_RETRACTED,
        # every service erases what it holds of the cases named (GDPR art. 17)
        SUBJECT_ERASED,
        # a restriction hides the case's data (GDPR art. 18); its lifting is the same type and
        # the latest decision wins, so both directions wait in order rather than one parked
        CASE_RESTRICTION_CHANGED,
        # a withdrawn consent ends intake's sharing beyond nominator and director (GDPR 7(3));
        # given and withdrawn share the type, and the latest wins, as above
        SUBJECT_CONSENT_CHANGED,
    }
)


# -- the events as typed data: producers emit these, consumers receive them (checked on the way
# in by ``DomainEvent.from_data``). Fields: ids, codes and pseudonyms only.
@dataclass(frozen=True)
class ItemProvided(DomainEvent):
    TYPE: ClassVar[str] = ITEM_PROVIDED
    item_id: str
    case_id: str
    provider: str
    category: str


@dataclass(frozen=True)
class ItemRetracted(DomainEvent):
    TYPE: ClassVar[str] = ITEM_RETRACTED
    item_id: str
    case_id: str
    provider: str


@dataclass(frozen=True)
class DisclosureDecided(DomainEvent):
    TYPE: ClassVar[str] = DISCLOSURE_DECIDED
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    recipient_party: str
    purpose: str
    result: str  # "allowed" | "denied" | "break_glass"
    policy_revision: str
    decided_at: str


@dataclass(frozen=True)
class BreakGlassUsed(DomainEvent):
    """The provider is notified of a safety override on its item (art. 16.2, Bijlage 3)."""

    TYPE: ClassVar[str] = BREAK_GLASS_USED
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    recipient_party: str


@dataclass(frozen=True)
class SubjectErased(DomainEvent):
    """What a granted erasure covers is to be erased (Bijlage 3, GDPR art. 17): every case of
    the subject, or the one case a request about a case named (``case_ids``). The pseudonym and
    the case ids are all a service needs to find what it holds; never a name or content."""

    TYPE: ClassVar[str] = SUBJECT_ERASED
    # Keyed by the subject: the facts of one subject stay in order on one partition.
    KEY_FIELD: ClassVar[str] = "subject_pseudonym"
    subject_request_id: str
    subject_pseudonym: str
    case_ids: tuple[str, ...]
    controller: str
    erased_at: str


@dataclass(frozen=True)
class CaseRestrictionChanged(DomainEvent):
    """A granted restriction of a case (``restricted``) or its lifting (GDPR art. 18): the
    services holding the case's data show none of it while it lasts."""

    TYPE: ClassVar[str] = CASE_RESTRICTION_CHANGED
    case_id: str
    restricted: bool
    subject_request_id: str
    changed_at: str

    def decided_at(self) -> datetime | None:
        """When disclosure decided it (``zorgtafel.kernel.events.decided_at``)."""
        return decided_at(self.changed_at)


@dataclass(frozen=True)
class SubjectConsentChanged(DomainEvent):
    """The subject's consent for the case was recorded (``given``) or withdrawn: the latest
    says how the subject's consent stands for intake's sharing of the nomination."""

    TYPE: ClassVar[str] = SUBJECT_CONSENT_CHANGED
    case_id: str
    consent_id: str
    status: str  # "given" | "withdrawn"
    changed_at: str

    def decided_at(self) -> datetime | None:
        """When disclosure recorded it (``zorgtafel.kernel.events.decided_at``)."""
        return decided_at(self.changed_at)


PUBLISHED: tuple[type[DomainEvent], ...] = (
    ItemProvided,
    ItemRetracted,
    DisclosureDecided,
    BreakGlassUsed,
    SubjectErased,
    CaseRestrictionChanged,
    SubjectConsentChanged,
)
