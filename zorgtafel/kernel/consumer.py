"""Idempotent event consumer.

For every record: decode the CloudEvent, then in ONE database transaction record its id in
``processed_events`` (primary key) and apply the handler; commit; only then commit the Kafka
offset. A redelivered event hits the primary key and changes nothing. A handler that keeps
failing is parked in ``dead_letters`` (kept, never dropped) after ``max_attempts`` so one bad
event does not stop the stream. Until then its partition waits on it, paused until its next
attempt (capped backoff, as below): the consumer's thread does not sleep on it, so the other
partitions go on.

Except a revoking fact (``contracts.events.REVOKING_FACTS``, ADR 0012): one that may take
access away is never parked after handler failures. Its partition waits on it (paused, retried
with capped backoff; the other partitions go on), and from ``max_attempts`` on it is *blocked*:
logged by id, ``zorgtafel_consumer_blocked`` says so, a row in ``dead_letters`` marks it for
every replica and the service is not ready (``revocations_applied``) until it is applied. A
malformed or contract-violating one cannot be retried usefully: it is parked, and its row keeps
the service not ready until an operator replays (``zorgtafel dead-letters replay``) or
discards it. Applying an event removes its dead letter in the same transaction.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Callable, Collection, Mapping

from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry.trace import SpanKind, Tracer
from sqlalchemy import delete, func, insert, select
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
    blocked: int = 0  # revoking facts that reached max_attempts (each counted once)


@dataclass(frozen=True)
class Blocked:
    """A revoking fact its partition waits on after ``max_attempts`` failures: ids only."""

    event_id: str
    event_type: str
    offset: int
    attempts: int
    error: str
    marked: bool = False  # its row in dead_letters, which every replica's readiness reads


@dataclass(frozen=True)
class Replayed:
    """One parked event replayed: ``applied``, ``ignored`` (no handler here) or ``duplicate``
    (applied before): its dead letter is gone; ``malformed`` or ``failed`` (the handler
    raised): it stays parked. Ids, a type and an error's type only."""

    event_id: str
    event_type: str
    outcome: str
    error: str = ""

    @property
    def removed(self) -> bool:
        return self.outcome in ("applied", "ignored", "duplicate")


def record_type(record: ConsumerRecord) -> str:
    """The CloudEvents type a record's headers name ("" when it has none): read before the
    record is decoded, so a failure can be judged revoking or not even when decoding fails."""
    for k, v in record.headers or ():
        if k == "ce_type":
            return bytes(v).decode("utf-8", "replace")
    return ""


