"""Nothing lost for facts that take access away (ADR 0012), with the real broker and PostgreSQL:
a process director's revocation whose handler fails is not parked; the service is NOT_SERVING
while it waits and applies it once the failure clears."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timezone

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from sqlalchemy import func, select

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.roster import on_roster_changed
from zorgtafel.testing import Publisher, channel, running_service, wait_for

pytestmark = pytest.mark.integration

HELMOND = "00000099000000000018"  # the process director works for Helmond (art. 11)


def roster_fact(person: str, held: bool) -> dict:
    return {
        "function": "process_director",
        "party": HELMOND,
        "person": person,
        "held": held,
        "changed_at": datetime.now(timezone.utc).isoformat(),
    }


def holds(uow_factory, person: str) -> bool:
    with uow_factory() as uow:
        t = uow.tables["roster"]
        row = uow.session.execute(
            select(t.c.held).where((t.c.party == HELMOND) & (t.c.person == person))
        ).first()
    return bool(row and row.held)


def rows(uow_factory, table: str) -> int:
    with uow_factory() as uow:
        t = uow.tables[table]
        return uow.session.execute(select(func.count()).select_from(t)).scalar_one()


class Failing:
    """The roster's handler, failing while ``broken`` is set (a projection that cannot take
    the write: a lock timeout, a full disk, a bug fixed by the next release)."""

    def __init__(self) -> None:
        self.broken = threading.Event()
        self.broken.set()

    def __call__(self, uow, event) -> None:
        if self.broken.is_set():
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

            failing.broken.clear()
            wait_for(lambda: not holds(app.uow_factory, person), timeout=60)
            wait_for(
                lambda: "revocations_applied" not in app.monitor.check_now().failing, timeout=30
            )
            assert rows(app.uow_factory, "dead_letters") == 0
            assert list(blocked_gauges(app).values()) == [0.0]
    finally:
        publisher.close()
