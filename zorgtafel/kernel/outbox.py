"""The relay that publishes outbox rows to Kafka and marks them sent only after the broker
acknowledged them. Rows are sent in id order; a failure stops the batch so that the order of
events for a key is kept on retry. A crash between the ack and the mark re-sends a row: the
consumers' processed-event table makes that harmless."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Callable

from sqlalchemy import (
    BigInteger,
    Integer,
    Table,
    bindparam,
    column,
    delete,
    func,
    select,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.sql import ColumnElement, CompoundSelect, Select, Update

from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from kafka import KafkaProducer

    from zorgtafel.kernel.metrics import Metrics

log = get_logger(__name__)

# An acknowledged record (topic, partition, offset, event id) -> "held", "lost", "expired" or
# "unknown" (``kafka.HeldRecords``)
Acked = tuple[str, int, int, str]
HeldRecordsFn = Callable[[Sequence[Acked]], Mapping[Acked, str]]


class OutboxRelay:
    def __init__(
        self,
        engine: Engine,
        outbox_table: Table,
        producer_factory: Callable[[], KafkaProducer],
        *,
        interval_s: float = 0.2,
        batch_size: int = 200,
        metrics: Metrics | None = None,
        keep_sent_s: float = 7 * 24 * 3600,
        held_records: HeldRecordsFn | None = None,
        check_every_s: float = 5.0,
    ) -> None:
        self._held_records = held_records
        self._check_every = check_every_s
        self._keep_sent_s = keep_sent_s
        self._next_housekeeping = 0.0
        self._engine = engine
        self._outbox = outbox_table
        self._producer_factory = producer_factory
        self._producer: KafkaProducer | None = None
        self._interval = interval_s
        self._batch = batch_size
        self._metrics = metrics
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._checker: threading.Thread | None = None
        self.published_total = 0
        self.republished_total = 0  # rows marked unsent because the broker lost them
        self.checks_total = 0  # broker checks that reached a verdict for every sample
        self._pending, self._mark_sent = _statements(outbox_table, engine.dialect.name)
        self._next_partition, self._partition_ends = _sample_statements(outbox_table)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()
        if self._held_records is not None:
            # Its own thread: a check waits on the broker and must never hold up publishing.
            self._checker = threading.Thread(
                target=self._check_loop, name="outbox-broker-check", daemon=True
            )
            self._checker.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in (self._thread, self._checker):
            if thread:
                thread.join(timeout)
        if self._producer is not None:
            from zorgtafel.kernel.kafka import close_producer

            close_producer(self._producer, timeout=2)
        close = getattr(self._held_records, "close", None)
        if close is not None:
            close()

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting a tick."""
        self._wake.set()

    def _run(self) -> None:
        backoff = self._interval
        while not self._stop.is_set():
            # Cleared before looking, so a commit during the publish wakes the next round.
            self._wake.clear()
            try:
                sent = self.publish_pending()
                self._housekeeping()
                backoff = self._interval
                if sent >= self._batch:
                    continue  # a full batch: more rows may be waiting
                # Fewer than a batch: nothing was left behind. A commit since the clear above
                # has set the wake, so the wait below returns at once for it (no empty round
                # of a transaction and a query after every publish).
            except Exception as exc:  # noqa: BLE001 - the relay must outlive broker outages
                log.warning("outbox_publish_failed", error=type(exc).__name__)
                self._reset_producer()
                backoff = min(max(backoff * 2, 0.5), 5.0)
            self._wake.wait(backoff)

    def _check_loop(self) -> None:
        while not self._stop.wait(self._check_every):
            try:
                self.republish_if_broker_lost_records()
            except Exception as exc:  # noqa: BLE001 - a broker outage: try at the next check
                log.warning("outbox_broker_check_failed", error=type(exc).__name__)

    def _reset_producer(self) -> None:
        if self._producer is not None:
            from zorgtafel.kernel.kafka import close_producer

            close_producer(self._producer, timeout=0)
        self._producer = None

    def acknowledged_sample(self) -> list[Acked]:
        """Per partition, the sent rows at the lowest and the highest acknowledged offset.
        The highest finds a lost tail; the lowest finds a partition emptied and refilled (a
        broker restarted on memory storage, a topic recreated) even after newer rows were
        acknowledged at low offsets again: two rows then claim one offset, one of them wrong.

        Read through ``ix_outbox_acknowledged`` (the sent rows by topic, partition and offset):
        a seek for the next partition, then a seek for each end of it, so the check reads as
        much of a week of sent rows as of a few (issue #16: it runs every few seconds)."""
        sample: list[Acked] = []
        after: dict[str, object] = {"t": "", "p": -1}  # partitions are 0 and up
        with self._engine.connect() as conn:
            while (found := conn.execute(self._next_partition, after).first()) is not None:
                after = {"t": found[0], "p": found[1]}
                for t, p, off, e in conn.execute(self._partition_ends, after).all():
                    sample.append((t, int(p), int(off), e))
        return sample

    def republish_if_broker_lost_records(self, held_records: HeldRecordsFn | None = None) -> int:
        """Compare what the broker holds with what it acknowledged to us, record by record
        (``acknowledged_sample``). A partition that lost an acknowledged record (an in-memory
        broker restarted, a topic recreated, an unclean leader election) has its sent rows
        marked unsent, so they are published again in order; consumers skip the ones they
        already applied. A loss is asked twice before acting on it. Returns how many rows were
        marked."""
        check = held_records or self._held_records
        if check is None:
            return 0
        sample = self.acknowledged_sample()
        if not sample:
            return 0
        verdicts = check(sample)
        suspect = [a for a in sample if verdicts.get(a) == "lost"]
        if suspect:
            again = check(suspect)
            suspect = [a for a in suspect if again.get(a) == "lost"]
        if all(verdicts.get(a) in ("held", "expired", "lost") for a in sample):
            self.checks_total += 1
        lost = sorted({(t, p) for t, p, _, _ in suspect})
        o = self._outbox
        marked = 0
        for topic, partition in lost:
            with self._engine.begin() as conn:
                marked += conn.execute(
                    update(o)
                    .where(o.c.topic == topic, o.c.partition == partition, o.c.sent_at.is_not(None))
                    .values(sent_at=None, partition=None, offset=None)
                ).rowcount
        if marked:
            log.warning(
                "broker_lost_acknowledged_events", partitions=len(lost), republishing=marked
            )
            self.republished_total += marked
            if self._metrics is not None:
                self._metrics.events_republished.inc(marked)
            self.wake()
        return marked

    def _housekeeping(self) -> None:
        """Sent rows are kept a while (for audits of what left, and re-publishing after a
        broker loses data), then deleted: the outbox is not an archive of case facts."""
        now = time.monotonic()
        if now < self._next_housekeeping:
            return
        self._next_housekeeping = now + 60
        cutoff = utcnow() - timedelta(seconds=self._keep_sent_s)
        with self._engine.begin() as conn:
            conn.execute(
                delete(self._outbox).where(
                    self._outbox.c.sent_at.is_not(None), self._outbox.c.sent_at < cutoff
                )
            )

    def pending_count(self) -> int:
        from sqlalchemy import func

        with self._engine.connect() as conn:
            return conn.execute(
                select(func.count())
                .select_from(self._outbox)
                .where(self._outbox.c.sent_at.is_(None))
            ).scalar_one()

    def publish_pending(self) -> int:
        """Publish one batch; return how many rows were marked sent."""
        o = self._outbox
        with self._engine.begin() as conn:
            rows = conn.execute(self._pending, {"batch": self._batch}).mappings().all()
            if not rows:
                return 0
            if self._producer is None:
                self._producer = self._producer_factory()
            futures = []
            for row in rows:
                msg = to_kafka(
                    row["event_id"],
                    row["type"],
                    row["source"],
                    row["time"],
                    row["key"],
                    json.loads(row["data"]),
                    row["subject"],
                    row["traceparent"],
                )
                headers = [(k, v) for k, v in msg.headers.items()]
                futures.append(
                    (
                        row["id"],
                        self._producer.send(
                            row["topic"], key=row["key"].encode(), value=msg.value, headers=headers
                        ),
                    )
                )
            self._producer.flush(timeout=10)
            acked: list[int] = []
            placed: list[tuple[int, int, int]] = []
            failure: Exception | None = None
            for row_id, fut in futures:
                try:
                    meta = fut.get(timeout=10)
                    acked.append(row_id)
                    placed.append((row_id, meta.partition, meta.offset))
                except Exception as exc:  # noqa: BLE001
                    failure = exc
                    break  # keep per-key order: nothing after a failed row is marked
            if acked:
                # One statement for the whole batch (an executemany is one per row on the
                # server: psycopg pipelines them).
                conn.execute(self._mark_sent, _placed_params(conn.dialect.name, placed))
            failed_ids = [r for r, _ in futures if r not in set(acked)]
            if failed_ids:
                conn.execute(
                    update(o).where(o.c.id.in_(failed_ids)).values(attempts=o.c.attempts + 1)
                )
        self.published_total += len(acked)
        if self._metrics is not None and acked:
            self._metrics.events_published.inc(len(acked))
        if failure is not None:
            raise failure
        return len(acked)


