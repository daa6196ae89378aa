"""Information items and the provider's usage terms (art. 16.2): what an item is, which terms
and content are acceptable, and the terms' stored form. Pure Python; nothing here decides who
may see an item (that is ``zorgtafel.disclosure``'s)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Mapping

from services.disclosure.domain.redaction import JSON_TYPE, check_redactable, loose, same_field
from services.disclosure.domain.times import parse_time, rfc3339
from zorgtafel.kernel import validate
from zorgtafel.kernel.errors import InvalidArgument

MAX_CONTENT_BYTES = 1024 * 1024
MAX_SUMMARY = 2000
# A media type as this service stores it: lower case, no parameters.
MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]{1,100}")

LEGAL_BASES = (
    "consent",
    "legal_obligation",
    "vital_interest",
    "public_task",
    "legitimate_interest",
    "wpg",
)
CLASSIFICATIONS = ("internal", "confidential", "secret")
ITEM_PREFIX = "itm-"
# The policy engine counts time in 64-bit nanoseconds since 1970, which end in April 2262: a
# later expiry would read as long past and deny the item for good (fail closed, but wrong).
EXPIRY_LIMIT = datetime(2262, 1, 1, tzinfo=timezone.utc)


def check_item_id(value: str, field_name: str = "item_id") -> str:
    return validate.check_prefixed_id(
        value,
        field_name,
        ITEM_PREFIX,
        "must be an item id as returned by Provide (itm- and 32 hex digits)",
    )


def is_item_id(value: str) -> bool:
    return (
        isinstance(value, str)
        and value.startswith(ITEM_PREFIX)
        and validate.HEX32.fullmatch(value[len(ITEM_PREFIX) :]) is not None
    )


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
        return {
            "recipient_parties": list(self.recipient_parties),
            "recipient_roles": list(self.recipient_roles),
            "purposes": list(self.purposes),
            "onward_sharing_allowed": self.onward_sharing_allowed,
            "summary_only_fields": list(self.summary_only_fields),
            "expires_at": rfc3339(self.expires_at) if self.expires_at else None,
            "pre_read_allowed": self.pre_read_allowed,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Terms":
        expires = data.get("expires_at")
        return cls(
            tuple(data.get("recipient_parties", ())),
            tuple(data.get("recipient_roles", ())),
            tuple(data.get("purposes", ())),
            bool(data.get("onward_sharing_allowed")),
            tuple(data.get("summary_only_fields", ())),
            parse_time(expires) if expires else None,
            bool(data.get("pre_read_allowed")),
        )


@dataclass(frozen=True)
class ItemFacts:
    """What the policy is told about an item."""

    item_id: str
    case_id: str
    provider: str
    category: str
    classification: str
    legal_basis: str
    retracted: bool
    terms: Terms
    # Bijlage 3 / GDPR art. 18 and 16: the subject's restriction, a granted correction.
    restricted: bool = False
    superseded: bool = False


@dataclass(frozen=True)
class Item:
    """A stored item. Its content and field summaries stay sealed under the case key."""

    item_id: str
    case_id: str
    provider: str
    provided_by_person: str
    category: str
    classification: str
    legal_basis: str
    content_type: str
    terms: Terms
    retracted: bool
    erased: bool
    provided_at: datetime
    content_sealed: bytes | None = None
    summaries_sealed: bytes | None = None
    restricted_at: datetime | None = None
    superseded_at: datetime | None = None
    superseded_by: str | None = None
    supersedes: str | None = None

    @property
    def readable(self) -> bool:
        """False once the subject's erasure removed the content (Bijlage 3)."""
        return not self.erased and self.content_sealed is not None

    def facts(self) -> ItemFacts:
        return ItemFacts(
            self.item_id,
            self.case_id,
            self.provider,
            self.category,
            self.classification,
            self.legal_basis,
            self.retracted,
            self.terms,
            restricted=self.restricted_at is not None,
            superseded=self.superseded_at is not None,
        )


