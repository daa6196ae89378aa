"""Access-log records and checkpoints on the wire (``zorgtafel.disclosure.v1.AccessLogEntry``,
``SignedCheckpoint``): one mapping for disclosure's AccessLog and every service's
``AccessLogService``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint
from zorgtafel.kernel.accesslog.verify import VerifyReport
from zorgtafel.kernel.convert import to_timestamp


def log_entry_out(r: Mapping[str, Any]) -> pb.AccessLogEntry:
    entry = pb.AccessLogEntry(
        seq=r["seq"],
        decision_id=r["decision_id"],
        time=to_timestamp(r["recorded_at"]),
        party=r["party"],
        person=r["person"],
        role=r["role"],
        action=r["action"],
        purpose=r["purpose"],
        resource=r["resource"],
        subject_pseudonym=r["subject_pseudonym"],
        case_id=r["case_id"],
        provider=r["provider"],
        result=r["result"],
        reasons=list(r["reasons"]),
        policy_revision=r["policy_revision"],
        trace_id=r["trace_id"],
        span_id=r["span_id"],
        processing_activity=r["processing_activity"],
        emergency=bool(r["emergency"]),
        recipient=r.get("recipient") or "",
        rpc=r.get("rpc") or "",
        input_digest=r.get("input_digest") or "",
    )
    proof = r.get("proof")
    if proof is not None:
        entry.proof.CopyFrom(
            pb.RecordProof(
                leaf=proof.leaf,
                leaf_index=proof.index,
                audit_path=list(proof.path),
                checkpoint=checkpoint_out(proof.checkpoint),
            )
        )
    return entry


def checkpoint_out(cp: Checkpoint) -> pb.SignedCheckpoint:
    return pb.SignedCheckpoint(
        log_id=cp.log_id,
        size=cp.size,
        root=cp.root,
        signed_at=cp.signed_at,
        key_id=cp.key_id,
        signature=cp.signature,
    )


def checkpoint_in(c: pb.SignedCheckpoint) -> Checkpoint:
    return Checkpoint(c.log_id, c.size, c.root, c.signed_at, c.key_id, c.signature)


def verify_out(report: VerifyReport, latest: Checkpoint | None) -> pb.VerifyLogResponse:
    out = pb.VerifyLogResponse(
        intact=report.intact,
        records=report.records,
        first_bad_seq=report.first_bad_seq,
        problems=report.problems,
        signed_size=report.signed_size,
        unsigned_records=report.unsigned_records,
        checkpoints_checked=report.checkpoints_checked,
        pruned_records=report.pruned,
        pruned=[pb.PrunedRange(first=a, last=b) for a, b in report.pruned_ranges],
    )
    if latest is not None:
        out.latest.CopyFrom(checkpoint_out(latest))
    return out
