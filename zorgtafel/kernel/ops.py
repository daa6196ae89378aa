"""The Flask ops app of every service: ``/healthz`` (the process is alive), ``/readyz``
(database and broker reachable, every seeded party known, policy engine and event consumer
ready: ``failing`` names what is not; ``policy_revision`` the revision enforced), ``/metrics``
(Prometheus). Services add their own routes (governance serves policy bundles) through
``extra_routes``."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable

from flask import Flask, Response, jsonify
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from werkzeug.serving import make_server

from zorgtafel.kernel.health import HealthMonitor

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.metrics import Metrics


def create_ops_app(
    service: str,
    monitor: HealthMonitor,
    metrics: Metrics,
    extra_routes: Callable[[Flask], None] | None = None,
) -> Flask:
    app = Flask(f"zorgtafel-{service}-ops")

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="alive", service=service)

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        state = monitor.state
        body = {
            "service": service,
            "ready": state.ready,
            "database": state.database,
            "broker": state.broker,
            "failing": list(state.failing),
            "policy_revision": state.policy_revision,
        }
        return jsonify(body), (200 if state.ready else 503)

    @app.get("/metrics")
    def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), mimetype=CONTENT_TYPE_LATEST)

    if extra_routes is not None:
        extra_routes(app)
    return app


class OpsServer:
    def __init__(self, app: Flask, host: str, port: int) -> None:
        self._server = make_server(host, port, app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.1,), name="ops-http", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
