"""An access-log record (NEN 7513 / BIO) and its leaf in the Merkle tree, pure.

Who: ``party``, ``person``, ``role``. About whom: ``case_id``, ``subject_pseudonym`` (and the
``provider`` whose data it is). What: ``rpc``, ``action`` and ``resource`` (the items or
sections). Why: ``purpose`` and the ``processing_activity`` it falls under. Outcome:
``result`` (allowed / denied / break_glass) with ``reasons``. And ``decision_id``,
``policy_revision``, ``trace_id``/``span_id``, ``recorded_at``, the ``recipient`` party and
``input_digest`` (SHA-256 of the decision's input: which facts were decided on) and
``decision_input`` (that input as canonical JSON with the policy's name, pseudonymous: free text
replaced by its digest; ``inputs.py``), so a past decision can be explained and replayed.

Identifiers and pseudonyms only, never content. The leaf holds every
field in ``FIELDS`` order (position ``seq`` included, so a record cannot move unseen), joined by
the ASCII unit separator, after a version tag. A record that keeps its decision input has a
version 2 leaf (``zal2``: the same fields, then ``decision_input``); one without (every record
written before, and calls decided without an input) keeps the version 1 leaf, so records signed
before the input was kept verify unchanged. Blanking a kept input changes the leaf's version and
text, so VerifyLog finds it like any other edit.

A record past the log's retention period (kind ``access_log``) is *pruned* (``prune.py``): every
field in ``PRUNED_FIELDS`` is emptied and the leaf hash it had is kept instead (``pruned_leaf``),
so the tree, the signed checkpoints and the proofs of every other record stay as they were. A
stored hash stands in for the leaf only when the record's content is gone (``is_emptied``): it
can never vouch for content that is still there, so it cannot hide an edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
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
# The stored row's fields: the leaf's, then the decision input (in the leaf from version 2).
INPUT_FIELD = "decision_input"
ROW_FIELDS = (*FIELDS, INPUT_FIELD)
# What a pruned record keeps: its place and its time (neither names anyone).
KEPT_WHEN_PRUNED = ("seq", "recorded_at")
PRUNED_FIELDS = tuple(f for f in ROW_FIELDS if f not in KEPT_WHEN_PRUNED)
PRUNED_LEAF = "pruned_leaf"  # the column with the leaf hash of a pruned record
_PRUNED_AT = tuple(ROW_FIELDS.index(f) for f in PRUNED_FIELDS)
_RECORDED_AT = FIELDS.index("recorded_at")
_EMERGENCY = FIELDS.index("emergency")
SEPARATOR = "\x1f"  # ASCII unit separator
LEAF_VERSION = "zal1" + SEPARATOR
LEAF_VERSION_2 = "zal2" + SEPARATOR
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
    decision_input: str = ""  # {"policy":..,"input":..} canonical JSON, free text digested

    def row(self, seq: int) -> dict[str, Any]:
        """The stored row: ``reasons`` as canonical JSON text (the leaf covers that text)."""
        # The fields as they are (``asdict`` would deep-copy each value first, for nothing).
        out = {
            k: clean(v) if isinstance(v, str) else v
            for k, v in ((k, getattr(self, k)) for k in _RECORD_FIELDS)
        }
        out["seq"] = seq
        out["reasons"] = reasons_text(self.reasons)
        return out


_RECORD_FIELDS = tuple(f.name for f in fields(AccessRecord))


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
    """The leaf of a stored row given as its values in ``FIELDS`` (or ``ROW_FIELDS``) order
    (the fast path of verification: no dict per row): the fields joined by a separator that no
    genuine value holds (the JSON of ``reasons`` and of the input escapes it; every other value
    is cleaned on append). A non-empty decision input makes it a version 2 leaf."""
    v = list(values)
    v[0] = str(v[0])
    v[_RECORDED_AT] = timestamp(v[_RECORDED_AT])
    v[_EMERGENCY] = "1" if v[_EMERGENCY] else "0"
    if len(v) > len(FIELDS) and v[len(FIELDS)]:
        return (LEAF_VERSION_2 + SEPARATOR.join(v[: len(ROW_FIELDS)])).encode()
    return (LEAF_VERSION + SEPARATOR.join(v[: len(FIELDS)])).encode()


def leaf_of_row(row: Mapping[str, Any]) -> bytes:
    return leaf_of_values([*(row[name] for name in FIELDS), row.get(INPUT_FIELD, "")])


def leaf_hash_of_row(row: Mapping[str, Any]) -> bytes:
    return leaf_hash(leaf_of_row(row))


def emptied() -> dict[str, Any]:
    """The values of a pruned record's emptied fields (``emergency`` false, the rest "")."""
    return {name: False if name == "emergency" else "" for name in PRUNED_FIELDS}


def is_emptied(values: Sequence[Any]) -> bool:
    """Is the content of a row given in ``ROW_FIELDS`` order gone? (A genuine record always
    has a ``result`` and an ``action``, so it is never taken for an emptied one.)"""
    return all(not values[i] for i in _PRUNED_AT)
