"""A running service: its parts, started and stopped in order (built by ``bootstrap``)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import grpc
from opentelemetry.sdk.trace import TracerProvider
from sqlalchemy.engine import Engine

from zorgtafel.kernel import gil
from zorgtafel.kernel.accesslog.service import ServiceAccessLog
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.crypto import KeyRing
from zorgtafel.kernel.health import BrokerCheck, HealthMonitor
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.ops import OpsServer
from zorgtafel.kernel.outbox import OutboxRelay
from zorgtafel.kernel.parties import PartyDirectory
from zorgtafel.kernel.scheduler import RetentionScheduler
from zorgtafel.kernel.service import Periodic, ServiceDefinition
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.policy.engine import PolicyEngine

log = get_logger(__name__)


@dataclass
class App:
    """A running service: its parts, started and stopped in order. Tests and the launcher read
    its public attributes (ports, unit-of-work factory, relay); services never see it."""

    settings: Settings
    definition: ServiceDefinition
    engine: Engine
    uow_factory: Callable[[], UnitOfWork]
    policy: PolicyEngine
    keyring: KeyRing | None
    metrics: Metrics
    relay: OutboxRelay
    consumer: EventConsumer | None
    monitor: HealthMonitor
    server: grpc.Server
    grpc_workers: ThreadPoolExecutor  # the server's call threads
    grpc_port: int
    ops: OpsServer
    grpc_service_names: tuple[str, ...]
    tracer_provider: TracerProvider
    broker_check: BrokerCheck
    tasks: tuple[Periodic, ...] = ()
    owns_policy: bool = False
    # The kernel's party projection in memory (None in governance, which reads its own table).
    parties: PartyDirectory | None = None
    access_log: ServiceAccessLog | None = None
    # Purges what the retention periods say is due (None: the service declares nothing).
    retention: RetentionScheduler | None = None
    stopped: threading.Event = field(default_factory=threading.Event)  # the stop has begun
    _stopped_fully: threading.Event = field(default_factory=threading.Event)  # ... and ended
    _threads: list[threading.Thread] = field(default_factory=list)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "App":
        gil.apply(self.settings)
        self.monitor.start()
        self.relay.start()
        if self.consumer is not None:
            self.consumer.start()
        for task in self.tasks:
            thread = threading.Thread(
                target=_run_periodic,
                args=(task, self.stopped),
                name=f"{self.settings.service}-{task.name}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        if self.retention is not None:
            self.retention.start(self.stopped)  # its first tick one interval later
        self.server.start()
        self.ops.start()
        log.info(
            "service_started",
            service=self.settings.service,
            grpc_port=self.grpc_port,
            http_port=self.ops.port,
            policy_revision=self.policy.revision,
            # embedded: regopy or regorus (ADR 0011); the OPA client has none
            policy_evaluator=getattr(self.policy, "evaluator", "opa"),
        )
        return self

    def stop(self, grace: float | None = None) -> None:
        """Graceful: report NOT_SERVING, drain in-flight calls, then stop the workers."""
        if self.stopped.is_set():
            return
        self.stopped.set()
        try:
            self._stop(self.settings.shutdown_grace_s if grace is None else grace)
        finally:
            self._stopped_fully.set()

    def _stop(self, grace: float) -> None:
        self.monitor.stop()
        self.server.stop(grace).wait(grace + 1)
        self.grpc_workers.shutdown(wait=False)  # idle after the drain; a stuck call ends alone
        for thread in self._threads:
            thread.join(timeout=grace + 1)
        if self.retention is not None:
            self.retention.join(timeout=grace + 1)
        if self.consumer is not None:
            self.consumer.stop()
        if self.access_log is not None:
            self.access_log.close()  # after the server: no call is left waiting on it
        self.relay.stop()
        self.ops.stop()
        self.broker_check.close()
        self.engine.dispose()
        self.tracer_provider.shutdown()
        if self.owns_policy and hasattr(self.policy, "close"):
            self.policy.close()
        log.info("service_stopped", service=self.settings.service)

    def wait(self) -> None:
        """Until the service has stopped, all of it: a signal starts the stop on a thread of
        its own, and the process (``zorgtafel serve``) ends when this returns, so returning at
        the stop's start cut the drain and the workers' stop short."""
        self._stopped_fully.wait()

    def install_signal_handlers(self) -> None:
        def handle(signum: int, _frame: object) -> None:
            log.info("signal_received", signal=signal.Signals(signum).name)
            threading.Thread(target=self.stop, daemon=True).start()

        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


def _run_periodic(task: Periodic, stopped: threading.Event) -> None:
    while not stopped.wait(task.interval_s):
        try:
            task.run()
        except Exception as exc:  # noqa: BLE001 - retried on the next tick
            log.warning("periodic_task_failed", task=task.name, error_type=type(exc).__name__)
