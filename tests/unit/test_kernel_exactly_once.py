"""Nothing lost, nothing twice, at the kernel's level: idempotent commands and consumers on a
real (SQLite) database, and the relay's judgement of what a broker lost; no broker needed."""

from __future__ import annotations

import uuid
from collections import namedtuple
from functools import partial

import pytest
from kafka import TopicPartition
from kafka.partitioner import DefaultPartitioner
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from services.governance.adapters import orm
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.bootstrap import VERSIONS
from services.governance.domain.events import REGISTRY
from tests.unit.kernel_store import kernel_store
from zorgtafel.contracts import events as ev
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel import db, migrate
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.kafka import StablePartitioner
from zorgtafel.kernel.outbox import OutboxRelay
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.schema import party_status_consumption
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing.services import drop_schema

Record = namedtuple("Record", "topic partition offset key value headers")


@pytest.fixture
def governance_uow(tmp_path):
    orm.start_mappers()
    engine = db.make_engine(Settings(service="governance", data_dir=tmp_path))
    migrate.upgrade(engine, orm.metadata, VERSIONS, None)
    factory = partial(
        GovernanceUnitOfWork,
        db.make_session_factory(engine),
        orm.tables,
        topic="zorgtafel.governance.v1",
        source="/t",
        registry=REGISTRY,
    )
    yield factory, engine
    engine.dispose()


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_repeated_request_returns_the_stored_response_and_changes_nothing(governance_uow):
    factory, engine = governance_uow
    calls = []

    def effect(uow):
        calls.append(1)
        uow.session.execute(
            orm.tables["outbox"]
            .insert()
            .values(
                event_id=f"e{len(calls)}",
                topic="t",
                key="k",
                type="x",
                source="s",
                time=utcnow(),
                data="{}",
                created_at=utcnow(),
                attempts=0,
            )
        )
        return pb.GetPartyResponse(
            party=pb.Party(party_id="00000099000000000001", name=f"call {len(calls)}")
        )

    request = _Req("req-0001-abcdef", b"same body")
    first = execute_once(
        factory,
        party="00000099000000000001",
        method="/m",
        request=request,
        response_type=pb.GetPartyResponse,
        effect=effect,
    )
    again = execute_once(
        factory,
        party="00000099000000000001",
        method="/m",
        request=request,
        response_type=pb.GetPartyResponse,
        effect=effect,
    )
    assert first == again and len(calls) == 1
    assert count(engine, orm.tables["outbox"]) == 1


class _Req:
    """A request-like message with a request_id (governance's slice has no mutating RPC)."""

    def __init__(self, request_id: str, body: bytes) -> None:
        self.request_id = request_id
        self._body = body

    def SerializeToString(self, deterministic=False):
        return self._body


def test_the_same_request_id_for_another_request_is_refused(governance_uow):
    factory, _ = governance_uow
    ok = lambda uow: pb.GetPartyResponse()  # noqa: E731
    execute_once(
        factory,
        party="p",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=ok,
    )
    with pytest.raises(FailedPrecondition) as err:
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req("req-12345678", b"b"),
            response_type=pb.GetPartyResponse,
            effect=ok,
        )
    assert err.value.state == "request_id_used"


def test_another_party_never_sees_a_stored_response(governance_uow):
    factory, _ = governance_uow
    secret = lambda uow: pb.GetPartyResponse(party=pb.Party(name="first"))  # noqa: E731
    other = lambda uow: pb.GetPartyResponse(party=pb.Party(name="second"))  # noqa: E731
    execute_once(
        factory,
        party="p1",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=secret,
    )
    reply = execute_once(
        factory,
        party="p2",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=other,
    )
    assert reply.party.name == "second"


def test_a_colleague_replaying_a_request_gets_no_stored_response(governance_uow):
    """Need to know by person (ADR 0005): the same party, bytes and request_id from another
    person is refused; the first person's answer is not handed out and nothing runs twice."""
    factory, _ = governance_uow
    calls: list[str] = []

    def effect(uow):
        calls.append("ran")
        return pb.GetPartyResponse(party=pb.Party(name="the process director's answer"))

    def as_person(person: str) -> pb.GetPartyResponse:
        return execute_once(
            factory,
            party="p",
            person=person,
            method="/m",
            request=_Req("req-replayed-1", b"a"),
            response_type=pb.GetPartyResponse,
            effect=effect,
        )

    assert as_person("pd-1").party.name == "the process director's answer"
    assert as_person("pd-1").party.name == "the process director's answer"  # a retry
    with pytest.raises(FailedPrecondition) as err:
        as_person("colleague-1")
    assert err.value.state == "request_id_used"
    assert calls == ["ran"]


