"""The outbox relay on the embedded broker (tansu): its check that the broker still holds what
it acknowledged finds a real loss and nothing else, and its topic keeps its partition count and
every key its partition across a broker restart."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import event, func, insert, select

from services.governance.adapters import orm
from services.governance.bootstrap import VERSIONS
from zorgtafel.kernel import db, kafka, migrate
from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.outbox import OutboxRelay
from zorgtafel.kernel.uow import utcnow
from zorgtafel.testing import wait_for
from zorgtafel.testing.services import drop_schema

pytestmark = pytest.mark.integration

PARTITIONS = 3


class Outbox:
    """A service's outbox table and the relay that publishes it, as bootstrap wires them."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = db.make_engine(settings)
        migrate.upgrade(self.engine, orm.metadata, VERSIONS, settings.effective_schema)
        self.table = orm.tables["outbox"]
        self.relay = OutboxRelay(
            self.engine,
            self.table,
            lambda: kafka.make_producer(settings),
            **kafka.relay_options(settings),
        )
        self.written: list[str] = []

    def write(self, count: int, padding: int = 0) -> None:
        """``count`` events in one commit, for 20 keys: the relay sends them as batches (each
        event's data ``padding`` characters longer)."""
        rows = []
        for _ in range(count):
            event_id = uuid.uuid4().hex
            self.written.append(event_id)
            rows.append(
                {
                    "event_id": event_id,
                    "topic": self.settings.topic,
                    "key": f"case-{len(self.written) % 20}",
                    "type": "nl.zorgtafel.test.happened.v1",
                    "source": "/zorgtafel/test",
                    "time": utcnow(),
                    "data": json.dumps({"n": len(self.written), "pad": "x" * padding}),
                    "created_at": utcnow(),
                    "attempts": 0,
                }
            )
        with self.engine.begin() as conn:
            conn.execute(insert(self.table), rows)
        self.relay.wake()

    def placed(self) -> dict[str, int]:
        """Each key's partition, as the broker acknowledged it."""
        o = self.table
        with self.engine.connect() as conn:
            rows = conn.execute(select(o.c.key, o.c.partition).where(o.c.sent_at.is_not(None)))
            return dict(rows.tuples().all())

    def sent(self) -> int:
        o = self.table
        with self.engine.connect() as conn:
            query = select(func.count()).select_from(o).where(o.c.sent_at.is_not(None))
            return int(conn.execute(query).scalar_one())


@pytest.fixture
def outbox(tmp_path: Path, database_url: str, request: pytest.FixtureRequest) -> Iterator[Outbox]:
    broker = request.getfixturevalue(getattr(request, "param", "broker"))
    yield from _outbox(tmp_path, database_url, broker, start=True)


@pytest.fixture
def unstarted_outbox(tmp_path: Path, database_url: str, broker: LocalBroker) -> Iterator[Outbox]:
    """An outbox whose relay publishes only when the test calls it (no thread of its own)."""
    yield from _outbox(tmp_path, database_url, broker, start=False)


def _outbox(
    tmp_path: Path, database_url: str, broker: LocalBroker, start: bool
) -> Iterator[Outbox]:
    service = f"relay{uuid.uuid4().hex[:8]}"  # a topic of its own on the shared broker
    schema = f"t_{uuid.uuid4().hex[:10]}_relay" if database_url else ""
    settings = Settings(
        service=service,
        data_dir=tmp_path,
        database_url=database_url,
        database_schema=schema,
        kafka_bootstrap=broker.bootstrap,
        # Checks every 0.2 s instead of 5 s, so a test crosses many of them in seconds.
        extra={"relay_check_interval_s": "0.2", "kafka_topic_partitions": str(PARTITIONS)},
    )
    box = Outbox(settings)
    if start:
        box.relay.start()
    try:
        yield box
    finally:
        box.relay.stop()
        box.engine.dispose()
        if database_url:
            drop_schema(database_url, schema)


@pytest.fixture
def own_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalBroker]:
    """A broker this test may restart (the session's broker is shared)."""
    b = LocalBroker(free_port(), log_file=tmp_path_factory.mktemp("relay") / "broker.log")
    b.start()
    try:
        yield b
    finally:
        b.kill()  # memory storage, nothing to flush (a terminate waits 5 s for tansu)