def _statements(outbox: Table, dialect: str) -> tuple[Select[Any], Update]:
    """The relay's two statements of every round, built once (their cache keys too): the
    unsent rows in id order, and the mark of a batch's acknowledged rows as sent where the
    broker placed each (one statement for any number of rows: ``_placed_params``)."""
    o = outbox
    row_id: ColumnElement[Any]
    partition: ColumnElement[Any]
    offset: ColumnElement[Any]
    pending = select(o).where(o.c.sent_at.is_(None)).order_by(o.c.id).limit(bindparam("batch"))
    if dialect == "postgresql":
        # A second replica's relay waits here instead of interleaving the order.
        pending = pending.with_for_update()
        placed = (
            func.unnest(
                bindparam("ids", type_=postgresql.ARRAY(BigInteger)),
                bindparam("partitions", type_=postgresql.ARRAY(Integer)),
                bindparam("offsets", type_=postgresql.ARRAY(BigInteger)),
            )
            .table_valued(
                column("row_id", BigInteger), column("p", Integer), column("o", BigInteger)
            )
            .render_derived(name="placed")
        )
        row_id, partition, offset = placed.c.row_id, placed.c.p, placed.c.o
    else:
        # SQLite (3.33+ updates from another table): the placements as one JSON array.
        each = func.json_each(bindparam("placed")).table_valued("value").alias("placed")
        row_id, partition, offset = (func.json_extract(each.c.value, f"$[{i}]") for i in range(3))
    mark = (
        update(o)
        .where(o.c.id == row_id)
        .values(
            sent_at=bindparam("now", type_=o.c.sent_at.type), partition=partition, offset=offset
        )
    )
    return pending, mark