@pytest.mark.parametrize("bad", ["", "short", "x" * 129, "has space 123", "naïve-12345"])
def test_a_missing_or_malformed_request_id_is_invalid_argument(governance_uow, bad):
    factory, _ = governance_uow
    with pytest.raises(InvalidArgument) as err:
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req(bad, b""),
            response_type=pb.GetPartyResponse,
            effect=lambda uow: pb.GetPartyResponse(),
        )
    assert err.value.violations[0][0] == "request_id"


@pytest.fixture
def projection(tmp_path):
    factory, engine, tables = kernel_store(tmp_path, REGISTRY)
    handlers = party_status_consumption()[ev.TOPIC["governance"]]
    consumer = EventConsumer(["zorgtafel.governance.v1"], handlers, factory, lambda t: None)
    yield consumer, engine, tables
    engine.dispose()


def party_record(event_id: str, status: str, offset: int = 0) -> Record:
    msg = to_kafka(
        event_id,
        ev.PARTY_REGISTERED if status == "active" else ev.PARTY_EXCLUDED,
        "/zorgtafel/governance",
        utcnow(),
        "00000099000000000001",
        {
            "party_id": "00000099000000000001",
            "name": "Gemeente Asten",
            "kind": "municipality",
            "status": status,
            "status_since": utcnow().isoformat(),
        },
    )
    return Record(
        "zorgtafel.governance.v1", 0, offset, msg.key.encode(), msg.value, list(msg.headers.items())
    )


def test_a_redelivered_event_is_applied_once(projection):
    consumer, engine, tables = projection
    assert consumer.handle_record(party_record("ev-1", "active")) == "applied"
    assert consumer.handle_record(party_record("ev-1", "active")) == "duplicate"
    assert count(engine, tables["party_directory"]) == 1
    assert count(engine, tables["processed_events"]) == 1


def test_an_exclusion_event_changes_the_projected_status(projection):
    consumer, engine, tables = projection
    consumer.handle_record(party_record("ev-1", "active"))
    consumer.handle_record(party_record("ev-2", "excluded", 1))
    with engine.connect() as conn:
        status = conn.execute(select(tables["party_directory"].c.status)).scalar_one()
    assert status == "excluded"


def test_a_malformed_event_is_kept_as_a_dead_letter_not_dropped(projection):
    consumer, engine, tables = projection
    rec = Record("zorgtafel.governance.v1", 0, 7, b"k", b"not json", [("ce_id", b"x")])
    assert consumer.handle_record(rec) == "dead_letter"
    assert count(engine, tables["dead_letters"]) == 1


def test_a_purge_takes_the_cases_dead_letters_with_it_and_leaves_the_others(projection):
    """A parked event keeps its whole value (a CASE_OPENED's pseudonym, say): it goes with the
    case's data (1.2), found by its key or its data's case id, even when it is no JSON."""
    consumer, engine, tables = projection
    case, other = "case-0001-aaaa", "case-0002-bbbb"
    parked = [
        Record("t", 0, 1, case.encode(), b'{"case_id": 1', [("ce_id", b"d1")]),  # by its key
        Record("t", 0, 2, b"", b'{"case_ids": ["case-0001-aaaa"]}', [("ce_id", b"d2")]),
        Record("t", 0, 3, b"", b"garbage case-0001-aaaa", [("ce_id", b"d3")]),
        Record("t", 0, 4, other.encode(), b'{"case_id": "case-0002-bbbb"', [("ce_id", b"d4")]),
        # A subject's erasure, keyed by the pseudonym: of this case alone it goes with it; of
        # this case and another it is the other's too, and stays (dropping it would lose the
        # other case's erasure: ADR 0012).
        Record("t", 0, 5, b"ps-1", b'{"case_ids": ["case-0001-aaaa"]}', [("ce_id", b"d5")]),
        Record(
            "t",
            0,
            6,
            b"ps-1",
            b'{"case_ids": [%b, %b]}' % (b'"' + case.encode() + b'"', b'"' + other.encode() + b'"'),
            [("ce_id", b"d6")],
        ),
    ]
    for rec in parked:
        consumer._dead_letter(rec, ValueError("bad"))
    assert count(engine, tables["dead_letters"]) == 6
    with Session(engine) as session, session.begin():
        forget_case(session, tables, case)
    with engine.connect() as conn:
        left = conn.execute(select(tables["dead_letters"].c.event_id)).scalars().all()
    assert sorted(left) == ["d4", "d6"]


