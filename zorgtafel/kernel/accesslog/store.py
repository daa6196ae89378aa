"""The access log's storage (adapter): its tables, the batched append inside a transaction,
reading records and checkpoints, verification, inclusion and consistency proofs.

Writers of other processes (replicas) are serialised on the head row (``access_log_head``:
size, the tree's compact range, root), locked once per *batch*: ``SELECT ... FOR UPDATE`` on
PostgreSQL, the head UPDATE as the transaction's first write on SQLite. Within a process the
group committer (``group.py``) makes concurrent requests share that batch, so they do not queue
on the lock one by one.

A pruned record (``prune.py``) is hashed by the leaf hash it kept, on both paths (Python and
PostgreSQL's ``_pg_leaf``), and only while its content is gone (``records.is_emptied``).
"""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    cast,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.engine import Connection, CursorResult, Engine, Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from zorgtafel.kernel.accesslog import merkle
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, Signer
from zorgtafel.kernel.accesslog.records import (
    FIELDS,
    INPUT_FIELD,
    LEAF_VERSION,
    LEAF_VERSION_2,
    PRUNED_FIELDS,
    PRUNED_LEAF,
    ROW_FIELDS,
    SEPARATOR,
    AccessRecord,
    leaf_of_row,
    leaf_of_values,
    timestamp,
)
from zorgtafel.kernel.accesslog.verify import (
    StoredCheckpoint,
    VerifyReport,
    hashes_of,
    verify_log,
)
from zorgtafel.kernel.types import UtcDateTime

HEAD_ID = 1
MAX_QUERY = 1000
FILTERS = ("subject_pseudonym", "provider", "party", "case_id", "decision_id")


def add_access_log_tables(metadata: MetaData) -> dict[str, Table]:
    """The access log, its head and its signed checkpoints, for a service's metadata."""
    log = Table(
        "access_log",
        metadata,
        Column(
            "seq",
            BigInteger().with_variant(Integer, "sqlite"),
            primary_key=True,
            autoincrement=False,
        ),
        Column("recorded_at", UtcDateTime(), nullable=False),
        Column("party", String(64), nullable=False),
        Column("person", String(128), nullable=False),
        Column("role", String(64), nullable=False),
        Column("rpc", String(64), nullable=False),
        Column("action", String(40), nullable=False),
        # The items or sections seen (identifiers, never content).
        Column("resource", String(256), nullable=False),
        Column("case_id", String(64), nullable=False),
        Column("subject_pseudonym", String(128), nullable=False),
        Column("provider", String(64), nullable=False),
        Column("purpose", String(64), nullable=False),
        Column("processing_activity", String(128), nullable=False),
        Column("result", String(20), nullable=False),
        Column("reasons", Text, nullable=False),
        Column("decision_id", String(64), nullable=False),
        Column("policy_revision", String(128), nullable=False),
        Column("trace_id", String(32), nullable=False),
        Column("span_id", String(16), nullable=False),
        # The receiving party (the caller's, or the third party of a release).
        Column("recipient", String(64), nullable=False),
        Column("emergency", Boolean, nullable=False),
        Column("input_digest", String(64), nullable=False),
        # The decision's input for replay (records.py): pseudonymous canonical JSON, "" when
        # none was kept; under the log's retention like every other field.
        Column("decision_input", Text, nullable=False, server_default=""),
        # The leaf hash (32 bytes) of a record pruned at the end of its retention period, whose
        # other fields were emptied (prune.py); NULL while the record is whole.
        Column(PRUNED_LEAF, LargeBinary, nullable=True),
    )
    Index("ix_access_log_subject", log.c.subject_pseudonym, log.c.seq)
    Index("ix_access_log_provider", log.c.provider, log.c.seq)
    Index("ix_access_log_party", log.c.party, log.c.seq)
    Index("ix_access_log_decision", log.c.decision_id)
    # ListAccess by case pages newest first by key (migration step access_log_v4).
    Index("ix_access_log_case", log.c.case_id, log.c.seq)
    head = Table(
        "access_log_head",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("size", BigInteger, nullable=False),
        # The compact range: one hex hash per set bit of size, largest subtree first.
        Column("frontier", Text, nullable=False),
        Column("root", String(64), nullable=False),
    )
    checkpoints = Table(
        "access_log_checkpoints",
        metadata,
        Column("size", BigInteger, primary_key=True, autoincrement=False),
        Column("root", String(64), nullable=False),
        Column("signed_at", String(40), nullable=False),
        Column("key_id", String(32), nullable=False),
        Column("signature", String(128), nullable=False),
        # The leaf hashes this checkpoint added (32 bytes each): names the first bad record.
        Column("batch", LargeBinary, nullable=True),
    )
    return {"access_log": log, "access_log_head": head, "access_log_checkpoints": checkpoints}


