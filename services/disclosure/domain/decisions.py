"""Disclosure decisions: the facts handed to the ``zorgtafel.disclosure`` policy, the
obligations a decision carries (redaction of summary-only fields, break-glass logging,
notification and review) and what a request releases or withholds.

Nothing here decides "may this happen?": that is Rego's (ARCHITECTURE.md). This module only
shapes facts and obeys obligations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from services.disclosure.domain.items import ItemFacts
from services.disclosure.domain.times import epoch_ns, rfc3339
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.validate import person_key

DISCLOSURE_POLICY = "zorgtafel.disclosure"
CONTROL_POLICY = "zorgtafel.disclosure.control"
ACTIONS = ("read", "pre_read", "third_party_release", "onward_share")
AGE_BANDS = ("under_12", "12_to_16", "16_plus", "unknown")
# The consent rules of Bijlage 3 need only the band. The policy compares an age in years; each
# band is handed over as the youngest age inside it, which lands in the same rule.
AGE_OF_BAND = {"under_12": 0, "12_to_16": 12, "16_plus": 16}
MAX_ITEMS_PER_REQUEST = 200
MAX_BREAK_GLASS_TEXT = 2000

KNOWN_OBLIGATIONS = frozenset(
    {"redact", "log_break_glass", "notify_provider", "review", "inform_subject"}
)
TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")


# ------------------------------------------------------------------------------------------
# Facts for the policy
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """Who receives (or, as the requester, asks for) an item: the party, its status, and the
    person with the job their token names and the functions the roster says they hold."""

    party: str
    is_party: bool
    party_status: str
    role: str
    person: str
    functions: tuple[str, ...] = ()
    # How the asking call was authenticated (the kernel's principal): the policy limits a call
    # relayed by a suite service ("mtls_relay") to a pre-read. Empty for a third party.
    authenticated_by: str = ""

    def as_input(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "is_party": self.is_party,
            "party_status": self.party_status,
            "role": self.role,
            "person": person_key(self.person),
            "functions": list(self.functions),
            "authenticated_by": self.authenticated_by,
        }


@dataclass(frozen=True)
class CasePerson:
    """A named person of a party in a case (the process director, the case director)."""

    party: str
    person: str

    def as_input(self) -> dict[str, str]:
        return {"party": self.party, "person": person_key(self.person)}


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    subject_pseudonym: str
    age_band: str
    involved: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    nominating_party: str = ""
    process_director: CasePerson | None = None
    case_director: CasePerson | None = None
    # {party: (person, ...)}: the persons each party named as its delegates (Bijlage 3)
    delegates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Casework closed the case (art. 1.2); the subject restricted it (Bijlage 3, GDPR art. 18);
    # the subject's erasure of it was granted (GDPR art. 17).
    closed: bool = False
    restricted: bool = False
    erased: bool = False

    def parties(self) -> set[str]:
        """The parties the facts give a part in the case: the nominating party (12.3), those
        with a role (8.4c), the parties of its process director, case director and delegates.
        A fact for addressing a subject's objection or complaint to a party of the case; who
        may do what in it is the policies' to decide (they read the same facts)."""
        named = {self.nominating_party, *self.involved, *self.delegates}
        for person in (self.process_director, self.case_director):
            if person is not None:
                named.add(person.party)
        return {p for p in named if p}

    def persons_input(self) -> dict[str, Any]:
        """The persons with a part in the case, as policy inputs carry them (ADR 0005); an
        absent fact is null, so the policy denies (fail closed). A person id names its person
        without case ("PD-1" is pd-1, validate.same_person): each is handed over lowered, as
        the requester's and recipient's, so the policy compares them with ``==`` (a lower()
        there would cost builtin calls on every decision, issue #16)."""
        return {
            "nominating_party": self.nominating_party or None,
            "process_director": (
                self.process_director.as_input() if self.process_director else None
            ),
            "case_director": self.case_director.as_input() if self.case_director else None,
            "delegates": {
                p: sorted({person_key(person) for person in persons})
                for p, persons in self.delegates.items()
            },
        }


