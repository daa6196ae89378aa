"""The access log's storage: append hash-chained records inside the caller's transaction, and
verify the chain (also used by ``zorgtafel verify-log``).

Writers are serialised on the chain head (``access_log_head``, one row): on PostgreSQL with a
transaction-level advisory lock plus ``SELECT ... FOR UPDATE`` of the head row; on SQLite by
making the head UPDATE the transaction's first write, which takes the database's write lock
before the head is read. Two concurrent decisions therefore never read the same head and never
fork the chain.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Mapping

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import access_log, access_log_head
from services.disclosure.domain.chain import GENESIS_HASH, ChainReport, record_hash, verify_chain

HEAD_ID = 1
ADVISORY_LOCK_KEY = 7_513_001  # NEN 7513; any constant shared by every replica
MAX_QUERY = 1000
FILTERS = ("subject_pseudonym", "provider", "party")


def ensure_head(session: Session) -> None:
    if (
        session.execute(select(access_log_head.c.id).where(access_log_head.c.id == HEAD_ID)).first()
        is None
    ):
        session.execute(insert(access_log_head).values(id=HEAD_ID, seq=0, hash=GENESIS_HASH))


def _lock_head(session: Session) -> tuple[int, str]:
    h = access_log_head
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})
        row = session.execute(
            select(h.c.seq, h.c.hash).where(h.c.id == HEAD_ID).with_for_update()
        ).first()
    else:
        # The first write of the transaction: SQLite takes its write lock here.
        session.execute(update(h).where(h.c.id == HEAD_ID).values(seq=h.c.seq))
        row = session.execute(select(h.c.seq, h.c.hash).where(h.c.id == HEAD_ID)).first()
    if row is None:
        raise RuntimeError("access log chain head missing")
    return int(row.seq), row.hash


def append(session: Session, records: Iterable[Mapping[str, Any]]) -> list[dict]:
    """Chain and insert ``records`` (without seq/prev_hash/hash) in the session's transaction;
    return them completed. The caller commits (or everything, decision included, rolls back)."""
    records = list(records)
    if not records:
        return []
    seq, prev = _lock_head(session)
    done = []
    for rec in records:
        seq += 1
        row = dict(rec, seq=seq, prev_hash=prev)
        row["reasons"] = list(row.get("reasons", []))
        row["hash"] = record_hash(row)
        prev = row["hash"]
        done.append(row)
    session.execute(insert(access_log), [dict(r, reasons=json.dumps(r["reasons"])) for r in done])
    session.execute(
        update(access_log_head).where(access_log_head.c.id == HEAD_ID).values(seq=seq, hash=prev)
    )
    return done


def row_to_record(row) -> dict:
    rec = dict(row._mapping)
    rec["reasons"] = json.loads(rec["reasons"]) if rec["reasons"] else []
    return rec


def iter_records(conn, batch: int = 1000) -> Iterator[dict]:
    last = 0
    while True:
        rows = conn.execute(
            select(access_log)
            .where(access_log.c.seq > last)
            .order_by(access_log.c.seq)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield row_to_record(row)
        last = rows[-1].seq


def verify(conn) -> ChainReport:
    head = conn.execute(
        select(access_log_head.c.seq, access_log_head.c.hash).where(access_log_head.c.id == HEAD_ID)
    ).first()
    report = verify_chain(
        iter_records(conn), head.seq if head else None, head.hash if head else None
    )
    if head is None and report.records:
        report.intact = False
        report.problems.append("the chain head is missing")
        report.first_bad_seq = report.first_bad_seq or report.records
    return report


class AccessLogRepository:
    """The access log as handlers use it, in the unit of work's transaction."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def ensure_head(self) -> None:
        ensure_head(self._s)

    def append(self, records: Iterable[Mapping[str, Any]]) -> list[dict]:
        return append(self._s, records)

    def latest(self, by: str, value: str, limit: int = MAX_QUERY) -> list[dict]:
        """The newest records of one subject, provider or party (``by`` one of FILTERS)."""
        if by not in FILTERS:
            raise ValueError(f"no access-log filter {by!r}")
        limit = MAX_QUERY if limit <= 0 else min(limit, MAX_QUERY)
        rows = self._s.execute(
            select(access_log)
            .where(access_log.c[by] == value)
            .order_by(access_log.c.seq.desc())
            .limit(limit)
        ).all()
        return [row_to_record(r) for r in rows]

    def of_subject(self, subject_pseudonym: str) -> list[dict]:
        """Every record about the subject, oldest first (the subject access report)."""
        return [
            row_to_record(r)
            for r in self._s.execute(
                select(access_log)
                .where(access_log.c.subject_pseudonym == subject_pseudonym)
                .order_by(access_log.c.seq)
            ).all()
        ]

    def verify(self) -> ChainReport:
        return verify(self._s.connection())