@dataclass(frozen=True)
class LogTables:
    log: Table
    head: Table
    checkpoints: Table

    @classmethod
    def of(cls, tables: Mapping[str, Table]) -> LogTables:
        t = tables
        return cls(t["access_log"], t["access_log_head"], t["access_log_checkpoints"])

    def columns(self) -> list[Column[Any]]:
        """The stored fields in ``ROW_FIELDS`` order (the leaf's, then the decision input)."""
        return [self.log.c[name] for name in ROW_FIELDS]


@dataclass(frozen=True)
class Appended:
    seqs: list[int]
    checkpoint: Checkpoint | None
    # The tree after the append (size, compact range): the writer's hint for its next batch.
    head: merkle.CompactRange | None = None


@dataclass(frozen=True)
class InclusionProof:
    record: dict[str, Any]
    leaf: bytes  # the canonical leaf (records.leaf_of_row)
    index: int  # seq - 1
    checkpoint: Checkpoint
    path: list[bytes]


def _frontier_text(acc: merkle.CompactRange) -> str:
    return ",".join(h.hex() for h in acc.hashes)


def _frontier(size: int, text: str) -> merkle.CompactRange:
    return merkle.CompactRange(size, [bytes.fromhex(h) for h in text.split(",") if h])


def ensure_head(session: Session, t: LogTables) -> None:
    if session.execute(select(t.head.c.id).where(t.head.c.id == HEAD_ID)).first() is None:
        session.execute(
            insert(t.head).values(id=HEAD_ID, size=0, frontier="", root=merkle.EMPTY_ROOT.hex())
        )


def _lock_head(session: Session, t: LogTables) -> merkle.CompactRange:
    h = t.head
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            select(h.c.size, h.c.frontier).where(h.c.id == HEAD_ID).with_for_update()
        ).first()
    else:
        # The first write of the transaction: SQLite takes its write lock here.
        session.execute(update(h).where(h.c.id == HEAD_ID).values(size=h.c.size))
        row = session.execute(select(h.c.size, h.c.frontier).where(h.c.id == HEAD_ID)).first()
    if row is None:
        raise RuntimeError("access log head missing")
    return _frontier(int(row.size), row.frontier)


