"""The disclosure domain, pure Python: validation of items and terms, the facts handed to the
``zorgtafel.disclosure`` policy, redaction of summary-only fields, and the access log's hash
chain. No framework imports: the service layer and adapters do the I/O.

Nothing here decides "may this happen?": that is Rego's (ARCHITECTURE.md). This module only
shapes facts and obeys obligations.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from zorgtafel.kernel.errors import InvalidArgument

OIN_RE = re.compile(r"^[0-9]{20}$")
ID_RE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
PSEUDONYM_RE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
REF_RE = re.compile(r"^[A-Za-z0-9._:/#-]{1,200}$")
PERSON_RE = re.compile(r"^[A-Za-z0-9._:@-]{1,128}$")
TRACEPARENT_RE = re.compile(r"^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$")

MAX_CONTENT_BYTES = 1024 * 1024
MAX_LIST = 100
JSON_TYPE = "application/json"

LEGAL_BASES = ("consent", "legal_obligation", "vital_interest", "public_task",
               "legitimate_interest", "wpg")
CLASSIFICATIONS = ("internal", "confidential", "secret")
ACTIONS = ("read", "pre_read", "third_party_release", "onward_share")
CONSENT_GIVERS = ("subject", "parent", "guardian")
AGE_BANDS = ("under_12", "12_to_16", "16_plus", "unknown")
# The consent rules of Bijlage 3 need only the band. The policy compares an age in years; each
# band is handed over as the youngest age inside it, which lands in the same rule.
AGE_OF_BAND = {"under_12": 0, "12_to_16": 12, "16_plus": 16}

GENESIS_HASH = "0" * 64
REDACTED = "[summary only]"


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------

ITEM_ID_RE = re.compile(r"^itm-[0-9a-f]{32}$")
SUBJECT_REQUEST_ID_RE = re.compile(r"^sr-[0-9a-f]{32}$")


def check_item_id(value: str, field_name: str = "item_id") -> str:
    if not ITEM_ID_RE.match(value or ""):
        raise InvalidArgument(field_name, "must be an item id as returned by Provide "
                              "(itm- and 32 hex digits)")
    return value


def check_subject_request_id(value: str, field_name: str = "subject_request_id") -> str:
    if not SUBJECT_REQUEST_ID_RE.match(value or ""):
        raise InvalidArgument(field_name, "must be an id as returned by SubmitSubjectRequest")
    return value


def check_id(value: str, field_name: str) -> str:
    if not ID_RE.match(value or ""):
        raise InvalidArgument(field_name, "required: 1-64 characters of [A-Za-z0-9._:-]")
    return value


def check_code(value: str, field_name: str) -> str:
    if not CODE_RE.match(value or ""):
        raise InvalidArgument(field_name, "required: a lower-case code of [a-z0-9_], "
                              "at most 64 characters")
    return value


def check_oin(value: str, field_name: str) -> str:
    if not OIN_RE.match(value or ""):
        raise InvalidArgument(field_name, "must be a 20-digit OIN")
    return value


def check_pseudonym(value: str, field_name: str = "subject_pseudonym") -> str:
    if not PSEUDONYM_RE.match(value or ""):
        raise InvalidArgument(field_name, "required: a pseudonym of [A-Za-z0-9._:-]")
    return value


def check_ref(value: str, field_name: str = "document_ref") -> str:
    if not REF_RE.match(value or ""):
        raise InvalidArgument(field_name, "required: a document reference of "
                              "[A-Za-z0-9._:/#-], at most 200 characters")
    return value


def check_codes(values: Iterable[str], field_name: str, *, required: bool = False) -> list[str]:
    values = list(values)
    if len(values) > MAX_LIST:
        raise InvalidArgument(field_name, f"at most {MAX_LIST} entries")
    if required and not values:
        raise InvalidArgument(field_name, "at least one entry is required")
    for i, v in enumerate(values):
        check_code(v, f"{field_name}[{i}]")
    return sorted(set(values))


def check_free_text(value: str, field_name: str, *, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidArgument(field_name, "required")
    if len(text) > limit:
        raise InvalidArgument(field_name, f"at most {limit} characters")
    return text


@dataclass(frozen=True)
class Terms:
    """The provider's usage terms (art. 16.2) as plain data."""

    recipient_parties: tuple[str, ...] = ()
    recipient_roles: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    onward_sharing_allowed: bool = False
    summary_only_fields: tuple[str, ...] = ()
    expires_at: datetime | None = None
    pre_read_allowed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"recipient_parties": list(self.recipient_parties),
                "recipient_roles": list(self.recipient_roles),
                "purposes": list(self.purposes),
                "onward_sharing_allowed": self.onward_sharing_allowed,
                "summary_only_fields": list(self.summary_only_fields),
                "expires_at": rfc3339(self.expires_at) if self.expires_at else None,
                "pre_read_allowed": self.pre_read_allowed}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Terms":
        expires = data.get("expires_at")
        return cls(tuple(data.get("recipient_parties", ())), tuple(data.get("recipient_roles", ())),
                   tuple(data.get("purposes", ())), bool(data.get("onward_sharing_allowed")),
                   tuple(data.get("summary_only_fields", ())),
                   parse_time(expires) if expires else None, bool(data.get("pre_read_allowed")))


