"""Every Kafka client the suite makes gives up on a broker that does not answer within the
bootstrap timeout (``ZORGTAFEL_KAFKA_BOOTSTRAP_TIMEOUT_MS``), so its caller can retry.

kafka-python waits 30 s by default. With the broker down that held a service's start (its first
health check), its health checks, its stop, and the relay's reconnect after the broker came
back: the broker-outage test took 42 s, most of it inside one admin client's constructor."""

from __future__ import annotations

import threading
import time

import pytest

from zorgtafel.kernel import kafka
from zorgtafel.kernel.broker import free_port
from zorgtafel.testing import settings_for


def _clients(settings):
    return {
        "health check (admin)": lambda: kafka.make_admin(settings),
        "consumer": lambda: kafka.make_consumer(settings, ["zorgtafel.casework"]),
        "relay producer": lambda: kafka.make_producer(settings),
        "relay broker check": lambda: kafka.HeldRecords(settings)._connect(),
    }


def test_each_client_gives_up_on_a_silent_broker_within_its_bootstrap_timeout(tmp_path):
    nobody = f"127.0.0.1:{free_port()}"  # nothing listens there
    settings = settings_for("casework", tmp_path, nobody, kafka_bootstrap_timeout_ms=300)
    outcome: dict[str, BaseException | None] = {}

    def attempt(name, make):
        try:
            client = make()
        except Exception as exc:  # noqa: BLE001 - the failure is the expected outcome
            outcome[name] = exc
        else:  # pragma: no cover - a broker answered where none listens
            client.close()
            outcome[name] = None

    threads = [
        threading.Thread(target=attempt, args=item, daemon=True)
        for item in _clients(settings).items()
    ]
    for t in threads:
        t.start()
    # A bound, not a measurement: 0.3 s asked, 30 s is the library's default; a loaded machine
    # fits easily in between.
    deadline = time.monotonic() + 20
    for t in threads:
        t.join(timeout=max(0.0, deadline - time.monotonic()))
    waiting = sorted(name for name in _clients(settings) if name not in outcome)
    assert not waiting, f"still waiting for a broker after 20 s: {waiting}"
    assert all(isinstance(exc, Exception) for exc in outcome.values()), outcome


def test_the_bootstrap_timeout_is_a_setting_with_a_floor(tmp_path):
    default = settings_for("casework", tmp_path, "127.0.0.1:1")
    assert kafka._bootstrap_timeout_ms(default) == 3000
    tuned = settings_for("casework", tmp_path, "127.0.0.1:1", kafka_bootstrap_timeout_ms=8000)
    assert kafka._bootstrap_timeout_ms(tuned) == 8000
    tiny = settings_for("casework", tmp_path, "127.0.0.1:1", kafka_bootstrap_timeout_ms=0)
    assert kafka._bootstrap_timeout_ms(tiny) == 100


def _io_threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("kafka-io-")}


def test_a_client_that_gives_up_leaves_no_thread_behind(tmp_path):
    """kafka-python 3.0 starts an admin client's and a consumer's IO thread before it
    bootstraps, and a failed bootstrap left that thread reconnecting for ever: one more per
    health check and broker check for as long as the broker was down (``kafka.built``)."""
    nobody = f"127.0.0.1:{free_port()}"
    settings = settings_for("casework", tmp_path, nobody, kafka_bootstrap_timeout_ms=200)
    before = _io_threads()
    for name, make in _clients(settings).items():
        for _ in range(2):  # two health checks, two broker checks... during the outage
            try:
                make().close()
            except Exception:  # noqa: BLE001 - the failure is the expected outcome
                pass
        assert _io_threads() == before, f"{name} left its IO thread running"
    check = kafka.HeldRecords(settings)
    try:
        check([("zorgtafel.casework", 0, 0, "event-1")])
    except Exception:  # noqa: BLE001 - no broker: no verdict, asked again next time
        pass
    assert _io_threads() == before


def test_after_the_stop_no_check_makes_a_client_again(tmp_path):
    """A health check or broker check still running when the service stops must not make a
    client after the close (it would run on, unowned)."""
    from zorgtafel.kernel.health import BrokerCheck

    made = []
    health = BrokerCheck(lambda: made.append(1))
    health.close()
    assert health() is False and made == []

    nobody = f"127.0.0.1:{free_port()}"
    check = kafka.HeldRecords(settings_for("casework", tmp_path, nobody))
    check.close()
    before = _io_threads()
    try:
        check([("zorgtafel.casework", 0, 0, "event-1")])
    except RuntimeError as exc:
        assert "closed" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a closed broker check answered")
    assert _io_threads() == before


class _Admin:
    """Stands in for kafka-python's admin client: answers or fails, and counts its closes."""

    def __init__(self, answers: bool) -> None:
        self.answers = answers
        self.closed = 0

    def describe_cluster(self) -> None:
        if not self.answers:
            raise ConnectionError("no broker")

    def close(self) -> None:
        self.closed += 1
        raise OSError("already gone")  # a close that fails still lets the client go


def test_a_broker_check_closes_a_failed_client_and_makes_a_new_one_next_time():
    from zorgtafel.kernel.health import BrokerCheck

    made: list[_Admin] = []

    def factory() -> _Admin:
        made.append(_Admin(answers=len(made) > 0))
        return made[-1]

    health = BrokerCheck(factory)
    assert health() is False  # the first client fails: closed and dropped
    assert [a.closed for a in made] == [1]
    assert health() is True and health() is True  # a new one, then kept
    assert [a.closed for a in made] == [1, 0]
    health.close()
    assert [a.closed for a in made] == [1, 1] and health() is False and len(made) == 2


@pytest.mark.integration  # a real broker, killed under the producer
def test_a_producer_closed_with_records_the_broker_will_not_take_leaves_no_thread(tmp_path):
    """kafka-python's close flushes first and raises, its sender still running, when the broker
    is gone with records pending: the relay's stop during an outage left that thread behind."""
    from zorgtafel.kernel.broker import LocalBroker

    broker = LocalBroker(free_port(), log_file=tmp_path / "broker.log").start()
    try:
        producer = kafka.make_producer(settings_for("casework", tmp_path, broker.bootstrap))
        producer.send("zorgtafel.casework", value=b"before").get(timeout=30)
    finally:
        broker.stop()
    producer.send("zorgtafel.casework", value=b"pending")  # the broker is gone
    kafka.close_producer(producer, timeout=0.5)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
        t.name.endswith("-network-thread") for t in threading.enumerate()
    ):
        time.sleep(0.05)
    assert not [t.name for t in threading.enumerate() if t.name.endswith("-network-thread")]