def _extended(
    acc: merkle.CompactRange, records: Sequence[AccessRecord]
) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The records as rows numbered after ``acc``, appended to it; their leaf hashes."""
    rows, batch = [], []
    for rec in records:
        row = rec.row(acc.size + 1)
        h = merkle.leaf_hash(leaf_of_row(row))
        acc.append(h)
        batch.append(h)
        rows.append(row)
    return rows, batch


def _move_head(
    session: Session, t: LogTables, acc: merkle.CompactRange, root: bytes, *, was: Any = None
) -> bool:
    """Set the head to ``acc`` (its ``root``); with ``was`` (size, root) only when the head is
    still exactly that: whether it moved."""
    h = t.head
    query = update(h).where(h.c.id == HEAD_ID)
    if was is not None:
        query = query.where(h.c.size == was[0], h.c.root == was[1])
    values = {"size": acc.size, "frontier": _frontier_text(acc), "root": root.hex()}
    result = typing.cast("CursorResult[Any]", session.execute(query.values(**values)))
    return result.rowcount == 1


def append_batch(
    session: Session,
    t: LogTables,
    records: Sequence[AccessRecord],
    *,
    signer: Signer | None,
    log_id: str,
    now: datetime,
    known: merkle.CompactRange | None = None,
) -> Appended:
    """Append ``records`` in the session's transaction and sign the new tree head; the caller
    commits (or everything rolls back).

    ``known`` is the head as this writer left it after its last committed batch. The head is
    then moved by one conditional UPDATE (the row lock, and SQLite's write lock, as its first
    write), which holds only while the head is still exactly that one (size and root): a
    statement fewer than locking and reading the head. When another writer (a replica) moved
    it meanwhile, nothing was written, and the head is locked and read as without a hint."""
    cp: Checkpoint | None = None
    signed = False  # the checkpoint written with the head's move already
    if known is not None and records:
        acc = known.copy()
        was = (acc.size, acc.root().hex())
        rows, batch = _extended(acc, records)
        root = acc.root()
        if signer is not None and session.get_bind().dialect.name == "postgresql":
            # The move and its checkpoint in one statement (a round trip fewer): the
            # checkpoint is inserted only by the move that happened (issue #16).
            cp = signer.sign(log_id, acc.size, root, timestamp(now))
            signed = _move_head_signed(session, t, acc, root, was, cp, b"".join(batch))
            moved = signed
        else:
            moved = _move_head(session, t, acc, root, was=was)
        if not moved:
            known = None
    if known is None or not records:
        acc = _lock_head(session, t)
        if not records:
            return Appended([], None, acc)
        rows, batch = _extended(acc, records)
        root = acc.root()
        _move_head(session, t, acc, root)
    session.execute(insert(t.log), rows)
    if signer is not None and not signed:
        cp = signer.sign(log_id, acc.size, root, timestamp(now))
        session.execute(insert(t.checkpoints).values(**_checkpoint_row(cp, b"".join(batch))))
    return Appended([r["seq"] for r in rows], cp, acc)


def _move_head_signed(
    session: Session,
    t: LogTables,
    acc: merkle.CompactRange,
    root: bytes,
    was: tuple[int, str],
    cp: Checkpoint,
    batch: bytes,
) -> bool:
    """PostgreSQL: ``_move_head`` with ``was``, and the checkpoint of the moved head inserted
    by the same statement, only when the head moved (the UPDATE's RETURNING feeds the INSERT);
    whether it moved. Either both are written or neither."""
    params = {
        "was_size": was[0],
        "was_root": was[1],
        "new_size": acc.size,
        "new_frontier": _frontier_text(acc),
        "new_root": root.hex(),
    } | {"cp_" + k: v for k, v in _checkpoint_row(cp, batch).items()}
    return session.execute(_signed_move(t), params).first() is not None


@lru_cache(maxsize=32)
def _signed_move(t: LogTables) -> Any:
    """``_move_head_signed``'s statement, built once per log (every batch of the group commit
    runs it: issue #16); its values are bound parameters."""
    h, c = t.head, t.checkpoints
    moved = (
        update(h)
        .where(
            h.c.id == HEAD_ID,
            h.c.size == bindparam("was_size"),
            h.c.root == bindparam("was_root"),
        )
        .values(
            size=bindparam("new_size"),
            frontier=bindparam("new_frontier"),
            root=bindparam("new_root"),
        )
        .returning(h.c.id)
        .cte("moved")
    )
    names = list(_CHECKPOINT_FIELDS)
    values = select(*(bindparam("cp_" + k, type_=c.c[k].type).label(k) for k in names))
    return (
        insert(c).from_select(names, values.select_from(moved)).add_cte(moved).returning(c.c.size)
    )


_CHECKPOINT_FIELDS = ("size", "root", "signed_at", "key_id", "signature", "batch")


def _checkpoint_row(cp: Checkpoint, batch: bytes | None) -> dict[str, Any]:
    return {
        "size": cp.size,
        "root": cp.root.hex(),
        "signed_at": cp.signed_at,
        "key_id": cp.key_id,
        "signature": cp.signature.hex(),
        "batch": batch,
    }


def sign_head(
    session: Session, t: LogTables, *, signer: Signer, log_id: str, now: datetime
) -> Checkpoint | None:
    """A checkpoint of the current head when none covers it (records written without a key, or
    taken over by a migration); returns the newest checkpoint either way."""
    acc = _lock_head(session, t)
    last = latest_checkpoint(session.connection(), t, log_id)
    if last is not None and last.size == acc.size:
        return last
    if acc.size == 0:
        return None
    start = last.size if last is not None else 0
    batch = b"".join(leaf_hashes(session.connection(), t, acc.size, start=start))
    cp = signer.sign(log_id, acc.size, acc.root(), timestamp(now))
    session.execute(insert(t.checkpoints).values(**_checkpoint_row(cp, batch)))
    return cp


# -- reading -------------------------------------------------------------------------------------


def iter_values(
    conn: Connection, t: LogTables, *, start: int = 0, stop: int | None = None, batch: int = 5000
) -> Iterator[Sequence[Any]]:
    """Rows as value tuples in ``FIELDS`` order, ascending seq, ``start`` < seq <= ``stop``."""
    return _iter_rows(conn, t, t.columns(), start=start, stop=stop, batch=batch)


def _iter_rows(
    conn: Connection,
    t: LogTables,
    cols: Sequence[ColumnElement[Any]],
    *,
    start: int,
    stop: int | None,
    batch: int,
) -> Iterator[Sequence[Any]]:
    """``cols`` (the first one seq) of the records ``start`` < seq <= ``stop``, ascending seq,
    read ``batch`` at a time after the last seq read."""
    last = start
    while True:
        q = select(*cols).where(t.log.c.seq > last)
        if stop is not None:
            q = q.where(t.log.c.seq <= stop)
        rows = conn.execute(q.order_by(t.log.c.seq).limit(batch)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _pg_pruned(t: LogTables) -> ColumnElement[bool]:
    """A pruned record as PostgreSQL sees it, exactly ``records.is_emptied`` with a kept hash:
    the kept hash never stands in for content that is still there."""
    c = t.log.c
    return and_(
        c[PRUNED_LEAF].is_not(None),
        *(c[n] == false() if n == "emergency" else c[n] == literal("") for n in PRUNED_FIELDS),
    )


def _pg_leaf(t: LogTables) -> ColumnElement[Any]:
    """The leaf hash as a PostgreSQL expression, exactly ``records.leaf_of_values``'s encoding
    (tests compare the two on Unicode, separators and both booleans); a pruned record's kept
    hash."""
    c = t.log.c
    parts: list[ColumnElement[Any]] = []
    for name in ROW_FIELDS:
        col = c[name]
        if name == "seq":
            parts.append(cast(col, Text))
        elif name == "recorded_at":
            parts.append(
                func.to_char(func.timezone("UTC", col), 'YYYY-MM-DD"T"HH24:MI:SS.US')
                + literal("+00:00")
            )
        elif name == "emergency":
            parts.append(case((col, literal("1")), else_=literal("0")))
        else:
            parts.append(col)
    v1 = literal(LEAF_VERSION).op("||")(func.concat_ws(literal(SEPARATOR), *parts[: len(FIELDS)]))
    v2 = literal(LEAF_VERSION_2).op("||")(func.concat_ws(literal(SEPARATOR), *parts))
    # A kept decision input makes a version 2 leaf (records.leaf_of_values).
    text = case((c[INPUT_FIELD] == literal(""), v1), else_=v2)
    content = func.sha256(
        literal(b"\x00", LargeBinary).op("||")(func.convert_to(text, literal("UTF8")))
    )
    return case((_pg_pruned(t), c[PRUNED_LEAF]), else_=content)


PG_GROUP = 2048  # leaf hashes per result row
PG_CHUNK = 16384  # records per query; two queries run at once, one per connection


Hashed = tuple[int, bytes, bool]  # (seq, leaf hash, pruned)


def _pg_chunk(engine: Engine, t: LogTables, lo: int, hi: int) -> list[Hashed]:
    """(seq, leaf hash, pruned) of records lo < seq <= hi, hashed by PostgreSQL and returned
    2048 to a row: verification is not bound by decoding rows in Python."""
    c = t.log.c
    group = ((c.seq - 1) / PG_GROUP).label("g")
    leaf = _pg_leaf(t)
    flag = case((_pg_pruned(t), literal("1")), else_=literal("0"))
    out: list[Hashed] = []
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                group,
                func.count(),
                func.min(c.seq),
                func.max(c.seq),
                func.string_agg(leaf, aggregate_order_by(literal(b"", LargeBinary), c.seq)),
                func.string_agg(flag, aggregate_order_by(literal(""), c.seq)),
            )
            .where(c.seq > lo, c.seq <= hi)
            .group_by(group)
            .order_by(group)
        ).all()
        for _, count, first, last, blob, flags in rows:
            if count == last - first + 1:
                blob = bytes(blob)
                out.extend(
                    (first + i, blob[32 * i : 32 * i + 32], flags[i] == "1") for i in range(count)
                )
            else:  # a gap or a stranger seq: one row each, so the verifier sees exactly which
                out.extend(
                    (int(seq), bytes(h), flag == "1")
                    for seq, h, flag in conn.execute(
                        select(c.seq, leaf, flag)
                        .where(c.seq >= first, c.seq <= last)
                        .order_by(c.seq)
                    ).all()
                )
    return out