def _check_field_name(value: str, field_name: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 100:
        raise InvalidArgument(field_name, "a field name of 1-100 characters")
    # A name that is blank once invisible characters and whitespace are taken out, or has them
    # around it, would withhold keys nobody can see it names (redaction compares loosely).
    if not loose(value) or value != value.strip() or not value.isprintable():
        raise InvalidArgument(
            field_name, "a field name without surrounding whitespace or invisible characters"
        )
    return value


def _check_distinct_fields(fields: tuple[str, ...], field_name: str) -> None:
    """Fields are withheld in any case and Unicode form, so two names that differ only so
    are one field whose summary would be ambiguous."""
    for i, name in enumerate(fields):
        if any(same_field(name, other) for other in fields[:i]):
            raise InvalidArgument(
                field_name,
                "names the same field twice (field names are compared regardless of "
                "letter case and Unicode form)",
            )


def validate_terms(terms: Terms, field_name: str = "terms") -> Terms:
    parties = validate.check_oins(
        terms.recipient_parties, f"{field_name}.recipient_parties", duplicates="merge"
    )
    roles = validate.check_codes(
        terms.recipient_roles, f"{field_name}.recipient_roles", duplicates="merge"
    )
    purposes = validate.check_codes(
        terms.purposes, f"{field_name}.purposes", required=True, duplicates="merge"
    )
    fields = validate.check_list(
        terms.summary_only_fields,
        f"{field_name}.summary_only_fields",
        _check_field_name,
        duplicates="merge",
    )
    _check_distinct_fields(tuple(fields), f"{field_name}.summary_only_fields")
    if terms.expires_at is not None and terms.expires_at >= EXPIRY_LIMIT:
        raise InvalidArgument(
            f"{field_name}.expires_at", "must be before 2262 (leave it unset for no expiry)"
        )
    return Terms(
        parties,
        roles,
        purposes,
        terms.onward_sharing_allowed,
        fields,
        terms.expires_at,
        terms.pre_read_allowed,
    )


def validate_content(
    content: bytes, content_type: str, terms: Terms, summaries: Mapping[str, str]
) -> None:
    """Content is opaque unless it is JSON; summary-only fields need a JSON object so the
    fields can be redacted (art. 16.2) wherever they occur, and no key that only looks like
    one (``redaction.check_redactable``). Nothing of the content appears in the error."""
    if not content:
        raise InvalidArgument("content", "required")
    if len(content) > MAX_CONTENT_BYTES:
        raise InvalidArgument("content", f"at most {MAX_CONTENT_BYTES} bytes")
    validate.check_pattern(
        content_type, "content_type", MEDIA_TYPE, "required: a media type such as application/json"
    )
    if content_type == JSON_TYPE:
        doc = validate.parse_json(content, "content")
        if terms.summary_only_fields and not isinstance(doc, dict):
            raise InvalidArgument(
                "content", "must be a JSON object when the terms name summary-only fields"
            )
        check_redactable(doc, terms.summary_only_fields)
    elif terms.summary_only_fields:
        raise InvalidArgument(
            "content_type",
            "must be application/json when the terms name "
            "summary-only fields (fields can only be redacted in JSON)",
        )
    for name, summary in summaries.items():
        if name not in terms.summary_only_fields:
            raise InvalidArgument("field_summaries", "names a field that is not summary-only")
        if len(summary) > MAX_SUMMARY:
            raise InvalidArgument(
                "field_summaries", f"a summary has at most {MAX_SUMMARY} characters"
            )
        # Free text shown in the field's place: no control characters but newline and tab.
        validate.check_text(summary, "field_summaries", limit=MAX_SUMMARY, required=False)


def check_summary_fields_fit(content_type: str, terms: Terms) -> None:
    if terms.summary_only_fields and content_type != JSON_TYPE:
        raise InvalidArgument(
            "terms.summary_only_fields",
            "the item is not JSON, so fields "
            "cannot be redacted; summary-only fields need JSON content",
        )
