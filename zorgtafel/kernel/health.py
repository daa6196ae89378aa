"""Readiness that means ready: the database answers ``SELECT 1``, the broker answers a
metadata request, and the kernel's own checks pass (``bootstrap``): every party of the
covenant's seed is known, the policy engine answers with its entrypoints compiled, the event
consumer has its partitions and no fact that takes access away waits unapplied (ADR 0012:
``revocations_applied``); services add theirs. The gRPC health service, ``/readyz`` and the
``zorgtafel_ready`` gauge all read the same monitor; nothing says SERVING by default. Each check
also records the policy revision the service enforces (``/readyz``: ``policy_revision``), so an
adoption can be seen reaching every service."""

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
    # The policy revision the service enforces (its engine's, asked on every check): an
    # adoption is visible on every service's /readyz without a restart.
    policy_revision: str = ""

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
        self._revision: Callable[[], str] | None = None
        # Told once per change of the enforced revision (the kernel publishes it, so governance
        # lists which service runs which revision); retried on the next check when it fails.
        self._on_revision: Callable[[str], None] | None = None
        self._announced = ""
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

    def report_revision(
        self, revision: Callable[[], str], on_change: Callable[[str], None] | None = None
    ) -> None:
        """Where the enforced policy revision comes from (the policy gate), and who is told
        when it changes."""
        self._revision = revision
        self._on_revision = on_change

    def _announce(self, revision: str) -> None:
        if not revision or revision == "unknown" or revision == self._announced:
            return
        if self._metrics is not None:
            self._metrics.policy_revision.clear()
            self._metrics.policy_revision.labels(revision=revision).set(1)
        if self._on_revision is not None:
            try:
                self._on_revision(revision)
            except Exception as exc:  # noqa: BLE001 - told again on the next check
                log.warning("revision_announce_failed", error=type(exc).__name__)
                return
        self._announced = revision

    def _enforced_revision(self) -> str:
        try:
            return str(self._revision()) if self._revision is not None else ""
        except Exception:  # noqa: BLE001 - an engine that cannot say: unknown
            return "unknown"

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
            policy_revision=self._enforced_revision(),
        )
        if state != self._state:
            log.info(
                "readiness_changed",
                ready=state.ready,
                database=state.database,
                broker=state.broker,
                failing=list(state.failing),
                policy_revision=state.policy_revision,
            )
        self._state = state
        self._set(state.ready)
        self._announce(state.policy_revision)
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
    """Asks the broker for cluster metadata with a short timeout, reusing one admin client.
    Once closed it makes no client again (a check still running at stop answers False)."""

    def __init__(self, admin_factory: Callable[[], KafkaAdminClient]) -> None:
        self._factory = admin_factory
        self._admin: KafkaAdminClient | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self) -> bool:
        with self._lock:
            if self._closed:
                return False
            try:
                if self._admin is None:
                    self._admin = self._factory()
                self._admin.describe_cluster()
                return True
            except Exception:  # noqa: BLE001
                self._drop_admin()
                return False

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop_admin()

    def _drop_admin(self) -> None:
        """Close the admin client, if there is one, and forget it (held under the lock); one
        whose close fails is forgotten all the same."""
        if self._admin is not None:
            try:
                self._admin.close()
            except Exception:  # noqa: BLE001
                pass
        self._admin = None