def _pg_leaf_hashes(
    conn: Connection, t: LogTables, *, start: int, stop: int | None
) -> Iterator[Hashed]:
    """(seq, leaf hash, pruned) computed by PostgreSQL, two chunks at a time on two connections (the
    server's processes hash in parallel while this one builds the tree). Trusting the server to
    hash what it holds is no more trust than trusting it to return what it holds; the signed
    roots decide either way."""
    top = conn.execute(select(func.max(t.log.c.seq))).scalar() or 0
    stop = top if stop is None else min(stop, top)
    bounds = [(lo, min(lo + PG_CHUNK, stop)) for lo in range(start, stop, PG_CHUNK)]
    if not bounds:
        return
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="accesslog-verify") as pool:
        pending = [pool.submit(_pg_chunk, conn.engine, t, lo, hi) for lo, hi in bounds[:2]]
        nxt = 2
        while pending:
            chunk = pending.pop(0).result()
            if nxt < len(bounds):
                pending.append(pool.submit(_pg_chunk, conn.engine, t, *bounds[nxt]))
                nxt += 1
            yield from chunk


def _iter_hash_rows(
    conn: Connection, t: LogTables, *, start: int, stop: int | None, batch: int
) -> Iterator[Sequence[Any]]:
    """Rows as ``ROW_FIELDS`` values followed by the kept hash, ascending seq."""
    cols = [*t.columns(), t.log.c[PRUNED_LEAF]]
    return _iter_rows(conn, t, cols, start=start, stop=stop, batch=batch)