def _sample_statements(outbox: Table) -> tuple[CompoundSelect[Any], CompoundSelect[Any]]:
    """The broker check's statements, each a seek in ``ix_outbox_acknowledged`` (whose rows
    are those with an offset: the sent ones): the first partition after (``t``, ``p``) that
    holds sent rows, and the sent rows at that partition's lowest and highest offset."""
    o = outbox
    sent = (o.c.offset.is_not(None), o.c.sent_at.is_not(None))
    # The next partition of the same topic, else the first of a later topic: two seeks (a
    # comparison of (topic, partition) as a pair walked the rows of the partition on SQLite).
    same_topic = (
        select(o.c.topic, o.c.partition)
        .where(*sent, o.c.topic == bindparam("t"), o.c.partition > bindparam("p"))
        .order_by(o.c.partition)
        .limit(1)
        .subquery()
    )
    later_topic = (
        select(o.c.topic, o.c.partition)
        .where(*sent, o.c.topic > bindparam("t"))
        .order_by(o.c.topic, o.c.partition)
        .limit(1)
        .subquery()
    )
    both = union_all(same_topic.select(), later_topic.select())
    next_partition = both.order_by(*both.selected_columns).limit(1)
    partition = (o.c.topic == bindparam("t"), o.c.partition == bindparam("p"))
    acknowledged = select(o.c.offset).where(*partition, *sent).limit(1)

    def rows_at(end: ColumnElement[Any]) -> Select[Any]:
        # An equality on every column of the index: a seek, whatever the estimates say (an
        # IN of both ends, or a MIN, was read row by row on a table without statistics).
        at = acknowledged.order_by(end).scalar_subquery()
        return select(o.c.topic, o.c.partition, o.c.offset, o.c.event_id).where(
            *partition, *sent, o.c.offset == at
        )

    ends = union(rows_at(o.c.offset.asc()), rows_at(o.c.offset.desc()))
    return next_partition, ends


def _placed_params(dialect: str, placed: Sequence[tuple[int, int, int]]) -> dict[str, object]:
    """The parameters of the mark statement for (row id, partition, offset) of each row."""
    if dialect == "postgresql":
        return {
            "now": utcnow(),
            "ids": [r for r, _, _ in placed],
            "partitions": [p for _, p, _ in placed],
            "offsets": [off for _, _, off in placed],
        }
    return {"now": utcnow(), "placed": json.dumps([list(p) for p in placed])}
