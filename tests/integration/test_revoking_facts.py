"""Nothing lost for facts that take access away (ADR 0012), with the real broker and PostgreSQL:
a process director's revocation whose handler fails is not parked; the service is NOT_SERVING
while it waits and applies it once the failure clears. ``zorgtafel dead-letters replay``
applies a parked revocation through the service's own consumer, once however often it runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import func, select

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.dead_letters import service_consumer
from zorgtafel.kernel.roster import on_roster_changed
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing import Publisher, channel, running_service, wait_for
from zorgtafel.testing.handlers import handler_platform, set_roster

pytestmark = pytest.mark.integration

HELMOND = "00000099000000000018"  # the process director works for Helmond (art. 11)


def roster_fact(person: str, held: bool, party: str = HELMOND) -> dict:
    return {
        "function": "process_director",
        "party": party,
        "person": person,
        "held": held,
        "changed_at": datetime.now(timezone.utc).isoformat(),
    }


def holds(uow_factory, person: str, party: str = HELMOND) -> bool:
    with uow_factory() as uow:
        t = uow.tables["roster"]
        row = uow.session.execute(
            select(t.c.held).where((t.c.party == party) & (t.c.person == person))
        ).first()
    return bool(row and row.held)


def party_on_another_partition(bootstrap: str) -> str:
    """A party whose roster facts (keyed by the party) go to another partition of governance's
    topic than Helmond's, as the producer's partitioner places them."""
    from kafka import KafkaConsumer
    from kafka.partitioner.default import murmur2

    client = KafkaConsumer(bootstrap_servers=bootstrap.split(","))
    try:
        n = len(wait_for(lambda: client.partitions_for_topic(ev.TOPIC["governance"]), timeout=30))
    finally:
        client.close()

    def partition(key: str) -> int:
        return (murmur2(key.encode()) & 0x7FFFFFFF) % n

    return next(
        p
        for p in (f"000000990000000000{i:02d}" for i in range(1, 100))
        if partition(p) != partition(HELMOND)
    )


def rows(uow_factory, table: str) -> int:
    with uow_factory() as uow:
        t = uow.tables[table]
        return uow.session.execute(select(func.count()).select_from(t)).scalar_one()


class Failing:
    """The roster's handler, failing for Helmond's facts while ``broken`` is set (a projection
    that cannot take the write: a lock timeout, a bug fixed by the next release)."""

    def __init__(self) -> None:
        self.broken = threading.Event()
        self.broken.set()

    def __call__(self, uow, event) -> None:
        if self.broken.is_set() and event.data.get("party") == HELMOND:
            raise RuntimeError("projection unavailable")
        on_roster_changed(uow, event)


def blocked_gauges(app) -> dict[str, float]:
    return {
        s.labels["partition"]: s.value
        for m in app.metrics.registry.collect()
        if m.name == "zorgtafel_consumer_blocked"
        for s in m.samples
    }


def test_a_revocation_whose_handler_fails_waits_and_the_service_is_not_serving_until_applied(
    module_broker, data_dir, pg_url
):
    person = f"zorgcoordinator-{uuid.uuid4().hex[:6]}"
    publisher = Publisher(module_broker.bootstrap)
    try:
        with running_service("intake", data_dir, module_broker.bootstrap, pg_url) as app:
            assert app.consumer is not None
            publisher.publish("governance", ev.ROSTER_CHANGED, HELMOND, roster_fact(person, True))
            wait_for(lambda: holds(app.uow_factory, person), timeout=60)
            failing = Failing()
            app.consumer.handlers[ev.ROSTER_CHANGED] = failing
            publisher.publish("governance", ev.ROSTER_CHANGED, HELMOND, roster_fact(person, False))

            wait_for(lambda: "revocations_applied" in app.monitor.check_now().failing, timeout=60)
            with channel(app) as ch:
                health = health_pb2_grpc.HealthStub(ch).Check(
                    health_pb2.HealthCheckRequest(service=""), timeout=10
                )
            assert health.status == health_pb2.HealthCheckResponse.NOT_SERVING
            assert list(blocked_gauges(app).values()) == [1.0]
            assert holds(app.uow_factory, person)  # not applied yet: it waits, never parked
            assert app.consumer.stats.dead_lettered == 0
            # Another party's facts, on another partition, go on; Helmond's next one waits.
            other = party_on_another_partition(module_broker.bootstrap)
            publisher.publish(
                "governance", ev.ROSTER_CHANGED, other, roster_fact(person, True, other)
            )
            successor = f"{person}-next"
            publisher.publish(
                "governance", ev.ROSTER_CHANGED, HELMOND, roster_fact(successor, True)
            )
            wait_for(lambda: holds(app.uow_factory, person, other), timeout=60)
            assert not holds(app.uow_factory, successor)
            assert "revocations_applied" in app.monitor.check_now().failing

            failing.broken.clear()
            wait_for(lambda: holds(app.uow_factory, successor), timeout=60)
            assert not holds(app.uow_factory, person)
            wait_for(
                lambda: "revocations_applied" not in app.monitor.check_now().failing, timeout=30
            )
            assert rows(app.uow_factory, "dead_letters") == 0
            assert list(blocked_gauges(app).values()) == [0.0]
    finally:
        publisher.close()


def revocation_record(person: str):
    """A process director's revocation as the Kafka record the consumer parks."""

    class Record:
        topic, partition, offset = ev.TOPIC["governance"], 0, 41

    msg = to_kafka(
        str(uuid.uuid4()),
        ev.ROSTER_CHANGED,
        "/zorgtafel/governance",
        utcnow(),
        HELMOND,
        roster_fact(person, False),
    )
    record = Record()
    record.key, record.value = msg.key.encode(), msg.value  # type: ignore[attr-defined]
    record.headers = list(msg.headers.items())  # type: ignore[attr-defined]
    return record


