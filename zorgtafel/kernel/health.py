"""Readiness that means ready: the database answers ``SELECT 1``, the broker answers a
metadata request, and the kernel's own checks pass (``bootstrap``): every party of the
covenant's seed is known, the policy engine answers with its entrypoints compiled, the event
consumer has its partitions; services add theirs. The gRPC health service, ``/readyz`` and the
``zorgtafel_ready`` gauge all read the same monitor; nothing says SERVING by default."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from grpc_health.v1 import health, health_pb2

from zorgtafel.kernel.logging import get_logger

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from kafka import KafkaAdminClient

    from zorgtafel.kernel.metrics import Metrics

log = get_logger(__name__)


@dataclass(frozen=True)
class Readiness:
    database: bool
    broker: bool
    # Names of the service's own checks (``HealthMonitor.add_check``) that fail.
    failing: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return self.database and self.broker and not self.failing


class HealthMonitor:
    def __init__(
        self,
        checks: dict[str, Callable[[], bool]],
        servicer: health.HealthServicer,
        service_names: list[str],
        interval_s: float = 2.0,
        metrics: Metrics | None = None,
    ) -> None:
        self._checks = checks
        self._servicer = servicer
        self._names = ["", *service_names]
        self._interval = interval_s
        self._metrics = metrics
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._state = Readiness(False, False)
        self._set(False)

    @property
    def state(self) -> Readiness:
        return self._state

    def serve_names(self, service_names: tuple[str, ...] | list[str]) -> None:
        """The gRPC services whose health this monitor reports (known once they are built)."""
        self._names = ["", *service_names]
        self._set(self._state.ready)

    def add_check(self, name: str, check: Callable[[], bool]) -> None:
        """A service's own readiness condition (e.g. governance: the enforced policy revision
        is the adopted one); ready only while every check passes."""
        self._checks[name] = check

    def check_now(self) -> Readiness:
        results: dict[str, bool] = {}
        for name, check in self._checks.items():
            try:
                results[name] = bool(check())
            except Exception:  # noqa: BLE001
                results[name] = False
        state = Readiness(
            database=results.get("database", False),
            broker=results.get("broker", False),
            failing=tuple(
                sorted(n for n, ok in results.items() if n not in ("database", "broker") and not ok)
            ),
        )
        if state != self._state:
            log.info(
                "readiness_changed",
                ready=state.ready,
                database=state.database,
                broker=state.broker,
                failing=list(state.failing),
            )
        self._state = state
        self._set(state.ready)
        return state

    def _set(self, serving: bool) -> None:
        status = (
            health_pb2.HealthCheckResponse.SERVING
            if serving
            else health_pb2.HealthCheckResponse.NOT_SERVING
        )
        for name in self._names:
            self._servicer.set(name, status)
        if self._metrics is not None:
            self._metrics.ready.set(1 if serving else 0)

    def start(self) -> None:
        self.check_now()
        self._thread = threading.Thread(target=self._run, name="health-monitor", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.check_now()

    def stop(self) -> None:
        """On shutdown: report NOT_SERVING first so load balancers drain us."""
        self._stop.set()
        self._servicer.enter_graceful_shutdown()
        if self._metrics is not None:
            self._metrics.ready.set(0)


class BrokerCheck:
    """Asks the broker for cluster metadata with a short timeout, reusing one admin client."""

    def __init__(self, admin_factory: Callable[[], KafkaAdminClient]) -> None:
        self._factory = admin_factory
        self._admin: KafkaAdminClient | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bool:
        with self._lock:
            try:
                if self._admin is None:
                    self._admin = self._factory()
                self._admin.describe_cluster()
                return True
            except Exception:  # noqa: BLE001
                if self._admin is not None:
                    try:
                        self._admin.close()
                    except Exception:  # noqa: BLE001
                        pass
                self._admin = None
                return False

    def close(self) -> None:
        with self._lock:
            if self._admin is not None:
                try:
                    self._admin.close()
                except Exception:  # noqa: BLE001
                    pass
                self._admin = None