def hashed_records(
    conn: Connection,
    t: LogTables,
    *,
    start: int = 0,
    stop: int | None = None,
    batch: int = 20000,
) -> Iterator[Hashed]:
    """(seq, leaf hash, pruned) of records ``start`` < seq <= ``stop``: recomputed from their
    fields, or the kept hash of a pruned record."""
    if conn.dialect.name == "postgresql":
        return _pg_leaf_hashes(conn, t, start=start, stop=stop)
    return hashes_of(_iter_hash_rows(conn, t, start=start, stop=stop, batch=batch))


def hashed_leaves(
    conn: Connection,
    t: LogTables,
    *,
    start: int = 0,
    stop: int | None = None,
    batch: int = 20000,
) -> Iterator[tuple[int, bytes]]:
    """(seq, leaf hash) of records ``start`` < seq <= ``stop`` (``hashed_records``)."""
    return ((seq, h) for seq, h, _ in hashed_records(conn, t, start=start, stop=stop, batch=batch))


def _stored_checkpoint(row: Row[Any], log_id: str) -> StoredCheckpoint:
    cp = Checkpoint(
        log_id,
        int(row.size),
        bytes.fromhex(row.root),
        row.signed_at,
        row.key_id,
        bytes.fromhex(row.signature),
    )
    return StoredCheckpoint(cp, bytes(row.batch) if row.batch is not None else None)