def sent_rows(engine, placed: list[tuple[int, int]]) -> list[str]:
    """Outbox rows the broker acknowledged at (partition, offset); returns their event ids."""
    table = orm.tables["outbox"]
    ids = [f"ev-{uuid.uuid4().hex[:12]}" for _ in placed]
    with engine.begin() as conn:
        for event_id, (p, o) in zip(ids, placed, strict=True):
            conn.execute(
                table.insert().values(
                    event_id=event_id,
                    topic="t",
                    key="k",
                    type="x",
                    source="s",
                    time=utcnow(),
                    data="{}",
                    created_at=utcnow(),
                    sent_at=utcnow(),
                    partition=p,
                    offset=o,
                    attempts=0,
                )
            )
    return ids


def unsent(engine) -> set[str]:
    table = orm.tables["outbox"]
    with engine.connect() as conn:
        rows = conn.execute(select(table.c.event_id).where(table.c.sent_at.is_(None)))
        return set(rows.scalars())


class BrokerHolds:
    """What a broker holds, record by record, as ``kafka.HeldRecords`` reports it."""

    def __init__(self, held: dict[tuple[int, int], str], answers: int = 99) -> None:
        self.held = held  # (partition, offset) -> event id
        self.answers = answers  # how many checks it answers before going "unknown"
        self.asked: list[list] = []

    def __call__(self, samples):
        self.asked.append(list(samples))
        if len(self.asked) > self.answers:
            return {s: "unknown" for s in samples}
        return {s: "held" if self.held.get(s[1:3]) == s[3] else "lost" for s in samples}


def relay_on(engine) -> OutboxRelay:
    return OutboxRelay(engine, orm.tables["outbox"], lambda: None)  # type: ignore[arg-type]


def test_only_the_partition_that_lost_a_record_is_published_again(governance_uow):
    _, engine = governance_uow
    p0 = sent_rows(engine, [(0, 0), (0, 1), (0, 2)])
    p1 = sent_rows(engine, [(1, 0), (1, 1)])
    broker = BrokerHolds({(0, 0): p0[0], (0, 2): p0[2], (1, 0): p1[0]})  # (1, 1) is gone
    relay = relay_on(engine)
    assert relay.republish_if_broker_lost_records(broker) == 2
    assert unsent(engine) == set(p1)
    assert relay.republished_total == 2


def test_records_that_are_all_held_are_not_published_again(governance_uow):
    _, engine = governance_uow
    ids = sent_rows(engine, [(0, 0), (0, 1), (0, 2), (2, 7)])
    broker = BrokerHolds({(0, 0): ids[0], (0, 1): ids[1], (0, 2): ids[2], (2, 7): ids[3]})
    relay = relay_on(engine)
    assert relay.republish_if_broker_lost_records(broker) == 0
    assert unsent(engine) == set() and relay.checks_total == 1
    # The sample is bounded: the lowest and the highest offset of each partition.
    assert {s[1:3] for s in broker.asked[0]} == {(0, 0), (0, 2), (2, 7)}


def test_a_partition_emptied_and_refilled_is_noticed_by_its_oldest_row(governance_uow):
    """A broker restarted on memory storage: a new event took offset 0 again, and the newest
    acknowledged row is held; the old row that claims offset 0 is not."""
    _, engine = governance_uow
    old = sent_rows(engine, [(0, 0), (0, 1)])
    new = sent_rows(engine, [(0, 0)])
    broker = BrokerHolds({(0, 0): new[0], (0, 1): "another event"})
    assert relay_on(engine).republish_if_broker_lost_records(broker) == 3
    assert unsent(engine) == set(old) | set(new)


