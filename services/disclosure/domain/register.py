"""The register of processing activities (Bijlage 3, GDPR art. 30) as the privacy officers
maintain it: an activity is its nine fields (name, controller, purpose, categories of subjects
and of data, recipients, legal basis, transfers outside the EEA, retention) and the parties whose
privacy officers maintain it. Pure: validation and what a change changed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.validate import check_shown_as_stored

NINE_FIELDS = (
    "name",
    "controller",
    "purpose",
    "subject_categories",
    "data_categories",
    "recipients",
    "legal_basis",
    "transfers_outside_eea",
    "retention",
)
LISTS = ("subject_categories", "data_categories", "recipients")
ACTIVITY_ID = re.compile(r"[A-Z][A-Z0-9]{0,15}(-[A-Z0-9]{1,16}){1,3}")
OIN = re.compile(r"\d{20}")
MAX_TEXT = 2000
MAX_LIST = 32
MAX_MAINTAINERS = 16
MAX_REASON = 1000
CHANGES = ("seeded", "added", "changed", "retired")


def check_activity_id(value: str, field: str = "activity.id") -> str:
    if not isinstance(value, str) or not ACTIVITY_ID.fullmatch(value):
        raise InvalidArgument(field, "required: an activity id such as ZT-VA-06")
    return value


def _text(value: Any, field: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidArgument(field, "required")
    if len(text) > MAX_TEXT or any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise InvalidArgument(field, f"at most {MAX_TEXT} printable characters")
    return check_shown_as_stored(text, field)


def check_activity(
    doc: Mapping[str, Any], maintainers: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """The nine fields (each required: an art. 30 entry lacks none) and the maintainers."""
    out: dict[str, Any] = {}
    for name in NINE_FIELDS:
        field = f"activity.{name}"
        if name in LISTS:
            values = list(doc.get(name) or [])
            if not values or len(values) > MAX_LIST:
                raise InvalidArgument(field, f"required: 1 to {MAX_LIST} entries")
            out[name] = [_text(v, field) for v in values]
        else:
            out[name] = _text(doc.get(name), field)
    parties = sorted(set(maintainers))
    if not parties or len(parties) > MAX_MAINTAINERS:
        raise InvalidArgument(
            "activity.maintainers", f"required: 1 to {MAX_MAINTAINERS} parties (OINs)"
        )
    for p in parties:
        if not OIN.fullmatch(p):
            raise InvalidArgument("activity.maintainers", "each must be an OIN (20 digits)")
    return out, parties


def check_reason(value: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidArgument("reason", "required: why the register changes")
    if len(text) > MAX_REASON:
        raise InvalidArgument("reason", f"at most {MAX_REASON} characters")
    return check_shown_as_stored(text, "reason")


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any], before_m: list[str], after_m: list[str]
) -> list[str]:
    changed = [f for f in NINE_FIELDS if before.get(f) != after.get(f)]
    if sorted(before_m) != sorted(after_m):
        changed.append("maintainers")
    return changed


# -- commands (frozen: what the servicer hands the handlers) -----------------------------------
@dataclass(frozen=True)
class AddProcessingActivity:
    activity_id: str
    fields: Mapping[str, Any]
    maintainers: tuple[str, ...]
    reason: str = ""


@dataclass(frozen=True)
class ChangeProcessingActivity:
    activity_id: str
    fields: Mapping[str, Any]
    maintainers: tuple[str, ...]
    expected_version: str = ""
    reason: str = ""


@dataclass(frozen=True)
class RetireProcessingActivity:
    activity_id: str
    reason: str = ""


@dataclass(frozen=True)
class ListProcessingActivityHistory:
    activity_id: str = ""
    # The page: ``limit`` changes from ``offset`` (the servicer asks one more than it shows).
    offset: int = 0
    limit: int = 501


POLICY = "zorgtafel.subjectdata.export"  # operation maintain_register
