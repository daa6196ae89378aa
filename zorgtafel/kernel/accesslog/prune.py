"""Pruning the access log at the end of its retention period (kind ``access_log``,
``policies/rego/retention/data.json``; issue #14), without making it unverifiable.

A record past its period loses its content: every field that names a person, a party, a case,
a subject, an item, a decision or its input (``records.PRUNED_FIELDS``) is emptied. It keeps its
place (``seq``), its time and the leaf hash it had (``pruned_leaf``), so the Merkle tree, every
signed checkpoint and the inclusion and consistency proofs of the records that remain verify as
before; VerifyLog counts the pruned records and never takes them for tampering.

The rules that keep this honest:

* **whole prefixes only**: record ``seq`` is pruned only when ``seq - 1`` already is, so the
  pruned records are always 1..n (the first whole record is found by bisection);
* **only what a signed checkpoint covers**: a hash kept without content must have been vouched
  for while the content was still there, so nothing after the newest checkpoint is pruned (a
  log without a signing key is never pruned);
* **never evidence of tampering**: the hash to keep is recomputed from the record as stored and
  compared with the one its checkpoint added (``batch``); a record that no longer matches is
  refused (``PruneRefused``, counted as failed) and stays whole for whoever investigates;
* **once**: each record is re-read and locked in its own transaction and updated only while
  still whole, so two replicas (or two ticks) prune it once;
* **not while a restriction holds** (GDPR art. 18(2): only storage; the log is the subject's
  evidence): a record the service's restrictions hold now (``UnitOfWork.access_log_held``:
  disclosure's of a restricted case, item or subject) is not pruned, and as prefixes only are,
  pruning stops before it; the period is counted as before, so once lifted the prefix goes on
  at the next tick.

What a pruned record still says is limited on purpose: its kept hash is vouched for by the
signed roots, its ``recorded_at`` (the retention clock's) is not, since the leaf it was part of
can no longer be recomputed. An emptied record never passes for a whole one, and a kept hash
never vouches for content that is still there (``records.is_emptied``).

``retention_task`` is the kernel's task every service's scheduler runs (``bootstrap.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    Table,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from zorgtafel.kernel.accesslog import store
from zorgtafel.kernel.accesslog.merkle import leaf_hash
from zorgtafel.kernel.accesslog.records import PRUNED_LEAF, emptied, leaf_of_values
from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.uow import UnitOfWork

KIND = "access_log"  # the retention kind (owner "kernel": every service runs this task)
TASK = "access_log_prune"
MAX_PER_TICK = 5000  # records one tick prunes at most; the rest wait for the next tick


class PruneRefused(RuntimeError):
    """A record whose fields no longer give the leaf hash its checkpoint signed: kept whole as
    evidence. The message names its seq, never its content."""


def first_whole(conn: Connection, t: store.LogTables) -> int:
    """The seq of the first record not pruned (size + 1 when every one is). Pruned records are
    a prefix, so a bisection on the primary key finds it in O(log n) lookups, however many
    years of pruned records precede it."""
    size = store.head_size(conn, t) or 0
    lo, hi = 1, size + 1
    while lo < hi:
        mid = (lo + hi) // 2
        kept = conn.execute(select(t.log.c[PRUNED_LEAF]).where(t.log.c.seq == mid)).first()
        if kept is not None and kept[0] is not None:
            lo = mid + 1
        else:
            hi = mid
    return lo


def signed_size(conn: Connection, t: store.LogTables) -> int:
    """Records covered by the newest stored checkpoint (0 when there is none)."""
    return int(conn.execute(select(func.max(t.checkpoints.c.size))).scalar() or 0)


def due(
    conn: Connection,
    t: store.LogTables,
    cutoff: datetime,
    limit: int = MAX_PER_TICK,
    held: ColumnElement[bool] | None = None,
) -> list[int]:
    """The seqs to prune now, ascending: from the first whole record on, as long as each was
    recorded before ``cutoff``, is under a signed checkpoint and is not ``held`` by a
    restriction (a prefix, never a gap)."""
    start, top = first_whole(conn, t), signed_size(conn, t)
    rows = conn.execute(
        select(t.log.c.seq, t.log.c.recorded_at, t.log.c[PRUNED_LEAF], _held(held))
        .where(t.log.c.seq >= start, t.log.c.seq <= top)
        .order_by(t.log.c.seq)
        .limit(limit)
    ).all()
    out: list[int] = []
    for seq, recorded_at, kept, is_held in rows:
        if recorded_at >= cutoff or is_held:
            break
        if kept is None:
            out.append(int(seq))
    return out


def _signed_leaf(conn: Connection, t: store.LogTables, seq: int) -> tuple[bool, bytes | None]:
    """Whether a checkpoint covers ``seq``, and the leaf hash that checkpoint added for it
    (None when its batch is not stored or does not reach back to ``seq``)."""
    cp = t.checkpoints.c
    row = conn.execute(
        select(cp.size, func.length(cp.batch)).where(cp.size >= seq).order_by(cp.size).limit(1)
    ).first()
    if row is None:
        return False, None
    size, length = int(row[0]), int(row[1] or 0)
    start = length - 32 * (size - seq) - 31  # 1-based byte position of seq's hash in batch
    if start < 1:
        return True, None
    got = conn.execute(
        select(func.substr(cp.batch, cast(literal(start), Integer), 32)).where(cp.size == size)
    ).scalar()
    return True, bytes(got) if got is not None else None


def held_while_restricted(
    log: Table, cases: Table, subject: Column[str] | None = None
) -> ColumnElement[bool]:
    """The records a subject's restriction of a case holds now (GDPR art. 18(2): only storage;
    the log is the subject's evidence of who looked), for ``UnitOfWork.access_log_held``: those
    of a case that ``cases`` marks restricted (its ``restricted_at`` set) and, where the service
    keeps the subject's pseudonym in the clear (``subject``, a column of ``cases``), those
    naming that subject, since a read by pseudonym names no case. Each set is a subquery of
    the restricted rows only, read once per statement, however many records are scanned."""
    restricted = cases.c.restricted_at.is_not(None)
    held = log.c.case_id.in_(select(cases.c.case_id).where(restricted))
    if subject is None:
        return held
    return or_(
        held, log.c.subject_pseudonym.in_(select(subject).where(restricted, subject.is_not(None)))
    )


def _held(held: ColumnElement[bool] | None) -> ColumnElement[bool]:
    return (held if held is not None else false()).label("held")


def prune(
    session: Session,
    t: store.LogTables,
    seq: int,
    cutoff: datetime,
    held: ColumnElement[bool] | None = None,
) -> bool:
    """Prune record ``seq`` in the session's transaction (the caller commits): True when it was
    pruned now, False when it is gone, already pruned, not due, not yet signed, ``held`` by a
    restriction (read with the record, so one granted since it was listed is seen) or its
    predecessor is still whole. Raises ``PruneRefused`` for a record that no longer matches its
    signed leaf hash."""
    log = t.log
    columns = t.columns()
    q = select(*columns, log.c[PRUNED_LEAF], _held(held)).where(log.c.seq == seq)
    if session.get_bind().dialect.name == "postgresql":
        q = q.with_for_update(of=log)
    row = session.execute(q).first()
    if row is None or row[len(columns)] is not None or row.recorded_at >= cutoff or row.held:
        return False
    if seq > 1:
        before = session.execute(select(log.c[PRUNED_LEAF]).where(log.c.seq == seq - 1)).first()
        if before is None or before[0] is None:
            return False  # whole prefixes only
    conn = session.connection()
    covered, signed = _signed_leaf(conn, t, seq)
    if not covered:
        return False
    h = leaf_hash(leaf_of_values(tuple(row)[: len(columns)]))
    if signed is not None and signed != h:
        raise PruneRefused(f"access-log record {seq} does not match its signed leaf: kept whole")
    done = conn.execute(
        update(log)
        .where(log.c.seq == seq, log.c[PRUNED_LEAF].is_(None))
        .values({PRUNED_LEAF: h, **emptied()})
    )
    return bool(done.rowcount)


# -- the kernel's retention task -----------------------------------------------------------------
UowFactory = Callable[[], UnitOfWork]


def _due(uow_factory: UowFactory, period: timedelta | None, now: datetime) -> list[str]:
    assert period is not None  # the task names a kind: the scheduler passes its period
    with uow_factory() as uow:
        t = store.LogTables.of(uow.tables)
        held = uow.access_log_held(t.log)
        return [str(seq) for seq in due(uow.session.connection(), t, now - period, held=held)]


def _apply(
    uow_factory: UowFactory, record_id: str, period: timedelta | None, now: datetime
) -> bool:
    assert period is not None
    with uow_factory() as uow:
        t = store.LogTables.of(uow.tables)
        if not prune(uow.session, t, int(record_id), now - period, uow.access_log_held(t.log)):
            return False
        uow.commit()
        return True


def retention_task(uow_factory: UowFactory) -> RetentionTask:
    """The access log's retention task (ids are seqs: counts and numbers, never content)."""
    return RetentionTask(TASK, KIND, partial(_due, uow_factory), partial(_apply, uow_factory))
