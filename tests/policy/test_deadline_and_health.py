"""A real deadline on OPA decisions (the whole exchange), and health for readiness."""

from __future__ import annotations

import socket
import threading

import cases
import pytest

from zorgtafel.policy.embedded import EmbeddedEngine
from zorgtafel.policy.errors import PolicyUnavailable
from zorgtafel.policy.opa import OpaEngine

ALLOWED = cases.authz("/zorgtafel.intake.v1.IntakeService/Assess", "process_director")

_ALLOW_BODY = b'{"result": {"allow": true, "reasons": ["trickled"], "obligations": []}}'
_ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
    + str(len(_ALLOW_BODY)).encode()
    + b"\r\n\r\n"
    + _ALLOW_BODY
)


class TricklingServer:
    """Answers every request with an allow, one byte every ``interval`` seconds.

    Each byte arrives well within a per-read timeout, so only a deadline on the whole exchange
    stops the client from waiting ~40 s and then obeying the (late) allow.
    """

    def __init__(self, interval: float = 0.3):
        self.interval = interval
        self.stop = threading.Event()
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)
            for byte in _ANSWER:
                if self.stop.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:  # the client gave up: that is the point
                    return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture()
def trickling():
    server = TricklingServer()
    yield server
    server.close()


def test_a_trickling_opa_is_unavailable_not_obeyed(trickling):
    engine = OpaEngine(trickling.url, timeout_s=0.5)
    with pytest.raises(PolicyUnavailable, match="within 0.5s"):
        engine.decide("zorgtafel.authz", ALLOWED)
    assert engine.decide_fail_closed("zorgtafel.authz", ALLOWED).allow is False


def test_opa_healthy_follows_its_health_endpoint(opa_double):
    engine = OpaEngine(opa_double.url, timeout_s=5.0, health_ttl_s=0)  # its answers, not its speed
    assert engine.healthy() is True
    opa_double.mode = "error"
    try:
        assert engine.healthy() is False
    finally:
        opa_double.mode = "ok"
    assert engine.healthy() is True
    engine.close()
    assert engine.healthy() is False


def test_a_dead_or_trickling_opa_is_not_healthy(trickling):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    assert OpaEngine(dead, timeout_s=0.2).healthy() is False
    assert OpaEngine(trickling.url, timeout_s=0.2).healthy() is False


def test_embedded_is_healthy_once_every_entrypoint_compiled_until_closed(policy_dir):
    engine = EmbeddedEngine(policy_dir, timeout_s=5.0)
    compiled = {q for slots in engine._slots.values() for q in slots.queue[0].bundles}
    assert compiled == {e.query for e in engine.entrypoints}
    assert {e.package for e in engine.entrypoints} >= {
        "zorgtafel.authz",
        "zorgtafel.disclosure",
        "zorgtafel.casework.view",
        "zorgtafel.intake.criteria",
    }
    assert engine.healthy() is True
    engine.close()
    assert engine.healthy() is False
