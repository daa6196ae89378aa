"""A failing event that takes no access away waits on its own partition, on the embedded broker
(tansu): the consumer's other partitions go on meanwhile, and the event is still retried in
order, then parked once (ADR 0012: only revoking facts are never parked). The kernel's consumer
with a real Kafka client, its own topic of two partitions and consumer group; a SQLite
projection."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from kafka import KafkaProducer, TopicPartition
from sqlalchemy import select

from services.governance.domain.events import REGISTRY
from tests.unit.kernel_store import kernel_store
from zorgtafel.contracts import events as ev
from zorgtafel.kernel import consumer as consumer_module
from zorgtafel.kernel import kafka
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.parties import on_party_event
from zorgtafel.kernel.uow import UnitOfWork, utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing import wait_for

pytestmark = pytest.mark.integration

A, B = 0, 1  # the partitions
BACKOFF_S = 60.0  # a retry is due only once the test's clock has moved this far


class HeldClock:
    """The consumer's clock in the test's hand (the consumer module's ``time``): its monotonic
    time moves only when the test moves it, so a partition paused for a retry resumes when the
    test says so; a sleep of the consumer's thread is held until the test ends, so a consumer
    that sleeps on a failing event applies nothing meanwhile."""

    def __init__(self) -> None:
        self.now = time.monotonic()
        self.sleeps = 0
        self.released = threading.Event()

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        self.sleeps += 1
        self.released.wait()

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Disputes:
    """The handler of dispute events: the dispute named ``failing`` fails every time (a bug in
    its handler, say); every call counted by dispute id."""

    def __init__(self, failing: str) -> None:
        self.failing = failing
        self.calls: Counter[str] = Counter()

    def __call__(self, uow: UnitOfWork, event) -> None:
        self.calls[event.data["dispute_id"]] += 1
        if event.data["dispute_id"] == self.failing:
            raise RuntimeError("projection unavailable")


class Topic:
    """A topic of two partitions and a consumer group of its own on the shared broker."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.name = settings.topic
        kafka.ensure_topics(settings, [self.name], partitions=2)
        self._producer = KafkaProducer(
            bootstrap_servers=settings.kafka_bootstrap.split(","), acks="all"
        )
        self._admin = kafka.make_admin(settings)

    def publish(self, partition: int, dispute_id: str) -> str:
        event_id = str(uuid.uuid4())
        msg = to_kafka(
            event_id,
            ev.DISPUTE_CHANGED,
            "/zorgtafel/governance",
            utcnow(),
            dispute_id,
            {"dispute_id": dispute_id, "about": "art-11", "forum": "board", "status": "open"},
        )
        self._producer.send(
            self.name,
            partition=partition,
            key=msg.key.encode(),
            value=msg.value,
            headers=list(msg.headers.items()),
        ).get(timeout=10)
        return event_id

    def committed(self) -> dict[int, int]:
        """The group's committed offset per partition (none: nothing committed there)."""
        group = self.settings.consumer_group
        tps = [TopicPartition(self.name, p) for p in (A, B)]
        offsets = self._admin.list_group_offsets({group: tps}).get(group, {})
        return {tp.partition: meta.offset for tp, meta in offsets.items() if meta.offset >= 0}

    def close(self) -> None:
        self._producer.close(timeout=2)
        self._admin.close()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldClock]:
    held = HeldClock()
    monkeypatch.setattr(consumer_module, "time", held)
    try:
        yield held
    finally:
        held.released.set()


@pytest.fixture
def topic(broker, tmp_path: Path) -> Iterator[Topic]:
    settings = Settings(
        service=f"retry{uuid.uuid4().hex[:8]}",
        data_dir=tmp_path,
        kafka_bootstrap=broker.bootstrap,
        extra={"kafka_topic_partitions": "2"},
    )
    made = Topic(settings)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def projection(tmp_path: Path):
    factory, engine, tables = kernel_store(tmp_path, REGISTRY)
    yield factory, engine, tables
    engine.dispose()


def ids(engine, table) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(table.c.event_id)).scalars())


def test_an_event_that_keeps_failing_holds_its_own_partition_only_and_is_parked_once_after_retries(
    clock: HeldClock, topic: Topic, projection
):
    factory, engine, tables = projection
    disputes = Disputes(failing="dispute-a")
    consumer = EventConsumer(
        [topic.name],
        # A revoking fact among the consumed types: a parked dispute still does not make the
        # service not ready.
        {ev.DISPUTE_CHANGED: disputes, ev.PARTY_EXCLUDED: on_party_event},
        factory,
        partial(kafka.make_subscribed_consumer, topic.settings),
        max_attempts=3,
        retry_backoff_s=BACKOFF_S,
        retry_backoff_max_s=BACKOFF_S,
    )
    failing = topic.publish(A, "dispute-a")
    consumer.start()
    try:
        wait_for(lambda: disputes.calls["dispute-a"] >= 1, timeout=60)
        applied = topic.publish(B, "dispute-b")

        # B is applied while A waits for its next attempt, which is not due yet.
        wait_for(lambda: topic.committed().get(B) == 1, timeout=30)
        assert ids(engine, tables["processed_events"]) == [applied]
        assert disputes.calls == {"dispute-a": 1, "dispute-b": 1}
        assert A not in topic.committed()  # neither applied nor parked: its offset waits
        assert ids(engine, tables["dead_letters"]) == []

        # Time passes: A is retried, in order, and parked after its third failure.
        def after_a_while() -> bool:
            clock.advance(BACKOFF_S)
            return topic.committed().get(A) == 1

        wait_for(after_a_while, timeout=60)
    finally:
        clock.released.set()  # a sleeping consumer's thread, so that it stops
        consumer.stop()
    assert ids(engine, tables["dead_letters"]) == [failing]
    assert disputes.calls == {"dispute-a": 3, "dispute-b": 1}
    assert ids(engine, tables["processed_events"]) == [applied]
    assert (consumer.stats.applied, consumer.stats.dead_lettered) == (1, 1)
    assert consumer.stats.retries == 3
    assert consumer.revocations_applied()
    assert clock.sleeps == 0  # the consumer's thread never slept on it