def held_on_broker(settings: Settings) -> dict[str, int]:
    """Every event id the broker holds on the topic, with its partition."""
    client = KafkaConsumer(
        bootstrap_servers=[settings.kafka_bootstrap], group_id=None, enable_auto_commit=False
    )
    try:
        tps = [
            TopicPartition(settings.topic, p) for p in client.partitions_for_topic(settings.topic)
        ]
        client.assign(tps)
        client.seek_to_beginning()
        ends = client.end_offsets(tps)  # tansu: batches, not records; only a lower bound
        held: dict[str, int] = {}
        idle = 0
        while idle < 5 or any(client.position(tp) < ends[tp] for tp in tps):
            batch = client.poll(timeout_ms=200)
            idle = 0 if batch else idle + 1
            for records in batch.values():
                for rec in records:
                    held[dict(rec.headers)["ce_id"].decode()] = rec.partition
        return held
    finally:
        client.close()


def test_multi_record_batches_are_never_taken_for_a_loss(outbox: Outbox) -> None:
    for burst in range(1, 7):
        outbox.write(40)
        wait_for(lambda burst=burst: outbox.sent() == 40 * burst, timeout=60)
    checked = outbox.relay.checks_total
    wait_for(lambda: outbox.relay.checks_total >= checked + 5, timeout=60)

    # The premise: this broker's end offsets count batches, so a check on end offsets would
    # have seen every partition "behind" what it acknowledged, and republished it all.
    highest: dict[int, int] = {}
    for _, p, o, _e in outbox.relay.acknowledged_sample():
        highest[p] = max(highest.get(p, -1), o)
    check = KafkaConsumer(bootstrap_servers=[outbox.settings.kafka_bootstrap], group_id=None)
    try:
        ends = check.end_offsets([TopicPartition(outbox.settings.topic, p) for p in highest])
    finally:
        check.close()
    assert any(ends[TopicPartition(outbox.settings.topic, p)] <= o for p, o in highest.items())

    assert outbox.relay.republished_total == 0
    assert outbox.relay.published_total == len(outbox.written) == 240
    assert set(held_on_broker(outbox.settings)) == set(outbox.written)


def test_a_batch_is_marked_sent_in_one_statement_whatever_its_size(
    unstarted_outbox: Outbox,
) -> None:
    """A round of the relay reads the unsent rows and marks the acknowledged ones with one
    statement each, for 1 row as for 150 (it marked them one statement per row: the relay's
    cost grew with every event). Each row is marked where the broker placed it, in id order."""
    box = unstarted_outbox
    statements: list[int] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        # An executemany is one statement per parameter set on the server (psycopg pipelines
        # them; SQLite runs each). The test's own writes are not counted.
        if statements:
            statements[-1] += len(parameters) if executemany else 1

    event.listen(box.engine, "before_cursor_execute", count)
    try:
        for size in (1, 150):
            box.write(size)
            statements.append(0)
            assert box.relay.publish_pending() == size
            counted = statements.pop()
            assert counted == 2, size  # the unsent rows, then their mark
    finally:
        event.remove(box.engine, "before_cursor_execute", count)

    o = box.table
    with box.engine.connect() as conn:
        rows = conn.execute(select(o.c.event_id, o.c.partition, o.c.offset).order_by(o.c.id)).all()
    assert [r.event_id for r in rows] == box.written
    held = held_on_broker(box.settings)
    assert {r.event_id: r.partition for r in rows} == held
    # Per partition the offsets follow the ids: each key's events in the order written.
    for p in set(held.values()):
        offsets = [r.offset for r in rows if r.partition == p]
        assert offsets == sorted(set(offsets))
    assert box.relay.publish_pending() == 0  # nothing marked twice, nothing left


