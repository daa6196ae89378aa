"""Verification of an access log against its signed checkpoints, pure.

Every record's leaf is recomputed from its fields and the tree rebuilt in ``seq`` order; at each
checkpoint size the rebuilt root must equal the signed root. A checkpoint's signature needs the
private key, which the database does not hold: an attacker who edits, deletes, inserts or
reorders records and recomputes every hash (with this very code) still cannot produce a root that
matches a signed checkpoint. Removing records after a checkpoint leaves the log shorter than that
checkpoint; a checkpoint deleted from the database too is caught by one held elsewhere (governance
stores the published ones) and passed in as ``trusted``.

Each stored checkpoint carries the leaf hashes of the records it added (``batch``). When they
reproduce the signed root they are authentic, and comparing them with the recomputed leaves names
the first bad record exactly; the authentic tree then continues, so later damage is found too.

A pruned record (its retention period over, ``prune.py``) enters the tree with the leaf hash it
had, kept when its content was emptied: it is counted and its range reported as pruned, never as
tampering. Its kept hash is vouched for like any leaf: one altered no longer reproduces the
signed roots.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, verified_each
from zorgtafel.kernel.accesslog.merkle import CompactRange, leaf_hash
from zorgtafel.kernel.accesslog.records import is_emptied, leaf_of_values

MAX_PROBLEMS = 50


@dataclass
class StoredCheckpoint:
    checkpoint: Checkpoint
    batch: bytes | None = None  # the leaf hashes it added, 32 bytes each, in order


@dataclass
class VerifyReport:
    intact: bool = True
    records: int = 0
    first_bad_seq: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    signed_size: int = 0  # records covered by a valid signed checkpoint
    unsigned_records: int = 0  # records after the last checkpoint (not yet tamper-evident)
    root: bytes = b""
    pruned: int = 0  # records whose content went at the end of their retention period
    pruned_ranges: list[tuple[int, int]] = field(default_factory=list)  # (first, last) seqs

    def note_pruned(self, seq: int) -> None:
        self.pruned += 1
        if self.pruned_ranges and self.pruned_ranges[-1][1] == seq - 1:
            self.pruned_ranges[-1] = (self.pruned_ranges[-1][0], seq)
        elif len(self.pruned_ranges) < MAX_PROBLEMS:
            self.pruned_ranges.append((seq, seq))

    def bad(self, seq: int, text: str) -> None:
        self.intact = False
        if not self.first_bad_seq or seq < self.first_bad_seq:
            self.first_bad_seq = seq
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)


def _split_batch(batch: bytes) -> list[bytes]:
    return [batch[i : i + 32] for i in range(0, len(batch), 32)]


def leaves_of(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[int, bytes]]:
    """(seq, leaf hash) of rows given as values in ``records.FIELDS`` order."""
    for values in rows:
        yield values[0], leaf_hash(leaf_of_values(values))


def hashes_of(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[int, bytes, bool]]:
    """(seq, leaf hash, pruned) of rows given as values in ``records.ROW_FIELDS`` order followed
    by the kept hash (``pruned_leaf``): the kept hash only when the content is gone."""
    for values in rows:
        kept = values[-1]
        if kept is not None and is_emptied(values):
            yield values[0], bytes(kept), True
        else:
            yield values[0], leaf_hash(leaf_of_values(values[:-1])), False


def verify_log(
    hashed: Iterable[tuple[int, bytes] | tuple[int, bytes, bool]],
    checkpoints: Iterable[StoredCheckpoint],
    keys: Sequence[PublicKey],
    *,
    log_id: str,
    trusted: Iterable[Checkpoint] = (),
    head_size: int | None = None,
) -> VerifyReport:
    """Verify the records, as (seq, leaf hash recomputed from their fields[, pruned]) in
    ascending seq (``leaves_of``, ``hashes_of``), against the stored ``checkpoints`` and the
    ``trusted`` ones from elsewhere, signed by one of ``keys``."""
    report = VerifyReport()
    by_size: dict[int, StoredCheckpoint] = {}
    forged: list[int] = []
    stored = list(checkpoints) + [StoredCheckpoint(t) for t in trusted]
    signed = verified_each(keys, [sc.checkpoint for sc in stored], log_id=log_id)
    for sc, is_signed in zip(stored, signed, strict=True):
        cp = sc.checkpoint
        if cp.log_id != log_id or not is_signed:
            forged.append(cp.size)
            continue
        seen = by_size.get(cp.size)
        if seen is not None and seen.checkpoint.root != cp.root:
            report.bad(cp.size, f"two signed checkpoints of size {cp.size} disagree (a fork)")
            continue
        if seen is None or (seen.batch is None and sc.batch is not None):
            by_size[cp.size] = sc
    sizes = sorted(by_size)
    report.checkpoints_checked = len(sizes)
    for size in sorted(forged):
        # A checkpoint rewritten without the key: what it covers beyond the last genuine one is
        # unvouched for, so the first suspect record follows that genuine checkpoint.
        genuine = max((s for s in sizes if s < size), default=0)
        report.bad(
            genuine + 1,
            f"the checkpoint of size {size} is not signed by this log's key (rewritten): "
            f"records {genuine + 1}..{size} are not vouched for",
        )

    acc = CompactRange()
    trusted_acc = CompactRange()  # the tree as the last checkpoint vouches for it
    segment: list[bytes] = []  # recomputed leaf hashes since the last checkpoint
    next_cp = 0
    expected = 1
    for seq, h, *pruned in hashed:
        if pruned and pruned[0]:
            report.note_pruned(seq)
        if seq != expected:
            report.bad(min(seq, expected), f"record {expected} is missing or out of place")
            expected = seq
        acc.append(h)
        segment.append(h)
        expected += 1
        if next_cp < len(sizes) and acc.size == sizes[next_cp]:
            _check(report, acc, trusted_acc, segment, by_size[sizes[next_cp]])
            acc = trusted_acc.copy()
            segment = []
            next_cp += 1
    report.records = acc.size
    report.root = acc.root()
    if next_cp < len(sizes):
        last = sizes[-1]
        report.bad(
            acc.size + 1,
            f"the log ends at record {acc.size} but a signed checkpoint covers {last} records: "
            f"records {acc.size + 1}..{last} were removed",
        )
    if head_size is not None and head_size != acc.size:
        report.bad(
            min(head_size, acc.size) + 1,
            f"the log's head says {head_size} records but {acc.size} were found",
        )
    report.signed_size = sizes[next_cp - 1] if next_cp else 0
    report.unsigned_records = max(acc.size - report.signed_size, 0)
    return report


def _check(
    report: VerifyReport,
    acc: CompactRange,
    trusted_acc: CompactRange,
    segment: list[bytes],
    sc: StoredCheckpoint,
) -> None:
    """Compare the rebuilt tree with one checkpoint; on a mismatch name the first bad record.
    Leaves ``trusted_acc`` at the checkpoint's tree (the authentic one when it is known)."""
    cp = sc.checkpoint
    start = trusted_acc.size  # records start+1..cp.size were added since the last checkpoint
    if acc.root() == cp.root:
        trusted_acc.hashes, trusted_acc.size = list(acc.hashes), acc.size
        return
    authentic = None
    if sc.batch is not None:
        claimed = _split_batch(sc.batch)
        candidate = trusted_acc.copy()
        candidate.extend(claimed)
        if candidate.size == cp.size and candidate.root() == cp.root:
            authentic = claimed
            trusted_acc.hashes, trusted_acc.size = candidate.hashes, candidate.size
    if authentic is None:
        report.bad(
            start + 1,
            f"records {start + 1}..{cp.size} do not match the signed checkpoint of size "
            f"{cp.size} (edited, removed, inserted or reordered)",
        )
        # Past this point nothing is vouched for: keep comparing with the rebuilt tree.
        trusted_acc.hashes, trusted_acc.size = list(acc.hashes), acc.size
        return
    for i, (got, want) in enumerate(zip(segment, authentic, strict=False)):
        if got != want:
            report.bad(
                start + i + 1,
                f"record {start + i + 1} does not match the signed checkpoint of size "
                f"{cp.size} (edited, removed, inserted or reordered)",
            )
            return
    report.bad(start + len(segment) + 1, f"records are missing before the checkpoint {cp.size}")
