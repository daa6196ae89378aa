"""The ops HTTP endpoint of every service: ``/healthz`` (the process is alive), ``/readyz``
(database and broker reachable, every seeded party known, policy engine and event consumer
ready: ``failing`` names what is not; ``policy_revision`` the revision enforced), ``/metrics``
(Prometheus, by prometheus_client's own WSGI app: content negotiation and gzip). Services add
their own GET routes (governance serves policy bundles) through ``extra_routes``.

Served by the standard library's WSGI server (``wsgiref``, which prometheus_client loads anyway)
with a thread per request, at most 32 at once, a silent client dropped after 5 s: a probe answer
needs no web framework, and Flask with Werkzeug, Jinja and Click cost every service 8.7-9 MB of
its 150 MB (issue #16, ADR 0010). Only GET and HEAD exist here; an error in a handler answers 500
with no detail (the log names the error type only).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import structlog
from prometheus_client import make_wsgi_app

from zorgtafel.kernel.health import HealthMonitor

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.metrics import Metrics

log = structlog.get_logger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class OpsRequest:
    """What a route sees of a GET: its path and headers (names in lower case)."""

    path: str
    headers: Mapping[str, str]

    def etag_matches(self, etag: str) -> bool:
        """Whether ``If-None-Match`` names ``etag`` (a quoted entity tag): the weak comparison
        RFC 9110 (13.1.2) prescribes for it, ``*`` matching any."""
        header = self.headers.get("if-none-match", "")
        if not header:
            return False
        candidates = [t.strip() for t in header.split(",")]
        return "*" in candidates or etag.removeprefix("W/") in (
            t.removeprefix("W/") for t in candidates
        )


@dataclass(frozen=True)
class OpsResponse:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, value: Any, status: int = 200) -> OpsResponse:
        return cls(json.dumps(value).encode(), status, "application/json")


Route = Callable[[OpsRequest], OpsResponse]


def _status_line(status: int) -> str:
    return f"{status} {HTTPStatus(status).phrase}"


class OpsApp:
    """A WSGI app of GET routes by exact path (``/metrics`` by prometheus_client's app)."""

    def __init__(self, routes: Mapping[str, Route], metrics_app: WsgiApp):
        self.routes = dict(routes)
        self._metrics_app = metrics_app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/")
        route = self.routes.get(path)
        if route is None and path != "/metrics":
            response = OpsResponse(b"not found\n", 404)
        elif method not in ("GET", "HEAD"):
            response = OpsResponse(b"method not allowed\n", 405, headers=(("Allow", "GET, HEAD"),))
        elif route is None:
            return self._metrics_app(environ, start_response)
        else:
            response = self._call(route, path, environ)
        headers = [("Content-Type", response.content_type), *response.headers]
        headers.append(("Content-Length", str(len(response.body))))
        start_response(_status_line(response.status), headers)
        # A HEAD answers the headers of the GET, without its body.
        return [b""] if method == "HEAD" or response.status == 304 else [response.body]

    @staticmethod
    def _call(route: Route, path: str, environ: Mapping[str, Any]) -> OpsResponse:
        headers = {
            key[5:].replace("_", "-").lower(): str(value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        try:
            return route(OpsRequest(path, headers))
        except Exception as exc:  # noqa: BLE001 - answered 500; a probe must not kill the server
            log.error("ops_route_failed", path=path, error_type=type(exc).__name__)
            return OpsResponse(b"internal error\n", 500)


def create_ops_app(
    service: str,
    monitor: HealthMonitor,
    metrics: Metrics,
    extra_routes: Mapping[str, Route] | None = None,
) -> OpsApp:
    def healthz(_request: OpsRequest) -> OpsResponse:
        return OpsResponse.json({"status": "alive", "service": service})

    def readyz(_request: OpsRequest) -> OpsResponse:
        state = monitor.state
        body = {
            "service": service,
            "ready": state.ready,
            "database": state.database,
            "broker": state.broker,
            "failing": list(state.failing),
            "policy_revision": state.policy_revision,
        }
        return OpsResponse.json(body, 200 if state.ready else 503)

    clash = {"/healthz", "/readyz", "/metrics"} & set(extra_routes or {})
    if clash:
        raise ValueError(f"a service cannot replace the kernel's ops routes: {sorted(clash)}")
    routes: dict[str, Route] = {"/healthz": healthz, "/readyz": readyz, **(extra_routes or {})}
    return OpsApp(routes, make_wsgi_app(metrics.registry))


class _QuietHandler(WSGIRequestHandler):
    """No access line per probe on stderr (the kubelet asks every few seconds)."""

    # A client that connects and then says nothing (or too slowly) is dropped after this many
    # seconds of silence; probes and Prometheus ask at once. Without it such a connection held
    # its thread for as long as the client liked.
    timeout = 5.0

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        pass


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    # Daemon threads, not kept in a list to be joined: a slow client never blocks shutdown.
    daemon_threads = True
    # At most this many connections are served at once; one more is closed unanswered instead
    # of costing a thread (a flood of connections cannot exhaust the pod's threads or memory).
    max_in_flight = 32

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._slots = threading.BoundedSemaphore(self.max_in_flight)
        super().__init__(*args, **kwargs)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()  # no thread took the slot
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


class _ThreadingServer6(_ThreadingServer):
    address_family = socket.AF_INET6


def _server_class(host: str) -> type[_ThreadingServer]:
    """IPv6 when the host is an IPv6 address (``::`` in a dual-stack pod), as Werkzeug decides;
    a name (``localhost``) binds IPv4, where the probes and the launcher look."""
    return _ThreadingServer6 if ":" in host else _ThreadingServer


class OpsServer:
    def __init__(self, app: OpsApp, host: str, port: int) -> None:
        self.app = app
        self._server = make_server(
            host, port, app, server_class=_server_class(host), handler_class=_QuietHandler
        )
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="ops-http", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
