"""Every Kafka client the suite makes gives up on a broker that does not answer within the
bootstrap timeout (``ZORGTAFEL_KAFKA_BOOTSTRAP_TIMEOUT_MS``), so its caller can retry.

kafka-python waits 30 s by default. With the broker down that held a service's start (its first
health check), its health checks, its stop, and the relay's reconnect after the broker came
back: the broker-outage test took 42 s, most of it inside one admin client's constructor."""

from __future__ import annotations

import threading
import time

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