def stored_checkpoints(conn: Connection, t: LogTables, log_id: str) -> list[StoredCheckpoint]:
    rows = conn.execute(select(t.checkpoints).order_by(t.checkpoints.c.size)).all()
    return [_stored_checkpoint(r, log_id) for r in rows]


def latest_checkpoint(
    conn: Connection, t: LogTables, log_id: str, *, at_least: int = 0
) -> Checkpoint | None:
    q = select(t.checkpoints).order_by(t.checkpoints.c.size.desc()).limit(1)
    if at_least:
        q = q.where(t.checkpoints.c.size >= at_least)
    row = conn.execute(q).first()
    return _stored_checkpoint(row, log_id).checkpoint if row is not None else None


def head_size(conn: Connection, t: LogTables) -> int | None:
    row = conn.execute(select(t.head.c.size).where(t.head.c.id == HEAD_ID)).first()
    return int(row.size) if row is not None else None


def verify(
    conn: Connection,
    t: LogTables,
    keys: Sequence[PublicKey],
    *,
    log_id: str,
    trusted: Iterable[Checkpoint] = (),
) -> VerifyReport:
    """Verify the log as it stood when verification began; records appended meanwhile wait for
    the next one. The checkpoints are read before the head and the records after it, so a batch
    committing in between never looks like a removal or an insertion."""
    checkpoints = stored_checkpoints(conn, t, log_id)
    size = head_size(conn, t)
    top = max([size or 0] + [sc.checkpoint.size for sc in checkpoints])
    return verify_log(
        hashed_records(conn, t, stop=top),
        checkpoints,
        keys,
        log_id=log_id,
        trusted=trusted,
        head_size=size,
    )


def leaf_hashes(conn: Connection, t: LogTables, size: int, *, start: int = 0) -> list[bytes]:
    """The leaf hashes of records ``start``+1..``size``, recomputed from the records."""
    return [h for _, h in hashed_leaves(conn, t, start=start, stop=size)]


def record_of(values: Sequence[Any]) -> dict[str, Any]:
    names = ROW_FIELDS if len(values) == len(ROW_FIELDS) else FIELDS
    rec = dict(zip(names, values, strict=True))
    rec["reasons"] = json.loads(rec["reasons"]) if rec["reasons"] else []
    return rec


def inclusion(conn: Connection, t: LogTables, seq: int, log_id: str) -> InclusionProof | None:
    """The proof that record ``seq`` is in the tree of the newest checkpoint; None when no
    checkpoint covers it yet, or the record was pruned (there is no record left to prove). The
    path comes from the records as stored: a record changed since it was signed yields a proof
    that fails against the signed root, as it should."""
    cp = latest_checkpoint(conn, t, log_id, at_least=seq)
    if cp is None:
        return None
    values = next(iter_values(conn, t, start=seq - 1, stop=seq), None)
    if values is None or _is_pruned(conn, t, seq):
        return None
    hashes = leaf_hashes(conn, t, cp.size)
    return InclusionProof(
        record_of(values),
        leaf_of_values(values),
        seq - 1,
        cp,
        merkle.inclusion_proof(seq - 1, hashes),
    )