def validate_terms(terms: Terms, field_name: str = "terms") -> Terms:
    parties = list(terms.recipient_parties)
    if len(parties) > MAX_LIST:
        raise InvalidArgument(f"{field_name}.recipient_parties", f"at most {MAX_LIST} entries")
    for i, p in enumerate(parties):
        check_oin(p, f"{field_name}.recipient_parties[{i}]")
    roles = check_codes(terms.recipient_roles, f"{field_name}.recipient_roles")
    purposes = check_codes(terms.purposes, f"{field_name}.purposes", required=True)
    fields = list(terms.summary_only_fields)
    if len(fields) > MAX_LIST:
        raise InvalidArgument(f"{field_name}.summary_only_fields", f"at most {MAX_LIST} entries")
    for i, f in enumerate(fields):
        if not f or len(f) > 100:
            raise InvalidArgument(f"{field_name}.summary_only_fields[{i}]",
                                  "a field name of 1-100 characters")
    return Terms(tuple(sorted(set(parties))), tuple(roles), tuple(purposes),
                 terms.onward_sharing_allowed, tuple(sorted(set(fields))), terms.expires_at,
                 terms.pre_read_allowed)


def validate_content(content: bytes, content_type: str, terms: Terms,
                     summaries: Mapping[str, str]) -> None:
    """Content is opaque unless it is JSON; summary-only fields need a JSON object so the
    fields can be redacted (art. 16.2). Nothing of the content appears in the error."""
    if not content:
        raise InvalidArgument("content", "required")
    if len(content) > MAX_CONTENT_BYTES:
        raise InvalidArgument("content", f"at most {MAX_CONTENT_BYTES} bytes")
    if not re.match(r"^[a-z]+/[a-z0-9.+-]{1,100}$", content_type or ""):
        raise InvalidArgument("content_type", "required: a media type such as application/json")
    if content_type == JSON_TYPE:
        try:
            doc = json.loads(content)
        except (ValueError, UnicodeDecodeError):
            raise InvalidArgument("content", "is not valid JSON (content_type application/json)") from None
        if terms.summary_only_fields and not isinstance(doc, dict):
            raise InvalidArgument("content", "must be a JSON object when the terms name "
                                  "summary-only fields")
    elif terms.summary_only_fields:
        raise InvalidArgument("content_type", "must be application/json when the terms name "
                              "summary-only fields (fields can only be redacted in JSON)")
    for name, summary in summaries.items():
        if name not in terms.summary_only_fields:
            raise InvalidArgument("field_summaries", "names a field that is not summary-only")
        if len(summary) > 2000:
            raise InvalidArgument("field_summaries", "a summary has at most 2000 characters")


def check_summary_fields_fit(content_type: str, terms: Terms) -> None:
    if terms.summary_only_fields and content_type != JSON_TYPE:
        raise InvalidArgument("terms.summary_only_fields", "the item is not JSON, so fields "
                              "cannot be redacted; summary-only fields need JSON content")


# ------------------------------------------------------------------------------------------
# Obligations
# ------------------------------------------------------------------------------------------

def redact(content: bytes, content_type: str, fields: Iterable[str],
           summaries: Mapping[str, str]) -> tuple[bytes, list[str]]:
    """Apply a ``redact`` obligation: each summary-only field is replaced by the provider's
    summary (or a marker). Fails closed: content that cannot be redacted is not released."""
    fields = sorted(set(fields))
    if not fields:
        return content, []
    if content_type != JSON_TYPE:
        raise ValueError("cannot redact non-JSON content")
    doc = json.loads(content)
    if not isinstance(doc, dict):
        raise ValueError("cannot redact a JSON value that is not an object")
    done = []
    for name in fields:
        if name in doc:
            doc[name] = summaries.get(name, REDACTED)
            done.append(name)
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode(), done


def obligation_fields(obligations: Iterable[Mapping[str, Any]], kind: str) -> list[str]:
    out: list[str] = []
    for ob in obligations:
        if ob.get("type") == kind:
            out.extend(ob.get("fields", []) or [])
    return out


def has_obligation(obligations: Iterable[Mapping[str, Any]], kind: str) -> bool:
    return any(ob.get("type") == kind for ob in obligations)


KNOWN_OBLIGATIONS = frozenset({"redact", "log_break_glass", "notify_provider", "review",
                               "inform_subject"})


def scrub(text: str, secrets: Iterable[str], marker: str) -> str:
    """Replace free text the requester typed (a justification) in a policy reason, so that
    the access log and events keep references only."""
    for s in secrets:
        if s:
            text = text.replace(s, marker)
    return text


