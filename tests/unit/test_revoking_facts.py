"""Nothing lost for facts that take access away (ADR 0012): a revoking fact is never parked
after handler failures; its partition waits on it (the others go on), the service says so
(``zorgtafel_consumer_blocked``, not ready) and the effect comes once the failure clears. A
parked one (malformed) keeps the service not ready until an operator replays or discards it.
The consumer's loop runs against a broker double (poll, seek, pause, resume, commit) on a real
(SQLite) database; PostgreSQL and the command line are in tests/integration."""

from __future__ import annotations

import threading
import uuid
from collections import namedtuple

import pytest
from kafka import TopicPartition
from sqlalchemy import func, select

from services.governance.domain.events import REGISTRY
from tests.unit.kernel_store import kernel_store
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.parties import on_party_event
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing import wait_for

Record = namedtuple("Record", "topic partition offset key value headers timestamp")
TOPIC = ev.TOPIC["governance"]
P0, P1 = TopicPartition(TOPIC, 0), TopicPartition(TOPIC, 1)
PARTY_A, PARTY_B, PARTY_C = (f"000000990000000000{n:02d}" for n in (1, 2, 3))


class Broker:
    """The part of a ``KafkaConsumer`` the event consumer uses, over records in memory: a
    position per partition, seek, pause/resume and committed offsets."""

    def __init__(self, records: list[Record]) -> None:
        self.log: dict[TopicPartition, list[Record]] = {}
        for r in records:
            self.log.setdefault(TopicPartition(r.topic, r.partition), []).append(r)
        self.position = {tp: 0 for tp in self.log}
        self.paused: set[TopicPartition] = set()
        self.committed: dict[TopicPartition, int] = {}
        self._lock = threading.Lock()
        self._idle = threading.Event()

    def poll(self, timeout_ms: int = 0) -> dict[TopicPartition, list[Record]]:
        with self._lock:
            batch = {}
            for tp, records in self.log.items():
                if tp in self.paused:
                    continue
                fresh = [r for r in records if r.offset >= self.position[tp]]
                if fresh:
                    batch[tp] = fresh
                    self.position[tp] = fresh[-1].offset + 1
        if not batch:  # a broker's fetch waits when it has nothing
            self._idle.wait(min(timeout_ms, 10) / 1000)
        return batch

    def seek(self, tp: TopicPartition, offset: int) -> None:
        with self._lock:
            self.position[tp] = offset

    def pause(self, *tps: TopicPartition) -> None:
        self.paused.update(tps)

    def resume(self, *tps: TopicPartition) -> None:
        self.paused.difference_update(tps)

    def assignment(self) -> set[TopicPartition]:
        return set(self.log)

    def commit(self, offsets) -> None:
        for tp, meta in offsets.items():
            self.committed[tp] = meta.offset

    def highwater(self, tp: TopicPartition) -> int:
        return len(self.log[tp])

    def position_of(self, tp: TopicPartition) -> int:
        return self.position[tp]

    def close(self, autocommit: bool = False) -> None:
        pass


def party_record(
    event_type: str, party: str, status: str, partition: int = 0, offset: int = 0, **data
) -> Record:
    msg = to_kafka(
        str(uuid.uuid4()),
        event_type,
        "/zorgtafel/governance",
        utcnow(),
        party,
        {
            "party_id": party,
            "name": "Gemeente Asten",
            "kind": "municipality",
            "status": status,
            "status_since": utcnow().isoformat(),
        }
        | data,
    )
    return Record(
        TOPIC, partition, offset, msg.key.encode(), msg.value, list(msg.headers.items()), 0
    )


class Flaky:
    """A handler that fails its first ``failures`` calls, or while ``broken`` is set."""

    def __init__(self, handler, failures: int = 0) -> None:
        self.handler = handler
        self.failures = failures
        self.broken = threading.Event()
        self.calls = 0
        self.applied = 0

    def __call__(self, uow, event) -> None:
        self.calls += 1
        if self.calls <= self.failures or self.broken.is_set():
            raise RuntimeError("projection unavailable")
        self.handler(uow, event)
        self.applied += 1


