"""Readiness that means ready (issue #16): a service is ready only when it knows every party
of the covenant's seed, its policy engine answers and its consumer has partitions; party
status is held in memory and follows the committed party events, not a query per call."""

from __future__ import annotations

import threading
from functools import partial

import pytest
from grpc_health.v1 import health
from sqlalchemy import event

from zorgtafel.contracts import events as ev
from zorgtafel.kernel import db
from zorgtafel.kernel.bootstrap import consumer_assigned, policy_healthy
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.events import EventRegistry, InboundEvent
from zorgtafel.kernel.health import HealthMonitor
from zorgtafel.kernel.parties import PartyDirectory, on_party_event, seeded_party_ids
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.uow import UnitOfWork

A, B = "00000099000000000001", "00000099000000000002"


@pytest.fixture
def projection(tmp_path):
    metadata, tables = service_metadata()
    engine = db.make_engine(Settings(service="intake", data_dir=tmp_path))
    metadata.create_all(engine)
    sessions = db.make_session_factory(engine)
    uow = partial(UnitOfWork, sessions, tables, topic="t", source="/t", registry=EventRegistry([]))
    directory = PartyDirectory(engine, tables["party_directory"], expected={A, B})
    directory.follow(sessions)
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    yield uow, directory, engine, tables, statements
    engine.dispose()


def party_event(party: str, status: str, since: str = "") -> InboundEvent:
    etype = {"active": ev.PARTY_REGISTERED, "excluded": ev.PARTY_EXCLUDED}[status]
    data = {"party_id": party, "name": "p", "kind": "other", "status": status}
    if since:
        data["status_since"] = since
    return InboundEvent(
        id=f"{party}-{status}", type=etype, source="/g", time=None, subject=None, data=data
    )


def apply(uow, party: str, status: str, *, commit: bool = True, since: str = "") -> None:
    with uow() as u:
        on_party_event(u, party_event(party, status, since))
        if commit:
            u.commit()


def test_party_status_follows_committed_events_without_a_query_per_call(projection):
    uow, directory, _engine, _tables, statements = projection
    assert directory.status(A) == "unknown"  # loaded once (one query)
    apply(uow, A, "active")
    before = len(statements)
    assert [directory.status(A) for _ in range(100)] == ["active"] * 100
    apply(uow, A, "excluded")
    after = len(statements)
    assert directory.status(A) == "excluded"
    assert len(statements) == after  # no query to answer a status
    assert after > before  # (the event itself was written to the table)


def test_a_rolled_back_party_event_changes_nothing(projection):
    uow, directory, *_ = projection
    apply(uow, A, "active")
    assert directory.status(A) == "active"
    apply(uow, A, "excluded", commit=False)
    assert directory.status(A) == "active"
    apply(uow, B, "active")  # the dropped update is not carried into a later commit
    assert directory.status(A) == "active"


def test_an_activation_that_arrives_after_a_later_exclusion_activates_nothing(projection):
    """Registered, then excluded (art. 23.2): each event says since when the status holds
    (``status_since``), but the projection applied whichever came last, so the registration
    delivered after the exclusion (a re-sent batch, a key moved to another partition) made the
    excluded party active again in the service. A later re-admission still counts."""
    uow, directory, *_ = projection
    apply(uow, A, "active", since="2026-01-01T00:00:00+00:00")
    apply(uow, A, "excluded", since="2026-06-01T00:00:00+00:00")
    apply(uow, A, "active", since="2026-01-01T00:00:00+00:00")  # delivered late
    assert directory.status(A) == "excluded"
    directory.reload()
    assert directory.status(A) == "excluded"
    apply(uow, A, "active", since="2026-09-01T00:00:00+00:00")  # admitted again, later
    assert directory.status(A) == "active"


def test_ready_only_when_every_seeded_party_is_known(projection):
    uow, directory, *_ = projection
    assert not directory.known()
    apply(uow, A, "active")
    assert not directory.known() and directory.missing() == {B}
    apply(uow, B, "excluded")  # excluded is a known status too
    assert directory.known()


def test_a_replica_that_did_not_apply_an_event_converges_on_reload(projection):
    uow, directory, engine, tables, _ = projection
    replica = PartyDirectory(engine, tables["party_directory"], expected={A})
    assert replica.status(A) == "unknown"
    apply(uow, A, "active")  # applied by the other replica's consumer
    assert directory.status(A) == "active"
    assert replica.known()  # the readiness check re-reads the table
    assert replica.status(A) == "active"


def test_the_expected_parties_are_the_covenants_seed():
    from services.governance.adapters.seed import covenant_parties

    assert seeded_party_ids() == {p["party_id"] for p in covenant_parties()}
    assert len(seeded_party_ids()) == 68


# -- the policy engine and the consumer ---------------------------------------------------------
class Engine:
    """A policy engine stand-in: answers, or fails like an OPA that is down."""

    revision = "r"

    def __init__(self, up: bool) -> None:
        self.up = up

    def decide(self, policy, input):
        if not self.up:
            raise ConnectionRefusedError("OPA down")
        return None  # any answer: the probe asks only whether one comes


class EngineWithHealth(Engine):
    def healthy(self) -> bool:
        return self.up


def monitor(**checks) -> HealthMonitor:
    always = {"database": lambda: True, "broker": lambda: True}
    return HealthMonitor({**always, **checks}, health.HealthServicer(), [])


@pytest.mark.parametrize("kind", [Engine, EngineWithHealth])
def test_a_policy_engine_that_does_not_answer_makes_the_service_not_ready(kind):
    engine = kind(up=True)
    m = monitor(policy=partial(policy_healthy, engine))
    assert m.check_now().ready
    engine.up = False
    state = m.check_now()
    assert not state.ready and state.failing == ("policy",)


def test_not_ready_until_the_consumer_has_its_partitions():
    class Consumer:
        assigned = threading.Event()

    consumer = Consumer()
    m = monitor(consumer_assigned=partial(consumer_assigned, consumer))
    assert m.check_now().failing == ("consumer_assigned",)
    consumer.assigned.set()
    assert m.check_now().ready


def test_a_change_of_the_enforced_revision_is_told_once_and_again_after_a_failure():
    from zorgtafel.kernel.metrics import Metrics

    metrics = Metrics("intake")
    revision = ["sha256:a"]
    told: list[str] = []
    failing = [True]

    def tell(r: str) -> None:
        if failing[0]:
            raise RuntimeError("database away")
        told.append(r)

    monitor = HealthMonitor({"database": lambda: True}, health.HealthServicer(), [], 60, metrics)
    monitor.report_revision(lambda: revision[0], tell)
    monitor.check_now()
    assert told == []  # the outbox could not take it: told again on the next check
    failing[0] = False
    monitor.check_now()
    monitor.check_now()
    assert told == ["sha256:a"]
    revision[0] = "unknown"  # an engine that cannot say is not a change
    monitor.check_now()
    revision[0] = "sha256:b"
    monitor.check_now()
    assert told == ["sha256:a", "sha256:b"]
    sample = metrics.registry.get_sample_value
    assert sample("zorgtafel_policy_revision_info", {"revision": "sha256:b"}) == 1
    assert sample("zorgtafel_policy_revision_info", {"revision": "sha256:a"}) is None