# ------------------------------------------------------------------------------------------
# Facts for the policy
# ------------------------------------------------------------------------------------------

def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(s: str) -> datetime:
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Caller:
    """Who calls (from the authenticated principal) and the party's projected status."""
    party: str
    person: str
    role: str
    party_status: str


@dataclass(frozen=True)
class ItemFacts:
    item_id: str
    case_id: str
    provider: str
    category: str
    classification: str
    legal_basis: str
    retracted: bool
    terms: Terms


@dataclass(frozen=True)
class Recipient:
    party: str
    is_party: bool
    party_status: str
    role: str
    person: str


@dataclass(frozen=True)
class CaseFacts:
    case_id: str
    subject_pseudonym: str
    age_band: str
    involved: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def disclosure_input(*, action: str, purpose: str, now: datetime, recipient: Recipient,
                     item: ItemFacts, case: CaseFacts | None, subject_consents: list[dict],
                     provider_consents: list[dict],
                     break_glass: Mapping[str, str] | None) -> dict[str, Any]:
    """The ``zorgtafel.disclosure`` input (schemas/disclosure.input.schema.json)."""
    age = AGE_OF_BAND.get(case.age_band) if case else None
    return {
        "action": action,
        "purpose": purpose,
        "now": rfc3339(now),
        "recipient": {"party": recipient.party, "is_party": recipient.is_party,
                      "party_status": recipient.party_status, "role": recipient.role,
                      "person": recipient.person},
        "item": {"id": item.item_id, "case_id": item.case_id, "provider": item.provider,
                 "category": item.category, "classification": item.classification,
                 "legal_basis": item.legal_basis, "retracted": item.retracted,
                 "terms": item.terms.to_json()},
        "case": {"id": item.case_id,
                 "involved": {p: {"role": v.get("role", ""),
                                  "information_need": list(v.get("information_need", []))}
                              for p, v in (case.involved if case else {}).items()}},
        "subject": {"age": age},
        "consents": {"subject": subject_consents, "provider_written": provider_consents},
        "break_glass": dict(break_glass) if break_glass else None,
    }


def parse_traceparent(value: str | None) -> tuple[str, str]:
    m = TRACEPARENT_RE.match((value or "").strip().lower())
    return (m.group(1), m.group(2)) if m else ("", "")


# ------------------------------------------------------------------------------------------
# The access log's hash chain (tamper evidence)
# ------------------------------------------------------------------------------------------

HASHED_FIELDS = ("seq", "decision_id", "recorded_at", "party", "person", "role", "action",
                 "purpose", "resource", "recipient", "subject_pseudonym", "case_id", "provider", "result",
                 "reasons", "policy_revision", "trace_id", "span_id", "processing_activity",
                 "emergency", "prev_hash")


def canonical(record: Mapping[str, Any]) -> bytes:
    body = {}
    for name in HASHED_FIELDS:
        value = record.get(name)
        if isinstance(value, datetime):
            value = rfc3339(value)
        elif isinstance(value, tuple):
            value = list(value)
        body[name] = value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def record_hash(record: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


@dataclass
class ChainReport:
    intact: bool
    records: int
    first_bad_seq: int = 0
    problems: list[str] = field(default_factory=list)


def verify_chain(records: Iterable[Mapping[str, Any]], head_seq: int | None,
                 head_hash: str | None) -> ChainReport:
    """Recompute every hash in sequence order. Detects an altered record (its hash no longer
    matches), a removed record (a gap in seq or a broken prev_hash link) and a removed tail (the
    chain head names a later record than the last one found)."""
    prev_hash, expected_seq, count = GENESIS_HASH, 1, 0
    problems: list[str] = []
    first_bad = 0

    def bad(seq: int, text: str) -> None:
        nonlocal first_bad
        problems.append(text)
        if not first_bad:
            first_bad = seq

    for rec in records:
        count += 1
        seq = int(rec["seq"])
        if seq != expected_seq:
            bad(expected_seq, f"record {expected_seq} is missing (found {seq} next)")
        if rec["prev_hash"] != prev_hash:
            bad(seq, f"record {seq} does not link to the record before it")
        if record_hash(rec) != rec["hash"]:
            bad(seq, f"record {seq} was altered (its hash does not match its fields)")
        prev_hash, expected_seq = rec["hash"], seq + 1
    last_seq = expected_seq - 1
    if head_seq is not None and head_seq != last_seq:
        bad(last_seq + 1, f"the chain head names record {head_seq} but the log ends at "
                          f"{last_seq}")
    elif head_hash is not None and head_seq and head_hash != prev_hash:
        bad(last_seq, "the chain head's hash does not match the last record")
    return ChainReport(intact=not problems, records=count, first_bad_seq=first_bad,
                       problems=problems[:50])
