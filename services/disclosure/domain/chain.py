"""The access log's hash chain (tamper evidence, NEN 7513): each record's hash covers its
fields and the previous record's hash, so an altered, removed or re-ordered record shows."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping

from services.disclosure.domain.times import rfc3339

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "seq",
    "decision_id",
    "recorded_at",
    "party",
    "person",
    "role",
    "action",
    "purpose",
    "resource",
    "recipient",
    "subject_pseudonym",
    "case_id",
    "provider",
    "result",
    "reasons",
    "policy_revision",
    "trace_id",
    "span_id",
    "processing_activity",
    "emergency",
    "prev_hash",
)


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


def verify_chain(
    records: Iterable[Mapping[str, Any]], head_seq: int | None, head_hash: str | None
) -> ChainReport:
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
        bad(last_seq + 1, f"the chain head names record {head_seq} but the log ends at {last_seq}")
    elif head_hash is not None and head_seq and head_hash != prev_hash:
        bad(last_seq, "the chain head's hash does not match the last record")
    return ChainReport(
        intact=not problems, records=count, first_bad_seq=first_bad, problems=problems[:50]
    )