def test_zorgtafel_dead_letters_replay_applies_a_parked_revocation_once(data_dir, pg_url):
    """A revocation an earlier version parked (or one parked as malformed, then fixed) is
    applied by the operator's replay, through intake's own consumer and processed-event dedup:
    a second replay, or a second parked copy of it, changes nothing."""
    person = f"zorgcoordinator-{uuid.uuid4().hex[:6]}"
    with handler_platform("intake", data_dir, pg_url) as (platform, _parts):
        set_roster(platform, "process_director", HELMOND, person)
        record = revocation_record(person)
        with service_consumer(platform.settings) as consumer:
            consumer._dead_letter(record, RuntimeError("parked by an earlier version"))
            assert not consumer.revocations_applied()
        env = {k: v for k, v in os.environ.items() if not k.startswith("ZORGTAFEL_")}
        env.update(
            ZORGTAFEL_DATA_DIR=str(data_dir),
            ZORGTAFEL_DATABASE_URL=pg_url,
            ZORGTAFEL_DATABASE_SCHEMA=platform.settings.database_schema,
        )

        def dead_letters(*args: str) -> tuple[int, Any]:
            # The command as an operator runs it: its own process.
            run = subprocess.run(
                [sys.executable, "-m", "zorgtafel.cli", "dead-letters", *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert person not in run.stdout + run.stderr  # ids of events, never their data
            return run.returncode, json.loads(run.stdout)

        code, listed = dead_letters("list", "--service", "intake")
        assert code == 0
        assert [(d["type"], d["revoking"]) for d in listed] == [(ev.ROSTER_CHANGED, True)]
        assert holds(platform.uow_factory, person)

        code, report = dead_letters("replay", "--service", "intake")
        assert code == 0, report
        event_id = listed[0]["event_id"]
        assert report["replayed"] == [
            {"event_id": event_id, "type": ev.ROSTER_CHANGED, "outcome": "applied", "error": ""}
        ]
        assert (report["removed"], report["left"]) == (1, 0)
        assert not holds(platform.uow_factory, person)
        processed = rows(platform.uow_factory, "processed_events")

        code, report = dead_letters("replay", "--service", "intake")
        assert (code, report["replayed"], report["left"]) == (0, [], 0)
        # The same event parked a second time (by another replica): recognised, not applied.
        set_roster(platform, "process_director", HELMOND, person)  # appointed again since
        with service_consumer(platform.settings) as consumer:
            consumer._dead_letter(record, RuntimeError("parked twice"))
        code, report = dead_letters("replay", "--service", "intake")
        assert code == 0 and [r["outcome"] for r in report["replayed"]] == ["duplicate"]
        assert holds(platform.uow_factory, person)  # the old revocation took nothing again
        assert rows(platform.uow_factory, "processed_events") == processed
        assert rows(platform.uow_factory, "dead_letters") == 0