def disclosure_input(
    *,
    action: str,
    purpose: str,
    now: datetime,
    recipient: Recipient,
    requester: Recipient,
    item: ItemFacts,
    case: CaseFacts | None,
    subject_consents: list[dict],
    provider_consents: list[dict],
    break_glass: Mapping[str, str] | None,
) -> dict[str, Any]:
    """The ``zorgtafel.disclosure`` input (schemas/disclosure.input.schema.json). The requester
    is the caller; the recipient is the caller too, except for a third-party release (9.2)."""
    age = AGE_OF_BAND.get(case.age_band) if case else None
    persons = (case or CaseFacts(item.case_id, "", "unknown")).persons_input()
    return {
        "action": action,
        "purpose": purpose,
        "now": rfc3339(now),
        # Each time also as its nanoseconds, which the policy compares without parsing the text
        # (issue #16); left out where the policy's own parse has no answer, so it decides alike.
        **_ns("now_ns", now),
        "recipient": recipient.as_input(),
        "requester": requester.as_input(),
        "item": {
            "id": item.item_id,
            "case_id": item.case_id,
            "provider": item.provider,
            "category": item.category,
            "classification": item.classification,
            "legal_basis": item.legal_basis,
            "retracted": item.retracted,
            "restricted": item.restricted,
            "superseded": item.superseded,
            "terms": {
                **item.terms.to_json(),
                **(_ns("expires_at_ns", item.terms.expires_at) if item.terms.expires_at else {}),
            },
        },
        "case": {
            "id": item.case_id,
            "involved": {
                p: {
                    "role": v.get("role", ""),
                    "information_need": list(v.get("information_need", [])),
                }
                for p, v in (case.involved if case else {}).items()
            },
            # An unknown case is neither closed nor restricted here; the persons above are then
            # absent and the policy denies anyway (fail closed).
            "closed": bool(case and case.closed),
            "restricted": bool(case and case.restricted),
            **persons,
        },
        "subject": {"age": age},
        "consents": {"subject": subject_consents, "provider_written": provider_consents},
        "break_glass": dict(break_glass) if break_glass else None,
    }


def _ns(key: str, t: datetime) -> dict[str, int]:
    ns = epoch_ns(t)
    return {} if ns is None else {key: ns}


def control_input(
    operation: str,
    caller: Caller,
    *,
    functions: Iterable[str] = (),
    case: CaseFacts | None = None,
    **resource: Any,
) -> dict[str, Any]:
    """The ``zorgtafel.disclosure.control`` input: may this caller provide an item for a case
    (art. 15.1, 8.4c), change or retract an item's terms (art. 16.2), record or withdraw a consent (Bijlage 3), run this oversight query or
    decide this subject request (Bijlage 3, NEN 7513)? ``case`` carries the persons with a part
    in the case (ADR 0005) when the operation is about a case."""
    out: dict[str, Any] = {
        "operation": operation,
        "caller": {**caller.as_input(), "functions": sorted(functions)},
        "resource": resource,
    }
    if case is not None:
        out["case"] = {
            "id": case.case_id,
            "involved": sorted(case.involved),
            **case.persons_input(),
            # Whether an item may still be added (art. 1.2; Bijlage 3, GDPR art. 18).
            "closed": case.closed,
            "restricted": case.restricted,
        }
    return out


def parse_traceparent(value: str | None) -> tuple[str, str]:
    m = TRACEPARENT.fullmatch((value or "").strip().lower())
    return (m.group(1), m.group(2)) if m else ("", "")


# ------------------------------------------------------------------------------------------
# Obligations
# ------------------------------------------------------------------------------------------


def obligations_of(raw: Iterable[Any] | None) -> list[dict]:
    """A decision's obligations as dicts (a bare string is an obligation of that type)."""
    return [dict(ob) if isinstance(ob, Mapping) else {"type": str(ob)} for ob in raw or ()]


def obligation_fields(obligations: Iterable[Mapping[str, Any]], kind: str) -> list[str]:
    out: list[str] = []
    for ob in obligations:
        if ob.get("type") == kind:
            out.extend(ob.get("fields", []) or [])
    return out


def has_obligation(obligations: Iterable[Mapping[str, Any]], kind: str) -> bool:
    return any(ob.get("type") == kind for ob in obligations)


def scrub(text: str, secrets: Iterable[str], marker: str) -> str:
    """Replace free text the requester typed (a justification) in a policy reason, so that
    the access log and events keep references only."""
    for s in secrets:
        if s:
            text = text.replace(s, marker)
    return text


# ------------------------------------------------------------------------------------------
# What a request releases and withholds
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Released:
    item_id: str
    case_id: str
    category: str
    provider: str
    content_type: str
    content: bytes
    redacted_fields: tuple[str, ...]
    decision_id: str
    reasons: tuple[str, ...]
    obligations: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Denied:
    item_id: str
    decision_id: str
    reasons: tuple[str, ...]
    # A person with a part whose party does not need the item (art. 8.4c): a relaying service
    # tells the reader nothing of it.
    outside_need: bool = False


@dataclass(frozen=True)
class DisclosureOutcome:
    released: tuple[Released, ...]
    denied: tuple[Denied, ...]
    revision: str


@dataclass(frozen=True)
class Review:
    """A safety override under review (Bijlage 3), as the privacy officer reads it."""

    review_id: str
    decision_id: str
    case_id: str
    item_id: str
    provider: str
    party: str
    person: str
    consulted_colleague: str
    justification: str
    client_informed: str
    created_at: datetime