def record_id(record: ConsumerRecord) -> str:
    for k, v in record.headers or ():
        if k == "ce_id":
            return bytes(v).decode("utf-8", "replace")
    return f"{record.topic}:{record.partition}:{record.offset}"


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
        retry_backoff_s: float = 0.2,
        retry_backoff_max_s: float = 30.0,
        ready_despite: Collection[str] = (),
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
        self._backoff = retry_backoff_s
        self._backoff_max = retry_backoff_max_s
        # The revoking facts among the consumed types: only these hold their partition.
        self.revoking = frozenset(self.handlers) & contract_events.REVOKING_FACTS
        # ... and those whose wait makes the service not ready: all but the ones it declares
        # take no access away here (``ServiceParts.ready_despite``).
        self._gating = self.revoking - frozenset(ready_despite)
        # Partitions paused while a revoking fact at their head waits for its next attempt
        # (monotonic time of that attempt), and those blocked (past max_attempts) on one.
        self._resume_at: dict[TopicPartition, float] = {}
        self._blocked: dict[TopicPartition, Blocked] = {}

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
            self._resume_due(consumer)
            batch = consumer.poll(timeout_ms=self._poll_ms())
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
                            if record_type(record) in self.revoking:
                                # Never parked: the partition waits on it, the others go on.
                                consumer.seek(tp, record.offset)
                                self._hold(consumer, tp, record, n, exc)
                                break
                            if n < self._max_attempts:
                                log.warning(
                                    "event_apply_failed",
                                    topic=record.topic,
                                    partition=record.partition,
                                    offset=record.offset,
                                    attempt=n,
                                    error=type(exc).__name__,
                                )
                                # Redelivered, in order, once its partition resumes; no sleep:
                                # the other partitions go on meanwhile.
                                consumer.seek(tp, record.offset)
                                self._pause(consumer, tp, n)
                                break
                            self._dead_letter(record, exc)
                            attempts.pop(ident, None)
                        # The effect is stored: only now may the offset be committed.
                        stored[tp] = OffsetAndMetadata(record.offset + 1, None, -1)
                        self._unblock(tp, record)
                        self._delivered(record)
            finally:
                if stored:
                    consumer.commit(stored)

    # -- revoking facts (ADR 0012) ----------------------------------------------------------
    def _hold(
        self,
        consumer: KafkaConsumer,
        tp: TopicPartition,
        record: ConsumerRecord,
        n: int,
        exc: Exception,
    ) -> None:
        """A revoking fact failed its ``n``-th attempt: pause its partition until the next one
        (capped backoff; no sleep, so the other partitions go on). From ``max_attempts`` on the
        partition is blocked: reported, marked in ``dead_letters`` for every replica's
        readiness, counted by ``zorgtafel_consumer_blocked``."""
        self._pause(consumer, tp, n)
        fields = {
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "event_id": record_id(record),
            "event_type": record_type(record),
            "attempt": n,
            "error": type(exc).__name__,
        }
        if n < self._max_attempts:
            log.warning("revoking_event_apply_failed", **fields)
            return
        log.error("revoking_event_blocked", **fields)
        before = self._blocked.get(tp)
        marked = before is not None and before.offset == record.offset and before.marked
        if before is None or before.offset != record.offset:
            self.stats.blocked += 1
        if self._metrics is not None:
            self._metrics.consumer_blocked.labels(topic=tp.topic, partition=str(tp.partition)).set(
                1
            )
        if not marked:
            # The mark every replica's readiness reads; removed in the transaction that applies
            # the event (``_apply_once``). Not a parking: the offset stays uncommitted. A
            # database that cannot take it now is tried again at the next attempt.
            try:
                self._store_dead_letter(record, exc)
                marked = True
            except Exception as mark_exc:  # noqa: BLE001 - this replica is not ready anyway
                log.warning("revoking_event_mark_failed", error=type(mark_exc).__name__)
        self._blocked[tp] = Blocked(
            record_id(record), record_type(record), record.offset, n, type(exc).__name__, marked
        )

    def _pause(self, consumer: KafkaConsumer, tp: TopicPartition, n: int) -> None:
        """Pause ``tp``, whose record at the head failed its ``n``-th attempt, until its next
        attempt is due (capped exponential backoff); ``_resume_due`` resumes it."""
        delay = min(self._backoff * 2 ** min(n - 1, 30), self._backoff_max)
        consumer.pause(tp)
        self._resume_at[tp] = time.monotonic() + delay

    def _unblock(self, tp: TopicPartition, record: ConsumerRecord) -> None:
        blocked = self._blocked.pop(tp, None)
        if blocked is None:
            return
        log.info(
            "revoking_event_unblocked",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            event_id=blocked.event_id,
            attempts=blocked.attempts,
        )
        if self._metrics is not None:
            self._metrics.consumer_blocked.labels(topic=tp.topic, partition=str(tp.partition)).set(
                0
            )

    def _resume_due(self, consumer: KafkaConsumer) -> None:
        """Resume the paused partitions whose next attempt is due; forget those no longer
        assigned (the new owner starts at the uncommitted offset: the fact waits there)."""
        if not self._resume_at and not self._blocked:
            return
        assigned = consumer.assignment()
        now = time.monotonic()
        for tp, at in list(self._resume_at.items()):
            if tp not in assigned:
                del self._resume_at[tp]
            elif now >= at:
                consumer.resume(tp)
                del self._resume_at[tp]
        for tp in [tp for tp in self._blocked if tp not in assigned]:
            del self._blocked[tp]
            if self._metrics is not None:
                self._metrics.consumer_blocked.labels(
                    topic=tp.topic, partition=str(tp.partition)
                ).set(0)

    def _poll_ms(self) -> int:
        """Poll no longer than until the next paused partition's attempt is due."""
        if not self._resume_at:
            return 300
        due = min(self._resume_at.values()) - time.monotonic()
        return max(0, min(300, int(due * 1000) + 1))

    @property
    def uow_factory(self) -> Callable[[], UnitOfWork]:
        return self._uow_factory

    @property
    def blocked(self) -> tuple[Blocked, ...]:
        """The revoking facts this consumer's partitions are blocked on (ids only)."""
        return tuple(self._blocked.values())

    def revocations_applied(self) -> bool:
        """Readiness (ADR 0012): False while a revoking fact this service consumes is not
        applied: one this consumer is blocked on, or one in ``dead_letters`` (parked as
        malformed, or marked by any replica blocked on it), until it is applied, replayed or
        discarded by an operator. Not for the types the service declares take no access away
        here (``ready_despite``): those are only reported (the gauges and the log)."""
        waiting: dict[str, int] = {}
        if self.revoking:
            with self._uow_factory() as uow:
                table = uow.tables["dead_letters"]
                waiting = dict(
                    uow.session.execute(
                        select(table.c.type, func.count())
                        .where(table.c.type.in_(self.revoking))
                        .group_by(table.c.type)
                    ).all()
                )
        if self._metrics is not None:
            self._metrics.revoking_dead_letters.set(sum(waiting.values()))
        blocked = {b.event_type for b in self.blocked}
        return not (set(waiting) | blocked) & self._gating

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
                # Applied before (by another replica, or before a crash): a dead letter of it
                # (the replay tool's, or a blocked fact's mark) has nothing left to wait for.
                if self._drop_dead_letter(uow, event.id):
                    uow.commit()
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
                # Its dead letter (replayed, or a blocked fact's mark) goes with the effect, in
                # this transaction; last, so the case's lock comes before its row (purge.py).
                self._drop_dead_letter(uow, event.id)
                try:
                    uow.commit()
                except IntegrityError:
                    # Another replica applied it between our check and our insert.
                    uow.rollback()
                    outcome = "duplicate"
        return outcome

    # -- the replay of parked events (``zorgtafel dead-letters replay``) --------------------
    def replay_dead_letters(self, event_ids: Collection[str] | None = None) -> list[Replayed]:
        """Apply the parked events (all, or those named), in their partitions' order, through
        the same decoding, contract check and ``_apply_once`` as the stream: each is applied
        at most once (``processed_events``), and its dead letter goes in the transaction that
        applies it. One still malformed, or whose handler fails again, stays parked."""
        with self._uow_factory() as uow:
            t = uow.tables["dead_letters"]
            query = select(t.c.event_id, t.c.type, t.c.headers, t.c.value).order_by(
                t.c.topic, t.c.partition, t.c.offset
            )
            if event_ids is not None:
                query = query.where(t.c.event_id.in_(list(event_ids)))
            rows = uow.session.execute(query).all()
        return [self._replay(r.event_id, r.type, r.headers, r.value) for r in rows]

    def _replay(self, event_id: str, event_type: str, headers: str, value: bytes) -> Replayed:
        try:
            kept = json.loads(headers or "{}")
            if not isinstance(kept, dict):
                raise MalformedEvent("headers are not an object")
            key = str(kept.pop("kafka_key", "") or "").encode() or None
            event = from_kafka([(k, str(v).encode()) for k, v in kept.items()], key, value)
            if event.type in self.handlers:
                event = replace(event, payload=contract_events.parse(event.type, event.data))
        except (ValueError, MalformedEvent, ContractViolation) as exc:
            return self._replayed(event_id, event_type, "malformed", type(exc).__name__)
        try:
            outcome = self._apply_once(event)
        except Exception as exc:  # noqa: BLE001 - it stays parked; reported by its type
            return self._replayed(event_id, event_type, "failed", type(exc).__name__)
        return self._replayed(event_id, event_type, outcome)

    @staticmethod
    def _replayed(event_id: str, event_type: str, outcome: str, error: str = "") -> Replayed:
        log.info(
            "dead_letter_replayed",
            event_id=event_id,
            event_type=event_type,
            outcome=outcome,
            error=error or None,
        )
        return Replayed(event_id, event_type, outcome, error)

    @staticmethod
    def _drop_dead_letter(uow: UnitOfWork, event_id: str) -> bool:
        dead = uow.tables["dead_letters"]
        gone = uow.session.execute(delete(dead).where(dead.c.event_id == event_id))
        return bool(getattr(gone, "rowcount", 0))

    def _dead_letter(self, record: ConsumerRecord, exc: Exception) -> None:
        self.stats.dead_lettered += 1
        log.error(
            "event_dead_lettered",
            topic=record.topic,
            offset=record.offset,
            event_id=record_id(record),
            event_type=record_type(record),
            # a revoking fact parked (malformed): the service is not ready until an operator
            # replays or discards it (ADR 0012)
            revoking=record_type(record) in self.revoking,
            error=type(exc).__name__,
        )
        self._store_dead_letter(record, exc)

    def _store_dead_letter(self, record: ConsumerRecord, exc: Exception) -> None:
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
