"""An access-log record (NEN 7513 / BIO) and its leaf in the Merkle tree, pure.

Who: ``party``, ``person``, ``role``. About whom: ``case_id``, ``subject_pseudonym`` (and the
``provider`` whose data it is). What: ``rpc``, ``action`` and ``resource`` (the items or
sections). Why: ``purpose`` and the ``processing_activity`` it falls under. Outcome:
``result`` (allowed / denied / break_glass) with ``reasons``. And ``decision_id``,
``policy_revision``, ``trace_id``/``span_id``, ``recorded_at``, the ``recipient`` party and
``input_digest`` (SHA-256 of the decision's input: which facts were decided on, without them).

Identifiers and pseudonyms only, never content. The leaf holds every
field in ``FIELDS`` order (position ``seq`` included, so a record cannot move unseen), joined by
the ASCII unit separator, after a version tag.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from zorgtafel.kernel.accesslog.merkle import leaf_hash

RESULTS = ("allowed", "denied", "break_glass")

# The leaf's field order. Appending a field later means a new leaf version: never reorder.
FIELDS = (
    "seq",
    "recorded_at",
    "party",
    "person",
    "role",
    "rpc",
    "action",
    "resource",
    "case_id",
    "subject_pseudonym",
    "provider",
    "purpose",
    "processing_activity",
    "result",
    "reasons",
    "decision_id",
    "policy_revision",
    "trace_id",
    "span_id",
    "recipient",
    "emergency",
    "input_digest",
)
_RECORDED_AT = FIELDS.index("recorded_at")
_EMERGENCY = FIELDS.index("emergency")
SEPARATOR = "\x1f"  # ASCII unit separator
LEAF_VERSION = "zal1" + SEPARATOR
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class AccessRecord:
    """What a service logs before anything leaves it (``seq`` is given on append)."""

    recorded_at: datetime
    party: str
    person: str
    role: str
    rpc: str
    action: str
    result: str
    resource: str = ""
    case_id: str = ""
    subject_pseudonym: str = ""
    provider: str = ""
    purpose: str = ""
    processing_activity: str = ""
    reasons: tuple[str, ...] = field(default_factory=tuple)
    decision_id: str = ""
    policy_revision: str = ""
    trace_id: str = ""
    span_id: str = ""
    recipient: str = ""
    emergency: bool = False
    input_digest: str = ""

    def row(self, seq: int) -> dict[str, Any]:
        """The stored row: ``reasons`` as canonical JSON text (the leaf covers that text)."""
        out = {k: clean(v) if isinstance(v, str) else v for k, v in asdict(self).items()}
        out["seq"] = seq
        out["reasons"] = reasons_text(self.reasons)
        return out


def reasons_text(reasons: Iterable[str]) -> str:
    return _dumps(list(reasons))


def timestamp(value: datetime) -> str:
    """RFC 3339 in UTC with microseconds and ``+00:00``: one spelling whatever zone object the
    database driver returns (``timezone.utc``, ``ZoneInfo("Etc/UTC")``, naive UTC)."""
    offset = value.utcoffset()
    if offset:
        value = value - offset
    return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "+00:00"


def clean(text: str) -> str:
    """A field value as stored: without the leaf's separator. A genuine leaf therefore holds
    exactly one separator between each two fields, and no other tuple of values joins to the
    same text: moving a separator between fields cannot keep a leaf's hash."""
    return text.replace(SEPARATOR, "\ufffd") if SEPARATOR in text else text


def leaf_of_values(values: Sequence[Any]) -> bytes:
    """The leaf of a stored row given as its values in ``FIELDS`` order (the fast path of
    verification: no dict per row): the fields joined by a separator that no genuine value
    holds (the JSON of ``reasons`` escapes it; every other value is cleaned on append)."""
    v = list(values)
    v[0] = str(v[0])
    v[_RECORDED_AT] = timestamp(v[_RECORDED_AT])
    v[_EMERGENCY] = "1" if v[_EMERGENCY] else "0"
    return (LEAF_VERSION + SEPARATOR.join(v)).encode()


def leaf_of_row(row: Mapping[str, Any]) -> bytes:
    return leaf_of_values([row[name] for name in FIELDS])


def leaf_hash_of_row(row: Mapping[str, Any]) -> bytes:
    return leaf_hash(leaf_of_row(row))