def test_a_loss_not_confirmed_by_a_second_look_changes_nothing(governance_uow):
    _, engine = governance_uow
    sent_rows(engine, [(0, 0), (0, 5)])
    broker = BrokerHolds({}, answers=1)  # "lost", then no answer in time
    relay = relay_on(engine)
    assert relay.republish_if_broker_lost_records(broker) == 0
    assert len(broker.asked) == 2 and unsent(engine) == set()


class _Cluster:
    def __init__(self, n: int) -> None:
        self.n = n

    def partitions_for_topic(self, topic):
        return set(range(self.n))


KEYS = [f"case-{i}".encode() for i in range(200)]


def placement(partitioner, partitions: int) -> list[int]:
    return [partitioner.partition("t", None, k, None, None, _Cluster(partitions)) for k in KEYS]


def test_a_key_keeps_its_partition_when_the_broker_reports_more_partitions():
    scope = uuid.uuid4().hex  # a broker of its own
    before = placement(StablePartitioner(scope), 3)
    assert placement(StablePartitioner(scope), 4) == before  # a producer made again, too
    assert set(before) == {0, 1, 2}
    # Kafka's default partitioner over 3 partitions: the placement the topic always had.
    assert before == [
        DefaultPartitioner().partition("t", None, k, None, None, _Meta(3)) for k in KEYS
    ]


def test_keys_are_placed_as_by_kafkas_partitioner_over_the_partitions_a_topic_has():
    six = placement(StablePartitioner(uuid.uuid4().hex), 6)  # Strimzi's KafkaTopic: 6
    assert six == [DefaultPartitioner().partition("t", None, k, None, None, _Meta(6)) for k in KEYS]


class _Meta:
    def __init__(self, n: int) -> None:
        self.n = n

    def topics(self):
        return {"t"}

    def partitions_for_topic(self, topic):
        return set(range(self.n))

    def available_partitions_for_topic(self, topic):
        return set(range(self.n))


class _Assigned:
    """A Kafka consumer's view of its partitions: high watermark and position of each."""

    def __init__(self, seen: dict[int, tuple[int | None, int]]) -> None:
        self.seen = seen

    def assignment(self):
        return {TopicPartition("t", p) for p in self.seen}

    def highwater(self, tp):
        return self.seen[tp.partition][0]

    def position(self, tp, timeout_ms=None):
        return self.seen[tp.partition][1]


def test_consumer_lag_is_reported_per_partition_and_never_negative():
    from zorgtafel.kernel.metrics import Metrics

    metrics = Metrics("test")
    consumer = EventConsumer(["t"], {}, None, None, metrics=metrics, lag_alert=500)  # type: ignore[arg-type]
    # 0: 40 records behind; 1: tansu's batch-counted watermark below the position; 2: no fetch yet
    consumer._report_lag(_Assigned({0: (100, 60), 1: (11, 14), 2: (None, 0)}))
    lag = {
        s.labels["partition"]: s.value
        for m in metrics.registry.collect()
        if m.name == "zorgtafel_consumer_lag"
        for s in m.samples
    }
    assert lag == {"0": 40.0, "1": 0.0}
    assert metrics.registry.get_sample_value("zorgtafel_consumer_lag_alert_threshold") == 500


@pytest.fixture
def outbox_engine(tmp_path, database_url):
    """Governance's migrated database: a SQLite file, or a schema of its own on PostgreSQL."""
    schema = f"t_outbox_{uuid.uuid4().hex[:10]}"
    settings = Settings(
        service="governance",
        data_dir=tmp_path,
        database_url=database_url,
        database_schema=schema if database_url else "",
    )
    engine = db.make_engine(settings)
    migrate.upgrade(engine, orm.metadata, VERSIONS, settings.effective_schema)
    yield engine
    engine.dispose()
    if database_url:
        drop_schema(database_url, schema)


def sent_in_bulk(engine, partition: int, offsets: range, topic: str = "t") -> None:
    """Sent rows acknowledged at ``offsets`` of ``partition``, in one statement."""
    table = orm.tables["outbox"]
    now = utcnow()
    rows = [
        {
            "event_id": f"ev-{uuid.uuid4().hex[:16]}",
            "topic": topic,
            "key": "k",
            "type": "x",
            "source": "s",
            "time": now,
            "data": "{}",
            "created_at": now,
            "sent_at": now,
            "partition": partition,
            "offset": o,
            "attempts": 0,
        }
        for o in offsets
    ]
    with engine.begin() as conn:
        conn.execute(table.insert(), rows)


