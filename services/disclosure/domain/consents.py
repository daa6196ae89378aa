"""Consents (Bijlage 3 consent rules; art. 9.2 the provider's prior written consent for a third
party), as stored and as the ``zorgtafel.disclosure`` policy is told of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from services.disclosure.domain.times import rfc3339

CONSENT_GIVERS = ("subject", "parent", "guardian")
CONSENT_PREFIX = "cns-"
SUBJECT = "subject"
PROVIDER_WRITTEN = "provider_written"


@dataclass(frozen=True)
class Consent:
    consent_id: str
    kind: str  # SUBJECT | PROVIDER_WRITTEN
    case_id: str
    item_id: str | None  # the item a provider's written consent is for
    given_by: str  # subject/parent/guardian, or the provider's OIN
    scope: tuple[str, ...]  # categories a subject consent covers
    recipient: str | None  # the third party a provider's written consent names
    document_ref: str
    given_at: datetime | None
    recorded_by_party: str
    recorded_by_person: str
    recorded_at: datetime
    # Bijlage 3, GDPR art. 7(3): from the withdrawal on no release rests on the consent.
    withdrawn_at: datetime | None = None
    withdrawn_by_party: str | None = None
    withdrawn_by_person: str | None = None
    withdrawal_document_ref: str | None = None


def _withdrawn(c: Consent) -> str | None:
    return rfc3339(c.withdrawn_at) if c.withdrawn_at else None


def subject_consent_facts(consents: Iterable[Consent], case_id: str) -> list[dict]:
    return [
        {
            "given_by": c.given_by,
            "scope": list(c.scope),
            "document_ref": c.document_ref,
            "withdrawn_at": _withdrawn(c),
        }
        for c in consents
        if c.kind == SUBJECT and c.case_id == case_id
    ]


def provider_consent_facts(consents: Iterable[Consent], item_id: str) -> list[dict]:
    return [
        {
            "item_id": c.item_id,
            "given_by": c.given_by,
            "recipient": c.recipient,
            "document_ref": c.document_ref,
            "withdrawn_at": _withdrawn(c),
        }
        for c in consents
        if c.kind == PROVIDER_WRITTEN and c.item_id == item_id
    ]
