"""Idempotent event consumer.

For every record: decode the CloudEvent, then in ONE database transaction record its id in
``processed_events`` (primary key) and apply the handler; commit; only then commit the Kafka
offset. A redelivered event hits the primary key and changes nothing. A handler that keeps
failing is parked in ``dead_letters`` (kept, never dropped) after ``max_attempts`` so one bad
event does not stop the stream.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Mapping

from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry.trace import SpanKind, Tracer
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from zorgtafel.contracts import events as contract_events
from zorgtafel.contracts.casework import CASE_PURGED
from zorgtafel.kernel.events import ContractViolation, InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.purge import forget_case, unlink_if_forgotten
from zorgtafel.kernel.tracing import extract, span
from zorgtafel.kernel.uow import UnitOfWork, utcnow
from zorgtafel.kernel.wire import MalformedEvent, from_kafka

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from kafka import KafkaConsumer
    from kafka.consumer.fetcher import ConsumerRecord

    from zorgtafel.kernel.metrics import Metrics

log = get_logger(__name__)

Handler = Callable[[UnitOfWork, InboundEvent], None]


@dataclass
class ConsumerStats:
    applied: int = 0
    duplicates: int = 0
    ignored: int = 0
    dead_lettered: int = 0
    retries: int = 0


class EventConsumer:
    def __init__(
        self,
        topics: list[str],
        handlers: Mapping[str, Handler],
        uow_factory: Callable[[], UnitOfWork],
        consumer_factory: Callable[[list[str]], KafkaConsumer],
        *,
        max_attempts: int = 5,
        metrics: Metrics | None = None,
        tracer: Tracer | None = None,
        lag_alert: int | None = None,
        lag_every_s: float = 1.0,
    ) -> None:
        self._tracer = tracer
        self._lag_every = lag_every_s
        self._next_lag = 0.0
        if metrics is not None and lag_alert is not None:
            metrics.consumer_lag_alert.set(lag_alert)
        self.topics = topics
        self.handlers = dict(handlers)
        self._uow_factory = uow_factory
        self._consumer_factory = consumer_factory
        self._max_attempts = max_attempts
        self._metrics = metrics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._consumer: KafkaConsumer | None = None
        self.stats = ConsumerStats()
        self.assigned = threading.Event()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="event-consumer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._consumer = self._consumer_factory(self.topics)
                self._loop(self._consumer)
            except Exception as exc:  # noqa: BLE001 - reconnect after broker outages
                log.warning("consumer_failed", error=type(exc).__name__)
                time.sleep(1.0)
            finally:
                if self._consumer is not None:
                    try:
                        self._consumer.close(autocommit=False)
                    except Exception:  # noqa: BLE001
                        pass
                    self._consumer = None

    def _loop(self, consumer: KafkaConsumer) -> None:
        attempts: dict[tuple[str, int, int], int] = {}
        while not self._stop.is_set():
            batch = consumer.poll(timeout_ms=300)
            if consumer.assignment():
                self.assigned.set()
            self._report_lag(consumer)
            # Offsets are committed once per polled batch, for the records whose effect is
            # stored (one round trip per batch instead of one per record: a burst of events
            # is applied back to back). A crash before the commit redelivers them; the
            # processed-event table turns each into a duplicate.
            stored: dict[TopicPartition, OffsetAndMetadata] = {}
            try:
                for tp, records in batch.items():
                    for record in records:
                        ident = (record.topic, record.partition, record.offset)
                        try:
                            self.handle_record(record)
                            attempts.pop(ident, None)
                        except Exception as exc:  # noqa: BLE001
                            n = attempts.get(ident, 0) + 1
                            attempts[ident] = n
                            self.stats.retries += 1
                            if n < self._max_attempts:
                                log.warning(
                                    "event_apply_failed",
                                    topic=record.topic,
                                    offset=record.offset,
                                    attempt=n,
                                    error=type(exc).__name__,
                                )
                                consumer.seek(tp, record.offset)  # redeliver, in order
                                time.sleep(min(0.2 * n, 2.0))
                                break
                            self._dead_letter(record, exc)
                            attempts.pop(ident, None)
                        # The effect is stored: only now may the offset be committed.
                        stored[tp] = OffsetAndMetadata(record.offset + 1, None, -1)
                        self._delivered(record)
            finally:
                if stored:
                    consumer.commit(stored)

    def _delivered(self, record: ConsumerRecord) -> None:
        if self._metrics is not None and record.timestamp and record.timestamp > 0:
            age = max(0.0, time.time() - record.timestamp / 1000)
            self._metrics.event_delivery_seconds.labels(topic=record.topic).observe(age)

    def _report_lag(self, consumer: KafkaConsumer) -> None:
        """``zorgtafel_consumer_lag``: the high watermark of the last fetch response minus the
        consumer's position, per assigned partition (no extra request to the broker). Exact on
        Kafka. On tansu the high watermark is the last *batch's* first offset + 1, so this is a
        lower bound: up to one batch behind reads as 0, and a position inside the last batch is
        clamped to 0 instead of going negative. Records polled but not yet applied (at most
        ``max_poll_records``) are past the position and not counted."""
        if self._metrics is None or time.monotonic() < self._next_lag:
            return
        self._next_lag = time.monotonic() + self._lag_every
        for tp in consumer.assignment():
            try:
                high = consumer.highwater(tp)
                position = consumer.position(tp, timeout_ms=0)
            except Exception:  # noqa: BLE001  # nosec B112 - position not known yet (just assigned, being reset): no lag to report
                continue
            if high is None or position is None:
                continue
            self._metrics.consumer_lag.labels(topic=tp.topic, partition=str(tp.partition)).set(
                max(0, high - position)
            )

    def handle_record(self, record: ConsumerRecord) -> str:
        """Apply one record exactly once; return what happened (for tests and metrics)."""
        try:
            event = from_kafka(record.headers, record.key, record.value)
            if event.type in self.handlers:
                # Data that does not fit its published type never reaches a handler.
                event = replace(event, payload=contract_events.parse(event.type, event.data))
        except (MalformedEvent, ContractViolation) as exc:
            self._dead_letter(record, exc)
            return "dead_letter"
        parent = extract({"traceparent": event.traceparent}) if event.traceparent else None
        with span(
            self._tracer,
            f"consume {event.type}",
            parent=parent,
            kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "kafka", "messaging.message.id": event.id},
        ):
            outcome = self._apply_once(event)
        # One line per outcome with the event id (an identifier, never data): fault tests count
        # these across restarts to prove nothing was applied twice.
        log.info("event_" + outcome, event_id=event.id, event_type=event.type)
        attr = {"applied": "applied", "ignored": "ignored", "duplicate": "duplicates"}[outcome]
        setattr(self.stats, attr, getattr(self.stats, attr) + 1)
        if self._metrics is not None:
            self._metrics.events_consumed.labels(outcome=outcome).inc()
        return outcome

    def _apply_once(self, event: InboundEvent) -> str:
        handler = self.handlers.get(event.type)
        outcome = "applied" if handler else "ignored"
        with self._uow_factory() as uow:
            table = uow.tables["processed_events"]
            if uow.session.execute(
                select(table.c.event_id).where(table.c.event_id == event.id)
            ).first():
                outcome = "duplicate"
            else:
                # The case id lets a purge find the inbox rows of its case; the purge event's
                # own row keeps none, so nothing of the case outlives it. Inserted first: a
                # second replica applying the same event waits here, before its handler.
                case_id = str(event.data.get("case_id") or "") or None
                uow.session.execute(
                    insert(table).values(
                        event_id=event.id,
                        type=event.type,
                        source=event.source,
                        case_id=None if event.type == CASE_PURGED else case_id,
                        processed_at=utcnow(),
                    )
                )
                if handler:
                    handler(uow, event)
                # Last, after the handler's row locks (the lock order of kernel/purge.py): the
                # purge itself, or for any other event of a case the check that the case was
                # not forgotten meanwhile, under the case's lock.
                if case_id and event.type == CASE_PURGED:
                    forget_case(uow.session, uow.tables, case_id)
                elif case_id:
                    unlink_if_forgotten(uow.session, uow.tables, event.id, case_id)
                try:
                    uow.commit()
                except IntegrityError:
                    # Another replica applied it between our check and our insert.
                    uow.rollback()
                    outcome = "duplicate"
        return outcome

    def _dead_letter(self, record: ConsumerRecord, exc: Exception) -> None:
        self.stats.dead_lettered += 1
        log.error(
            "event_dead_lettered",
            topic=record.topic,
            offset=record.offset,
            error=type(exc).__name__,
        )
        with self._uow_factory() as uow:
            table = uow.tables["dead_letters"]
            headers = {k: v.decode("utf-8", "replace") for k, v in (record.headers or [])}
            # The key (a case id for a case's events), so a purge of the case finds it.
            headers["kafka_key"] = (record.key or b"").decode("utf-8", "replace")
            try:
                uow.session.execute(
                    insert(table).values(
                        event_id=headers.get("ce_id")
                        or f"{record.topic}:{record.partition}:{record.offset}",
                        topic=record.topic,
                        partition=record.partition,
                        offset=record.offset,
                        type=headers.get("ce_type", "unknown"),
                        error=type(exc).__name__,
                        headers=json.dumps(headers),
                        value=record.value or b"",
                        created_at=utcnow(),
                    )
                )
                uow.commit()
            except IntegrityError:
                uow.rollback()