@pytest.mark.parametrize("outbox", ["own_broker"], indirect=True)
def test_a_broker_that_lost_what_it_acknowledged_gets_it_again(
    outbox: Outbox, own_broker: LocalBroker
) -> None:
    outbox.write(60)
    wait_for(lambda: outbox.sent() == 60, timeout=60)
    before = outbox.placed()
    assert set(before.values()) <= set(range(PARTITIONS))

    own_broker.kill()
    own_broker.start()  # memory storage: every record is gone

    wait_for(lambda: outbox.relay.republished_total >= 60, timeout=60)
    wait_for(lambda: outbox.sent() == 60, timeout=60)
    outbox.write(20)  # and what comes after the restart
    wait_for(lambda: outbox.sent() == 80, timeout=60)

    held = held_on_broker(outbox.settings)
    assert set(held) == set(outbox.written)
    # Every key kept its partition, whatever partition count the broker gave the topic.
    assert outbox.placed() == before
    assert set(held.values()) <= set(range(PARTITIONS))


def partition_counts(bootstrap: str) -> dict[str, int]:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=[bootstrap])
    try:
        return {t["name"]: len(t["partitions"]) for t in admin.describe_topics()}
    finally:
        admin.close()


def test_service_topics_keep_their_partition_count_when_the_broker_restarts(
    own_broker: LocalBroker, tmp_path: Path
) -> None:
    """tansu forgets its topics on a restart and auto-creates one with 4 partitions for the
    first client that asks (it ignores a client's "no auto-creation"): the local broker creates
    every service topic with its count as soon as its port opens. The clients still connected
    reconnect on their own within a second and may ask first on a loaded machine (seen once,
    beside two test processes): then the topic they asked for has tansu's 4, and each key keeps
    the partition its producer saw first (the relay tests above). Every other topic has its
    count whatever the clients do."""
    from dataclasses import replace

    from zorgtafel.contracts.events import TOPIC

    gov = Settings(service="governance", data_dir=tmp_path, kafka_bootstrap=own_broker.bootstrap)
    producer = kafka.make_producer(gov)
    consumer = kafka.make_subscribed_consumer(replace(gov, service="disclosure"), [gov.topic])
    try:
        producer.send(gov.topic, key=b"case-1", value=b"{}").get(timeout=20)
        consumer.poll(timeout_ms=500)
        own_broker.kill()
        own_broker.start()
        # Both clients ask the restarted broker for the topic (the idempotent producer can
        # no longer send: the relay replaces it after its first failure).
        consumer.poll(timeout_ms=500)
        producer.partitions_for(gov.topic)
        counts = partition_counts(own_broker.bootstrap)
    finally:
        producer.close(timeout=2)
        consumer.close(autocommit=False)
    asked = {gov.topic}  # what the clients still connected ask for
    assert {counts.get(topic) for topic in set(TOPIC.values()) - asked} == {PARTITIONS}
    assert {counts.get(topic) for topic in asked} <= {PARTITIONS, 4}


def test_the_broker_check_fetches_one_batch_per_partition_however_long_the_topic(
    outbox: Outbox,
) -> None:
    """The check asks for the record at each partition's lowest acknowledged offset: the
    broker's answer is bounded by the check's fetch size, not by everything published since
    (a kept client held up to 1 MB per partition of it between checks, growing with the topic:
    disclosure's RSS grew ~0.15 MB per demo case, issue #16). A batch larger than the bound
    still comes whole, so every verdict is still given."""
    # First an event larger than the bound: the lowest offset of its partition lies in a batch
    # the bound alone would not admit.
    outbox.write(1, padding=100_000)
    wait_for(lambda: outbox.sent() == 1, timeout=60)
    for burst in range(1, 5):
        outbox.write(100)
        wait_for(lambda burst=burst: outbox.sent() == 1 + 100 * burst, timeout=60)
    check = kafka.HeldRecords(outbox.settings)
    try:
        sample = outbox.relay.acknowledged_sample()
        assert outbox.written[0] in {event_id for *_, event_id in sample}
        verdicts = check(sample)
        assert set(verdicts.values()) == {kafka.HELD}
        client = check._connect()
        # Bounds, not the constant: the library's defaults are 1 MB and 50 MB.
        assert client.config["max_partition_fetch_bytes"] <= 64 * 1024
        assert client.config["fetch_max_bytes"] <= 256 * 1024
    finally:
        check.close()