def _is_pruned(conn: Connection, t: LogTables, seq: int) -> bool:
    kept = conn.execute(select(t.log.c[PRUNED_LEAF]).where(t.log.c.seq == seq)).scalar()
    return kept is not None


def consistency(conn: Connection, t: LogTables, first: int, second: int) -> list[bytes]:
    """The proof that the tree of ``first`` records is a prefix of the tree of ``second``."""
    return merkle.consistency_proof(first, leaf_hashes(conn, t, second))


def latest(
    session: Session, t: LogTables, by: str, value: str, limit: int = MAX_QUERY
) -> list[dict[str, Any]]:
    """The newest records of one subject, provider, party, case or decision."""
    if by not in FILTERS:
        raise ValueError(f"no access-log filter {by!r}")
    limit = MAX_QUERY if limit <= 0 else min(limit, MAX_QUERY)
    rows = session.execute(
        select(*t.columns())
        .where(t.log.c[by] == value, t.log.c[PRUNED_LEAF].is_(None))
        .order_by(t.log.c.seq.desc())
        .limit(limit)
    ).all()
    return [record_of(r) for r in rows]


def parties_concerned(session: Session, t: LogTables, by: str, value: str) -> list[dict[str, Any]]:
    """The distinct (party, recipient, provider, result) of every whole record of one filter:
    what ``oversight.concerned_parties`` needs to name every party the listing concerns, read
    in one statement however many records the filter holds (a few dozen combinations)."""
    if by not in FILTERS:
        raise ValueError(f"no access-log filter {by!r}")
    c = t.log.c
    rows = session.execute(
        select(c.party, c.recipient, c.provider, c.result)
        .where(c[by] == value, c[PRUNED_LEAF].is_(None))
        .distinct()
    ).all()
    return [dict(r._mapping) for r in rows]


def concerning(
    t: LogTables, party: str, concern_by: str, looks: Sequence[str]
) -> ColumnElement[bool]:
    """The records whose oversight concerns ``party``, in SQL: ``oversight.concerned_parties``
    (an allowed look: its reader, recipient and provider; a refused attempt: the provider and,
    listed by party, the reader's own party). The listing keeps the Python rule as well."""
    c = t.log.c
    who = [c.provider == party]
    if concern_by == "party":
        who.append(c.party == party)
    who.append(and_(c.result.in_(looks), or_(c.party == party, c.recipient == party)))
    return or_(*who)


def page_newest(
    session: Session,
    t: LogTables,
    by: str,
    value: str,
    *,
    limit: int,
    before_seq: int | None = None,
    where: ColumnElement[bool] | None = None,
) -> list[dict[str, Any]]:
    """Up to ``limit`` whole records of one filter, newest first, older than ``before_seq``
    (a keyset page: the same cost on the last page as on the first, and nothing skipped or
    repeated when records are appended between pages), narrowed by ``where``."""
    if by not in FILTERS:
        raise ValueError(f"no access-log filter {by!r}")
    c = t.log.c
    query = select(*t.columns()).where(c[by] == value, c[PRUNED_LEAF].is_(None))
    if before_seq is not None:
        query = query.where(c.seq < before_seq)
    if where is not None:
        query = query.where(where)
    rows = session.execute(query.order_by(c.seq.desc()).limit(limit)).all()
    return [record_of(r) for r in rows]


def of_subject(session: Session, t: LogTables, subject_pseudonym: str) -> list[dict[str, Any]]:
    return every(session, t, "subject_pseudonym", subject_pseudonym)


def every(session: Session, t: LogTables, by: str, value: str) -> list[dict[str, Any]]:
    """Every whole record of one filter, oldest first (a subject's reports)."""
    if by not in FILTERS:
        raise ValueError(f"no access-log filter {by!r}")
    rows = session.execute(
        select(*t.columns())
        .where(t.log.c[by] == value, t.log.c[PRUNED_LEAF].is_(None))
        .order_by(t.log.c.seq)
    ).all()
    return [record_of(r) for r in rows]