def rows_read(engine, sent: list[tuple[str, object]]) -> int:
    """The outbox rows the database read to answer ``sent`` (statements and parameters as
    SQLAlchemy sent them): on PostgreSQL the rows each scan of the outbox returned or filtered
    out (EXPLAIN ANALYZE), on SQLite the virtual machine's steps (one or more per row a scan
    visits; a seek is one)."""
    total = 0
    with engine.connect() as conn:
        for statement, params in sent:
            if engine.dialect.name == "postgresql":
                plan = conn.exec_driver_sql(
                    "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params
                ).scalar_one()
                nodes = [plan[0]["Plan"]]
                while nodes:
                    node = nodes.pop()
                    nodes.extend(node.get("Plans", ()))
                    if node.get("Relation Name") == "outbox" or node.get(
                        "Index Name", ""
                    ).startswith("ix_outbox"):
                        read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                        total += int(read * node["Actual Loops"])
            else:
                steps = [0]

                def step(steps: list[int] = steps) -> int:
                    steps[0] += 1
                    return 0

                raw = conn.connection.driver_connection
                raw.set_progress_handler(step, 1)
                try:
                    conn.exec_driver_sql(statement, params).all()
                finally:
                    raw.set_progress_handler(None, 1)
                total += steps[0]
    return total


def test_the_broker_check_reads_as_much_with_a_week_of_sent_rows_as_with_a_few(outbox_engine):
    """The check runs every 5 s on every service and the outbox keeps a week of sent rows: what
    it reads of the database is bounded by the partitions, not by the rows kept (issue #16)."""
    engine = outbox_engine
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, params, context, executemany):
        seen.append((statement, params))

    def cost() -> tuple[int, int, int]:
        table = orm.tables["outbox"]
        with engine.connect() as conn:
            held = {
                (p, o): e
                for p, o, e in conn.execute(
                    select(table.c.partition, table.c.offset, table.c.event_id)
                ).all()
            }
        seen.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert relay_on(engine).republish_if_broker_lost_records(BrokerHolds(held)) == 0
        finally:
            event.remove(engine, "before_cursor_execute", record)
        sent = [(s, p) for s, p in seen if "outbox" in s]
        return len(sent), rows_read(engine, sent), len(held)

    for partition in range(3):
        sent_in_bulk(engine, partition, range(0, 20))
    few = cost()
    for partition in range(3):
        sent_in_bulk(engine, partition, range(20, 2000))
    many = cost()
    assert many[2] == 100 * few[2]
    assert many[:2] == few[:2], f"statements and rows read: {few[:2]} -> {many[:2]}"


def test_the_sample_holds_both_ends_of_every_partition_of_every_topic(outbox_engine):
    engine = outbox_engine
    sent_in_bulk(engine, 0, range(3, 9), topic="b")
    sent_in_bulk(engine, 2, range(0, 1), topic="b")
    sent_in_bulk(engine, 1, range(5, 7), topic="a")
    sent_in_bulk(engine, 7, range(100, 140), topic="c")
    sent_rows(engine, [(0, 3)])  # topic "t"; and a row of "b" acknowledged at 3 again
    with engine.begin() as conn:
        table = orm.tables["outbox"]
        conn.execute(
            table.update()
            .where(
                table.c.event_id.in_(
                    select(table.c.event_id).where(table.c.topic == "t").scalar_subquery()
                )
            )
            .values(topic="b")
        )
        # Unsent rows (nothing placed yet) are no part of it.
        conn.execute(
            table.update()
            .where(table.c.topic == "c", table.c.offset >= 130)
            .values(sent_at=None, partition=None, offset=None)
        )
    sample = relay_on(engine).acknowledged_sample()
    assert sorted(s[:3] for s in sample) == [
        ("a", 1, 5),
        ("a", 1, 6),
        ("b", 0, 3),
        ("b", 0, 3),
        ("b", 0, 8),
        ("b", 2, 0),
        ("c", 7, 100),
        ("c", 7, 129),
    ]
