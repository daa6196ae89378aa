"""A stopped service leaves no thread of its own behind: its gRPC call threads, its broker
clients' IO threads, its relay, consumer and monitor. An in-process restart (the tests, the
launcher) would otherwise pile them up, and a broker client left running reconnects for ever
(its random backoff even reached Hypothesis's draws in later tests)."""

from __future__ import annotations

import threading

import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from zorgtafel.testing import channel, running_service, wait_for

pytestmark = pytest.mark.integration


def _threads() -> set[str]:
    # Not the shared policy engine's evaluation threads: the tests' engine is one per process
    # (``shared_policy_engine``), started by whichever test asks first, and a service given an
    # engine does not own it.
    return {t.name for t in threading.enumerate() if not t.name.startswith("rego")}


def _none_left_but(before: set[str], timeout: float = 10.0) -> None:
    """No thread beyond ``before`` is left once ``timeout`` has passed (named if one is)."""
    try:
        wait_for(lambda: not (_threads() - before), timeout=timeout)
    except AssertionError:
        raise AssertionError(f"threads left behind: {sorted(_threads() - before)}") from None


def test_a_stopped_service_leaves_no_thread_of_its_own(broker, data_dir):
    before = _threads()
    with running_service("governance", data_dir, broker.bootstrap) as gov:
        # Its broker clients are made (not readiness: the consumer group may still be
        # rebalancing with another test's service on the session broker).
        wait_for(lambda: gov.monitor.state.broker, timeout=60)
        with channel(gov) as ch:
            stub = health_pb2_grpc.HealthStub(ch)
            for _ in range(4):  # calls run on the server's worker threads
                stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10)
        running = _threads() - before
        assert any(n.startswith("governance-grpc") for n in running), running
        assert any(n.startswith("kafka-io-zorgtafel-governance") for n in running), running
    # Stopping joins what it can; the call threads end as soon as they see the pool shut down.
    _none_left_but(before)


def test_a_service_stopped_while_the_broker_is_down_leaves_no_broker_client(
    tmp_path_factory, data_dir
):
    from zorgtafel.kernel.broker import LocalBroker, free_port

    b = LocalBroker(free_port(), log_file=tmp_path_factory.mktemp("down") / "b.log").start()
    before = _threads()
    try:
        with running_service("governance", data_dir, b.bootstrap) as gov:
            wait_for(lambda: gov.monitor.state.broker, timeout=60)
            b.kill()
            # Health checks and broker checks keep failing while it is down (each one a new
            # client that gives up): none of them may outlive the stop.
            wait_for(lambda: not gov.monitor.state.broker, timeout=30)
            gov.monitor.check_now()
    finally:
        b.stop()
    _none_left_but(before)
    assert not [n for n in _threads() if n.startswith("kafka-io-")], _threads()


def test_waiting_for_a_service_returns_only_once_its_stop_has_ended(broker, data_dir):
    """``zorgtafel serve`` ends when ``App.wait`` returns, and a signal stops the service on a
    thread of its own: returning when the stop began cut its drain and its workers' stop."""
    with running_service("governance", data_dir, broker.bootstrap) as gov:
        wait_for(lambda: gov.monitor.state.broker, timeout=60)
        stopping = threading.Thread(target=gov.stop, kwargs={"grace": 0.5}, daemon=True)
        stopping.start()
        gov.wait()
        # What the stop does late is done: the relay and the call threads have stopped.
        assert gov.stopped.is_set()
        left = _threads()
        assert "outbox-relay" not in left and not any(
            n.startswith("governance-grpc") for n in left
        ), left
