"""The ops HTTP endpoint every service serves (kernel/ops.py), over a real socket: what the
kubelet's probes, Prometheus and an OPA sidecar get, and what anyone else gets."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from grpc_health.v1 import health

from zorgtafel.kernel import ops as ops_module
from zorgtafel.kernel.health import HealthMonitor
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.ops import OpsRequest, OpsResponse, OpsServer, _server_class, create_ops_app


def _get(url: str, method: str = "GET", headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as r:  # noqa: S310 - loopback
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Checks:
    def __init__(self) -> None:
        self.database = True

    def monitor(self) -> HealthMonitor:
        return HealthMonitor(
            {"database": lambda: self.database, "broker": lambda: True},
            health.HealthServicer(),
            [],
        )


def _bundle(request: OpsRequest) -> OpsResponse:
    etag = '"sha256:abc"'
    if request.etag_matches(etag):
        return OpsResponse(status=304, headers=(("ETag", etag),))
    return OpsResponse(b"bundle", 200, "application/gzip", (("ETag", etag),))


def _broken(_request: OpsRequest) -> OpsResponse:
    raise RuntimeError("Zoë de Vries, born 1990")  # personal data that must not leave


@pytest.fixture
def ops() -> Iterator[tuple[str, Checks, HealthMonitor, Metrics]]:
    checks = Checks()
    monitor = checks.monitor()
    metrics = Metrics("intake")
    app = create_ops_app(
        "intake", monitor, metrics, {"/bundles/b.tar.gz": _bundle, "/broken": _broken}
    )
    server = OpsServer(app, "127.0.0.1", 0)
    server.start()
    try:
        yield f"http://127.0.0.1:{server.port}", checks, monitor, metrics
    finally:
        server.stop()


def test_healthz_says_the_process_is_alive(ops):
    base, *_ = ops
    status, headers, body = _get(f"{base}/healthz")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "alive", "service": "intake"}


def test_readyz_follows_the_monitor_and_names_what_fails(ops):
    base, checks, monitor, _ = ops
    status, _, body = _get(f"{base}/readyz")
    assert status == 503 and json.loads(body)["ready"] is False  # nothing checked yet
    monitor.check_now()
    status, _, body = _get(f"{base}/readyz")
    assert status == 200 and json.loads(body)["ready"] is True
    checks.database = False
    monitor.check_now()
    status, _, body = _get(f"{base}/readyz")
    assert status == 503 and json.loads(body)["database"] is False


def test_metrics_are_the_service_s_registry_in_prometheus_text(ops):
    base, _, _, metrics = ops
    metrics.rpc_total.labels(method="Nominate", code="OK").inc()
    status, headers, body = _get(f"{base}/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert b'zorgtafel_rpcs_total{code="OK",method="Nominate"} 1.0' in body


def test_a_service_route_answers_with_its_etag_and_304_for_a_matching_if_none_match(ops):
    base, *_ = ops
    url = f"{base}/bundles/b.tar.gz"
    status, headers, body = _get(url)
    assert (status, headers["ETag"], body) == (200, '"sha256:abc"', b"bundle")
    for header in ('"sha256:abc"', 'W/"sha256:abc"', '"other", "sha256:abc"', "*"):
        status, _, body = _get(url, headers={"If-None-Match": header})
        assert (status, body) == (304, b""), header
    status, _, body = _get(url, headers={"If-None-Match": '"sha256:abd", "abc"'})
    assert (status, body) == (200, b"bundle")


def test_head_answers_the_headers_of_the_get_without_a_body(ops):
    base, *_ = ops
    status, headers, body = _get(f"{base}/bundles/b.tar.gz", method="HEAD")
    assert status == 200 and headers["Content-Length"] == "6" and body == b""


def test_an_unknown_path_is_404_and_another_method_405(ops):
    base, *_ = ops
    assert _get(f"{base}/admin")[0] == 404
    assert _get(f"{base}/readyz/../healthz")[0] == 404
    for path in ("/readyz", "/metrics", "/bundles/b.tar.gz"):
        status, headers, _ = _get(f"{base}{path}", method="POST")
        assert status == 405 and headers["Allow"] == "GET, HEAD", path


def test_a_failing_route_answers_500_without_its_error_and_the_server_keeps_serving(ops, capsys):
    base, *_ = ops
    status, _, body = _get(f"{base}/broken")
    assert status == 500 and body == b"internal error\n"
    assert "Zoë" not in capsys.readouterr().err
    assert _get(f"{base}/healthz")[0] == 200


def test_a_service_cannot_replace_a_kernel_route():
    monitor = Checks().monitor()
    with pytest.raises(ValueError, match="/readyz"):
        create_ops_app("intake", monitor, Metrics("intake"), {"/readyz": _bundle})


def test_an_ipv6_address_binds_ipv6_and_a_name_binds_ipv4():
    assert _server_class("::").address_family == socket.AF_INET6
    assert _server_class("0.0.0.0").address_family == socket.AF_INET
    assert _server_class("localhost").address_family == socket.AF_INET


def _silent_connection(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=20)


def test_a_client_that_says_nothing_is_dropped_and_costs_no_thread_for_long(monkeypatch, ops):
    assert 0 < (ops_module._QuietHandler.timeout or 0) <= 10  # what a service runs with
    monkeypatch.setattr(ops_module._QuietHandler, "timeout", 0.3)
    base, *_ = ops
    conn = _silent_connection(base)
    try:
        # The server closes it (a bound of 20 s, not a measurement: 0.3 s is asked).
        assert conn.recv(1024) == b""
    finally:
        conn.close()
    assert _get(f"{base}/healthz")[0] == 200


def test_connections_beyond_the_limit_are_closed_unanswered_and_serving_resumes(monkeypatch):
    monkeypatch.setattr(ops_module._ThreadingServer, "max_in_flight", 2)
    # Longer than any busy machine takes to accept the third connection: were a holder dropped
    # for its silence first, the third would be served (the timeout itself is tested above).
    monkeypatch.setattr(ops_module._QuietHandler, "timeout", 60.0)
    app = create_ops_app("intake", Checks().monitor(), Metrics("intake"))
    server = OpsServer(app, "127.0.0.1", 0)
    server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        holding = [_silent_connection(base) for _ in range(2)]
        # Both slots are taken once the server has accepted both: a third is closed unanswered.
        deadline = time.monotonic() + 20
        while server._server._slots._value and time.monotonic() < deadline:
            time.sleep(0.02)
        extra = _silent_connection(base)
        extra.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
        assert extra.recv(1024) == b""
        extra.close()
        for conn in holding:  # the holders leave: their slots are free again
            conn.close()
        while server._server._slots._value < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _get(f"{base}/healthz")[0] == 200
    finally:
        server.stop()