@pytest.fixture
def database(tmp_path):
    factory, engine, tables = kernel_store(tmp_path, REGISTRY)
    yield factory, engine, tables
    engine.dispose()


def make_consumer(
    factory, handlers, metrics=None, max_attempts=3, ready_despite=()
) -> EventConsumer:
    return EventConsumer(
        [TOPIC],
        handlers,
        factory,
        lambda topics: None,  # type: ignore[arg-type,return-value]
        max_attempts=max_attempts,
        metrics=metrics,
        retry_backoff_s=0.001,
        retry_backoff_max_s=0.005,
        ready_despite=ready_despite,
    )


class Running:
    """The consumer's loop on a thread over ``broker``, stopped at the end."""

    def __init__(self, consumer: EventConsumer, broker: Broker) -> None:
        self.consumer = consumer
        self.thread = threading.Thread(target=consumer._loop, args=(broker,), daemon=True)

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.consumer._stop.set()
        self.thread.join(10)


def status_of(engine, tables, party: str) -> str | None:
    t = tables["party_directory"]
    with engine.connect() as conn:
        return conn.execute(select(t.c.status).where(t.c.party_id == party)).scalar_one_or_none()


def dead_letter_types(engine, tables) -> list[str]:
    t = tables["dead_letters"]
    with engine.connect() as conn:
        return list(conn.execute(select(t.c.type)).scalars())


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_the_revoking_facts_are_declared_in_the_contracts_and_name_published_types():
    assert {
        ev.CASE_PURGED,
        ev.SUBJECT_ERASED,
        ev.CASE_RESTRICTION_CHANGED,
        ev.DELEGATE_RELEASED,
        ev.SUBJECT_CONSENT_CHANGED,
        ev.ROSTER_CHANGED,
        ev.PARTY_EXCLUDED,
        ev.PARTY_WITHDREW,
        ev.ITEM_RETRACTED,
    } <= ev.REVOKING_FACTS
    assert ev.REVOKING_FACTS <= set(ev.EVENTS)
    # Facts that only add, or only count, keep the parking of a poison event.
    assert not {ev.CASE_OPENED, ev.DELEGATE_NAMED, ev.DISPUTE_CHANGED} & ev.REVOKING_FACTS


def test_a_restatement_waits_in_order_and_governance_stays_ready_beside_it(tmp_path):
    """``CASE_RESTATED`` may narrow governance's facts of a case known there only from events
    after the upgrade (a delegate it no longer holds, roles decided after those events): never
    parked, and, like casework's other membership facts there, not worth every service's policy
    bundles (ADR 0012)."""
    from zorgtafel.testing import handler_platform

    assert ev.CASE_RESTATED in ev.REVOKING_FACTS
    with handler_platform("governance", tmp_path) as (_platform, parts):
        assert ev.CASE_RESTATED in parts.ready_despite


def test_disclosure_waits_on_a_restatement_and_is_not_ready_beside_it(tmp_path):
    """In disclosure ``CASE_RESTATED`` may take away who reads a case's items (a delegate, a
    case director or a party's role casework no longer holds, 8.4c): consumed there, and its
    readiness waits on it (ADR 0012)."""
    from zorgtafel.testing import handler_platform

    with handler_platform("disclosure", tmp_path) as (_platform, parts):
        assert ev.CASE_RESTATED in parts.consumes[ev.TOPIC["casework"]]
        assert ev.CASE_RESTATED not in parts.ready_despite


