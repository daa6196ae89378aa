"""The relay that publishes outbox rows to Kafka and marks them sent only after the broker
acknowledged them. Rows are sent in id order; a failure stops the batch so that the order of
events for a key is kept on retry. A crash between the ack and the mark re-sends a row: the
consumers' processed-event table makes that harmless."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Callable

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.engine import Engine

from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from kafka import KafkaProducer

    from zorgtafel.kernel.metrics import Metrics

log = get_logger(__name__)

# (topic, partition) pairs -> how far the broker says each reaches (``kafka.EndOffsets``)
EndOffsetsFn = Callable[[set[tuple[str, int]]], Mapping[tuple[str, int], int]]


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
        end_offsets: EndOffsetsFn | None = None,
        check_every_s: float = 5.0,
    ) -> None:
        self._end_offsets = end_offsets
        self._check_every = check_every_s
        self._next_check = 0.0
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
        self.published_total = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="outbox-relay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread:
            self._thread.join(timeout)
        if self._producer is not None:
            try:
                self._producer.close(timeout=2)
            except Exception:  # noqa: BLE001
                pass

    def wake(self) -> None:
        """Called after a commit that wrote events, so they leave without waiting a tick."""
        self._wake.set()

    def _run(self) -> None:
        backoff = self._interval
        while not self._stop.is_set():
            try:
                sent = self.publish_pending()
                self._housekeeping()
                self._check_broker()
                backoff = self._interval
                if sent:
                    continue
            except Exception as exc:  # noqa: BLE001 - the relay must outlive broker outages
                log.warning("outbox_publish_failed", error=type(exc).__name__)
                self._reset_producer()
                backoff = min(max(backoff * 2, 0.5), 5.0)
            self._wake.wait(backoff)
            self._wake.clear()

    def _reset_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=0)
            except Exception:  # noqa: BLE001
                pass
        self._producer = None

    def republish_if_broker_lost_records(self, end_offsets: EndOffsetsFn) -> int:
        """Compare what the broker holds with what it acknowledged to us. A partition whose
        end offset is at or below an offset it once acknowledged has lost records (an
        in-memory broker restarted, a topic recreated): mark that partition's sent rows unsent,
        so they are published again in order; consumers skip the ones they already applied.
        Returns how many rows were marked."""
        o = self._outbox
        with self._engine.connect() as conn:
            acked = conn.execute(
                select(o.c.topic, o.c.partition, func.max(o.c.offset))
                .where(o.c.sent_at.is_not(None), o.c.offset.is_not(None))
                .group_by(o.c.topic, o.c.partition)
            ).all()
        if not acked:
            return 0
        ends = end_offsets({(t, p) for t, p, _ in acked})
        lost = [(t, p) for t, p, highest in acked if ends.get((t, p), 0) <= highest]
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
            self.wake()
        return marked

    def _check_broker(self) -> None:
        if self._end_offsets is None or time.monotonic() < self._next_check:
            return
        self._next_check = time.monotonic() + self._check_every
        self.republish_if_broker_lost_records(self._end_offsets)

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
            query = select(o).where(o.c.sent_at.is_(None)).order_by(o.c.id).limit(self._batch)
            if conn.dialect.name == "postgresql":
                # A second replica's relay waits here instead of interleaving the order.
                query = query.with_for_update()
            rows = conn.execute(query).mappings().all()
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
            placed: list[dict[str, int]] = []
            failure: Exception | None = None
            for row_id, fut in futures:
                try:
                    meta = fut.get(timeout=10)
                    acked.append(row_id)
                    placed.append({"row_id": row_id, "p": meta.partition, "o": meta.offset})
                except Exception as exc:  # noqa: BLE001
                    failure = exc
                    break  # keep per-key order: nothing after a failed row is marked
            if acked:
                now = utcnow()
                conn.execute(
                    update(o)
                    .where(o.c.id == bindparam("row_id"))
                    .values(sent_at=now, partition=bindparam("p"), offset=bindparam("o")),
                    placed,
                )
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