def test_a_revoking_fact_whose_handler_keeps_failing_is_not_parked_and_applies_once_it_recovers(
    database,
):
    factory, engine, tables = database
    flaky = Flaky(on_party_event, failures=7)  # more than max_attempts (3)
    consumer = make_consumer(factory, {ev.PARTY_EXCLUDED: flaky})
    broker = Broker([party_record(ev.PARTY_EXCLUDED, PARTY_A, "excluded")])
    with Running(consumer, broker):
        wait_for(lambda: broker.committed.get(P0) == 1, timeout=20)
    assert status_of(engine, tables, PARTY_A) == "excluded"
    assert flaky.applied == 1 and flaky.calls == 8
    assert count(engine, tables["dead_letters"]) == 0
    assert consumer.stats.dead_lettered == 0 and consumer.stats.blocked == 1
    assert consumer.blocked == () and consumer.revocations_applied()


def test_a_failing_event_that_takes_no_access_away_is_still_parked_and_its_partition_moves_on(
    database,
):
    factory, engine, tables = database

    def broken(uow, event):
        raise RuntimeError("bad handler")

    consumer = make_consumer(
        factory, {ev.DISPUTE_CHANGED: broken, ev.PARTY_REGISTERED: on_party_event}, max_attempts=2
    )
    msg = to_kafka(
        "dispute-1",
        ev.DISPUTE_CHANGED,
        "/zorgtafel/governance",
        utcnow(),
        "dispute-1",
        {"dispute_id": "dispute-1", "about": "art-11", "forum": "board", "status": "open"},
    )
    dispute = Record(TOPIC, 0, 0, msg.key.encode(), msg.value, list(msg.headers.items()), 0)
    broker = Broker([dispute, party_record(ev.PARTY_REGISTERED, PARTY_B, "active", offset=1)])
    with Running(consumer, broker):
        wait_for(lambda: broker.committed.get(P0) == 2, timeout=20)
    assert dead_letter_types(engine, tables) == [ev.DISPUTE_CHANGED]
    assert status_of(engine, tables, PARTY_B) == "active"
    assert consumer.revocations_applied()  # a parked dispute takes no access away


def test_a_blocked_revoking_fact_holds_its_partition_not_the_others_and_the_service_is_not_ready(
    database,
):
    factory, engine, tables = database
    metrics = Metrics("test")
    flaky = Flaky(on_party_event)
    flaky.broken.set()
    consumer = make_consumer(
        factory, {ev.PARTY_EXCLUDED: flaky, ev.PARTY_REGISTERED: on_party_event}, metrics
    )
    broker = Broker(
        [
            party_record(ev.PARTY_EXCLUDED, PARTY_A, "excluded", partition=0, offset=0),
            party_record(ev.PARTY_REGISTERED, PARTY_C, "active", partition=0, offset=1),
            party_record(ev.PARTY_REGISTERED, PARTY_B, "active", partition=1, offset=0),
        ]
    )

    def blocked() -> float | None:
        return metrics.registry.get_sample_value(
            "zorgtafel_consumer_blocked", {"topic": TOPIC, "partition": "0"}
        )

    with Running(consumer, broker):
        wait_for(lambda: consumer.blocked and broker.committed.get(P1) == 1, timeout=20)
        assert status_of(engine, tables, PARTY_B) == "active"  # the other partition went on
        assert status_of(engine, tables, PARTY_C) is None  # behind the fact: waits, in order
        assert P0 not in broker.committed
        assert blocked() == 1
        assert not consumer.revocations_applied()
        # The mark every replica's readiness reads (the offset stays uncommitted).
        assert dead_letter_types(engine, tables) == [ev.PARTY_EXCLUDED]
        (fact,) = consumer.blocked
        assert fact.event_type == ev.PARTY_EXCLUDED and fact.offset == 0
        flaky.broken.clear()
        wait_for(lambda: broker.committed.get(P0) == 2, timeout=20)
    assert status_of(engine, tables, PARTY_A) == "excluded"
    assert status_of(engine, tables, PARTY_C) == "active"
    assert flaky.applied == 1 and blocked() == 0
    assert count(engine, tables["dead_letters"]) == 0
    assert consumer.revocations_applied() and consumer.stats.dead_lettered == 0


def test_a_service_stays_ready_while_a_fact_that_takes_no_access_away_there_waits(database):
    """Governance's case: a purge only unlinks a dispute's case id there, and its readiness
    gates every service's policy bundles. Still never parked, still reported."""
    factory, engine, tables = database
    metrics = Metrics("test")
    flaky = Flaky(on_party_event)
    flaky.broken.set()
    consumer = make_consumer(
        factory, {ev.PARTY_EXCLUDED: flaky}, metrics, ready_despite={ev.PARTY_EXCLUDED}
    )
    broker = Broker([party_record(ev.PARTY_EXCLUDED, PARTY_A, "excluded")])
    with Running(consumer, broker):
        wait_for(lambda: consumer.blocked, timeout=20)
        assert consumer.revocations_applied()
        assert dead_letter_types(engine, tables) == [ev.PARTY_EXCLUDED]  # the mark, reported
        assert metrics.registry.get_sample_value("zorgtafel_revoking_dead_letters") == 1
        assert (
            metrics.registry.get_sample_value(
                "zorgtafel_consumer_blocked", {"topic": TOPIC, "partition": "0"}
            )
            == 1
        )
        flaky.broken.clear()
        wait_for(lambda: broker.committed.get(P0) == 1, timeout=20)
    assert status_of(engine, tables, PARTY_A) == "excluded"
    assert consumer.stats.dead_lettered == 0


def test_a_revoking_fact_that_breaks_its_contract_is_parked_and_keeps_the_service_not_ready(
    database,
):
    """No retry can fix it: parked, so the facts behind it go on, and the service is not ready
    until an operator acts; a replay leaves it (still malformed), a discard is the decision."""
    factory, engine, tables = database
    metrics = Metrics("test")
    consumer = make_consumer(factory, {ev.PARTY_EXCLUDED: on_party_event}, metrics)
    bad = party_record(ev.PARTY_EXCLUDED, PARTY_A, "excluded")
    bad = bad._replace(value=bad.value.replace(b'"kind"', b'"sort"'))  # a field missing
    assert consumer.handle_record(bad) == "dead_letter"
    assert dead_letter_types(engine, tables) == [ev.PARTY_EXCLUDED]
    assert not consumer.revocations_applied()
    assert metrics.registry.get_sample_value("zorgtafel_revoking_dead_letters") == 1
    # The facts behind it were not held: a later exclusion of another party applies.
    later = party_record(ev.PARTY_EXCLUDED, PARTY_B, "excluded", offset=1)
    assert consumer.handle_record(later) == "applied"
    assert not consumer.revocations_applied()
    (replayed,) = consumer.replay_dead_letters()
    assert replayed.outcome == "malformed" and not replayed.removed
    assert not consumer.revocations_applied()

    from zorgtafel.kernel.dead_letters import discard

    assert discard(consumer, replayed.event_id)
    assert consumer.revocations_applied()
    assert metrics.registry.get_sample_value("zorgtafel_revoking_dead_letters") == 0


def test_a_replayed_dead_letter_is_applied_once_and_leaves_dead_letters(database):
    factory, engine, tables = database
    consumer = make_consumer(factory, {ev.PARTY_EXCLUDED: on_party_event})
    record = party_record(ev.PARTY_EXCLUDED, PARTY_A, "excluded")
    consumer._dead_letter(record, RuntimeError("parked by an earlier version"))
    assert not consumer.revocations_applied()
    (replayed,) = consumer.replay_dead_letters()
    assert (replayed.outcome, replayed.error) == ("applied", "")
    assert status_of(engine, tables, PARTY_A) == "excluded"
    assert count(engine, tables["dead_letters"]) == 0 and consumer.revocations_applied()
    assert consumer.replay_dead_letters() == []
    assert consumer.handle_record(record) == "duplicate"  # the stream's copy: nothing twice
    assert count(engine, tables["processed_events"]) == 1
