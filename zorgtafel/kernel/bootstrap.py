"""The composition root: ``bootstrap(settings, definition)`` builds every part of a service
(database, unit of work, policy engine, authentication, gRPC server with health, reflection
and interceptors, outbox relay, idempotent consumer, ops app) and returns an ``App`` that
starts and stops them in order. Nothing here runs at import time."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from sqlalchemy.engine import Engine

from zorgtafel.contracts.enforcement import PolicyRevisionEnforced
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc
from zorgtafel.kernel import db, gil, kafka
from zorgtafel.kernel.accesslog import prune
from zorgtafel.kernel.accesslog import servicer as accesslog_servicer
from zorgtafel.kernel.accesslog.listing import POLICY as ACCESS_LOG_POLICY
from zorgtafel.kernel.accesslog.service import ServiceAccessLog
from zorgtafel.kernel.app import App
from zorgtafel.kernel.auth import Authenticator, RelayTrust, TokenVerifier
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer, Handler
from zorgtafel.kernel.crypto import KeyRing
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.health import BrokerCheck, HealthMonitor
from zorgtafel.kernel.interceptors import ZorgtafelInterceptor
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.ops import OpsServer, create_ops_app
from zorgtafel.kernel.outbox import OutboxRelay
from zorgtafel.kernel.parties import DEFAULT_SEED_PARTIES_FILE, PartyDirectory, seeded_party_ids
from zorgtafel.kernel.purge import purged_requests_task
from zorgtafel.kernel.refusals import RefusalBudget
from zorgtafel.kernel.retention import interval_s, parse_overrides
from zorgtafel.kernel.roster import NoRoster, Roster
from zorgtafel.kernel.scheduler import LeaderLock, RetentionScheduler, RetentionTask
from zorgtafel.kernel.schema import party_status_consumption
from zorgtafel.kernel.service import GrpcService, Platform, ServiceDefinition, ServiceParts
from zorgtafel.kernel.streams import StreamSlots
from zorgtafel.kernel.subjectdata import servicer as subjectdata_servicer
from zorgtafel.kernel.tracing import instrument_sqlalchemy, make_tracer_provider
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.policy.engine import PolicyEngine

log = get_logger(__name__)

# The policy packages the kernel asks in every service: the authorisation of each call
# (interceptors), the retention periods (retention), the subject data export and who reads the
# access log (each service serves both). A service adds its own (``policies``); none of a
# service's own packages is asked here (``zorgtafel.disclosure.control`` alone was 4.9 MB of
# every service's memory while the kernel asked only its access-log rule: issue #16).
KERNEL_POLICIES = frozenset(
    {
        "zorgtafel.authz",
        "zorgtafel.retention",
        "zorgtafel.subjectdata.export",
        ACCESS_LOG_POLICY,
    }
)


def compiled_policies(definition: ServiceDefinition) -> frozenset[str]:
    """The packages a service compiles at start: the kernel's, with the access log's as the
    service names it (``ServiceDefinition.access_log_policy``), and its own."""
    kernel = (KERNEL_POLICIES - {ACCESS_LOG_POLICY}) | {definition.access_log_policy}
    return kernel | definition.policies


def _server_credentials(settings: Settings) -> grpc.ServerCredentials | None:
    if not settings.tls_cert_file:
        if settings.auth_mode == "mtls":
            raise ValueError(
                "auth mode mtls needs ZORGTAFEL_TLS_CERT_FILE, _KEY_FILE and _CLIENT_CA_FILE"
            )
        return None
    with open(settings.tls_key_file, "rb") as k, open(settings.tls_cert_file, "rb") as c:
        pair = (k.read(), c.read())
    ca = open(settings.tls_client_ca_file, "rb").read() if settings.tls_client_ca_file else None
    # TLS 1.2+ only is gRPC core's default; client certificates are required in mtls mode.
    return grpc.ssl_server_credentials(
        [pair], root_certificates=ca, require_client_auth=settings.auth_mode == "mtls"
    )


@dataclass(frozen=True)
class Built:
    """A service's platform and what it was made of (the server's parts are added later)."""

    definition: ServiceDefinition
    platform: Platform
    engine: Engine
    directory: PartyDirectory | None


def announce_revision(uow_factory: Callable[[], UnitOfWork], service: str, revision: str) -> None:
    """Publish, through the outbox, that this instance now enforces ``revision``: governance
    lists which service runs which revision (issue #17)."""
    with uow_factory() as uow:
        uow.emit(
            PolicyRevisionEnforced(
                service=service,
                instance=socket.gethostname(),
                revision=revision,
                enforced_at=datetime.now(timezone.utc).isoformat(),
            )
        )
        uow.commit()


def consumption(parts: ServiceParts, *, follows_parties: bool) -> dict[str, dict[str, Handler]]:
    """Every topic a service reads and its handlers by event type: its own consumption plus
    governance's party events when the kernel keeps its party projection. The deployment's
    Kafka ACLs grant exactly these topics (tests/deploy checks them against this)."""
    consumes: dict[str, dict[str, Handler]] = {}
    if follows_parties:
        for topic, handlers in party_status_consumption().items():
            consumes.setdefault(topic, {}).update(handlers)
    for topic, own in parts.consumes.items():
        consumes.setdefault(topic, {}).update(own)
    return consumes


def make_platform(
    settings: Settings,
    definition: ServiceDefinition,
    policy: PolicyEngine,
    *,
    engine: Engine | None = None,
    relay: OutboxRelay | None = None,
    monitor: HealthMonitor | None = None,
    metrics: Metrics | None = None,
    run_migrations: bool = True,
) -> Built:
    """The storage, keys and policy gate of a service, as a ``Platform``. Without a relay or a
    monitor (the handler test tier) outbox rows wait and health checks are not watched."""
    engine = engine if engine is not None else db.make_engine(settings)
    if run_migrations:
        # Alembic (and Mako) only where migrations run: ``zorgtafel serve`` migrates in a
        # short-lived child process, so the serving process never holds them.
        from zorgtafel.kernel import migrate

        migrate.upgrade(
            engine, definition.metadata, definition.versions_dir, settings.effective_schema
        )
    session_factory = db.make_session_factory(engine)
    tables = dict(definition.tables)
    keys_file = settings.effective_encryption_keys_file
    keyring = KeyRing.from_file(keys_file) if keys_file.exists() else None
    case_keys = CaseKeys(keyring, tables["case_keys"]) if "case_keys" in tables else None
    wake = relay.wake if relay is not None else _nothing
    uow_factory = partial(
        definition.uow_class,
        session_factory,
        tables,
        topic=settings.topic,
        source=f"/zorgtafel/{settings.service}",
        registry=definition.registry,
        wake=wake,
        keys=case_keys,
    )
    directory = None
    if "party_directory" in tables:
        directory = PartyDirectory(engine, tables["party_directory"], _expected_parties(settings))
        directory.follow(session_factory)
    platform = Platform(
        settings=settings,
        uow_factory=uow_factory,
        policy=PolicyGate(policy, metrics),
        keyring=keyring,
        case_keys=case_keys,
        party_status=directory.status if directory is not None else _unknown_party,
        roster=Roster(engine, tables["roster"]) if "roster" in tables else NoRoster(),
        wake_relay=wake,
        add_health_check=monitor.add_check if monitor is not None else _no_check,
        stopped=threading.Event(),
        access_log=ServiceAccessLog(settings, uow_factory),
    )
    return Built(definition, platform, engine, directory)


@contextmanager
def offline(settings: Settings) -> Iterator[tuple[Built, ServiceParts]]:
    """A service built for an operator's command beside the running service (``zorgtafel
    purge``, ``zorgtafel dead-letters``): its database as the same ``ZORGTAFEL_*`` variables
    configure it, its policy engine, key ring and parts, but nothing served, nothing migrated
    and no broker. On leaving it is stopped, its database released and its policy engine
    closed."""
    from zorgtafel.kernel.registry import definition
    from zorgtafel.policy.factory import engine_from_settings

    policy = engine_from_settings(
        settings.policy_engine,
        settings.policy_dir,
        settings.opa_url,
        settings.policy_timeout_ms / 1000,
    )
    built = make_platform(settings, definition(settings.service), policy, run_migrations=False)
    try:
        yield built, built.definition.build(built.platform)
    finally:
        built.platform.stopped.set()
        built.engine.dispose()
        close = getattr(policy, "close", None)
        if callable(close):
            close()


def bootstrap(
    settings: Settings,
    definition: ServiceDefinition,
    *,
    policy: PolicyEngine | None = None,
    run_migrations: bool = True,
) -> App:
    gil.switch_interval_s(settings)  # a bad value is a configuration error, found before any work
    metrics = Metrics(settings.service)
    tracer_provider = make_tracer_provider(settings.service, settings.otlp_endpoint)
    tracer = tracer_provider.get_tracer("zorgtafel.kernel")
    owns_policy = policy is None
    if policy is None:
        from zorgtafel.policy.factory import engine_from_settings

        policy = engine_from_settings(
            settings.policy_engine,
            settings.policy_dir,
            settings.opa_url,
            settings.policy_timeout_ms / 1000,
            # The embedded engine in production: governance's signed bundles only.
            bundle_url=settings.setting("policy_bundle_url"),
            verification_key_file=settings.setting("bundle_verification_key_file"),
            key_id=settings.setting("bundle_signing_key_id"),
            packages=compiled_policies(definition) if definition.policies else None,
            evaluator=settings.setting("policy_evaluator"),
        )
    engine = db.make_engine(settings)
    instrument_sqlalchemy(engine, tracer, lambda: tracer_provider.exporting)
    relay = OutboxRelay(
        engine,
        definition.tables["outbox"],
        partial(kafka.make_producer, settings),
        interval_s=settings.relay_interval_s,
        metrics=metrics,
        **kafka.relay_options(settings),
    )
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    broker_check = BrokerCheck(partial(kafka.make_admin, settings))
    monitor = HealthMonitor(
        {"database": partial(db.ping, engine), "broker": broker_check},
        health_servicer,
        [],
        settings.health_interval_s,
        metrics,
    )
    built = make_platform(
        settings,
        definition,
        policy,
        engine=engine,
        relay=relay,
        monitor=monitor,
        metrics=metrics,
        run_migrations=run_migrations,
    )
    caches = getattr(policy, "decision_caches", None)
    if caches is not None:
        metrics.observe_decision_caches(caches)
    platform, directory, gate = built.platform, built.directory, built.platform.policy
    uow_factory = platform.uow_factory
    parts = definition.build(platform)

    consumes = consumption(parts, follows_parties=directory is not None)
    consumer = None
    if consumes:
        by_type = {t: h for per_topic in consumes.values() for t, h in per_topic.items()}
        consumer = EventConsumer(
            sorted(consumes),
            by_type,
            uow_factory,
            partial(kafka.make_subscribed_consumer, settings),
            metrics=metrics,
            tracer=tracer,
            ready_despite=parts.ready_despite,
            **kafka.consumer_options(settings),
        )

    verifier = TokenVerifier.from_file(
        settings.effective_jwt_public_key_file,
        settings.jwt_issuer,
        settings.jwt_audience,
        max_lifetime_s=settings.jwt_max_lifetime_s,
    )
    authenticator = Authenticator(
        verifier,
        settings.auth_mode,
        relay=RelayTrust.from_settings(settings.tls_relay_ca_file, settings.tls_relay_services),
    )
    party_status = parts.party_status or platform.party_status
    streams = StreamSlots.from_settings(settings)
    interceptor = ZorgtafelInterceptor(
        authenticator,
        gate,
        party_status,
        metrics,
        tracer,
        parts.on_refused or platform.access_log.refused_call,
        # The kernel's projection may not have heard of a party yet; governance's own table
        # is the source, so there "unknown" is the policy's to refuse.
        unknown_is_unavailable=parts.party_status is None,
        access_log=platform.access_log,
        # The kernel's own services (the access log; the subject data export, issue #14, where
        # a service serves it) are logged reads in every service.
        reads=parts.reads | accesslog_servicer.READS | subjectdata_servicer.READS,
        refusals=RefusalBudget.from_settings(settings),
        streams=streams,
    )
    # The App shuts it down at stop: grpc's server.stop() leaves a pool it was given running.
    # Open streams hold a thread each: they get threads of their own beside the calls' ones.
    grpc_workers = futures.ThreadPoolExecutor(
        max_workers=settings.grpc_max_workers + streams.total,
        thread_name_prefix=f"{settings.service}-grpc",
    )
    server = grpc.server(
        grpc_workers,
        interceptors=[interceptor],
        options=[
            ("grpc.max_receive_message_length", settings.grpc_max_message_bytes),
            ("grpc.max_send_message_length", settings.grpc_max_message_bytes),
            ("grpc.so_reuseport", 0),
        ],
        maximum_concurrent_rpcs=settings.grpc_max_workers * 8 + streams.total,
    )
    # Every service serves its own access log (the same servicer in all four).
    grpc_services = (
        *parts.grpc,
        GrpcService(
            accesslog_servicer.SERVICE,
            accesslog_pb2_grpc.add_AccessLogServiceServicer_to_server,
            accesslog_servicer.AccessLogServicer(
                settings.service,
                uow_factory,
                gate,
                platform.access_log.keys,
                policy=definition.access_log_policy,
            ),
        ),
    )
    names = tuple(s.name for s in grpc_services)
    for service in grpc_services:
        service.add_to_server(service.servicer, server)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [
            *names,
            health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
            reflection.SERVICE_NAME,
        ],
        server,
    )
    address = f"{settings.grpc_host}:{settings.grpc_port}"
    creds = _server_credentials(settings)
    grpc_port = (
        server.add_secure_port(address, creds) if creds else server.add_insecure_port(address)
    )
    if grpc_port == 0:
        raise OSError(f"cannot bind gRPC on {address}")

    monitor.serve_names(names)
    if directory is not None and parts.party_status is None:
        monitor.add_check("parties_known", directory.known)
    monitor.add_check("policy", partial(policy_healthy, policy))
    monitor.report_revision(
        lambda: gate.revision, partial(announce_revision, uow_factory, settings.service)
    )
    if consumer is not None:
        monitor.add_check("consumer_assigned", partial(consumer_assigned, consumer))
        # Fail closed (ADR 0012): not ready while a fact that takes access away is not applied.
        monitor.add_check("revocations_applied", consumer.revocations_applied)
    for name, check in parts.health_checks.items():
        monitor.add_check(name, check)
    ops_app = create_ops_app(settings.service, monitor, metrics, parts.ops_routes)
    retention = make_retention_scheduler(
        settings, parts.retention, gate, engine, metrics, access_log=uow_factory
    )
    app = App(
        settings=settings,
        definition=definition,
        engine=engine,
        uow_factory=uow_factory,
        policy=policy,
        keyring=platform.keyring,
        metrics=metrics,
        relay=relay,
        consumer=consumer,
        monitor=monitor,
        server=server,
        grpc_workers=grpc_workers,
        grpc_port=grpc_port,
        ops=OpsServer(ops_app, settings.http_host, settings.http_port),
        grpc_service_names=names,
        tracer_provider=tracer_provider,
        broker_check=broker_check,
        tasks=parts.tasks,
        owns_policy=owns_policy,
        stopped=platform.stopped,
        parties=directory if parts.party_status is None else None,
        access_log=platform.access_log,
        retention=retention,
    )
    # The access log's head and its checkpoint first, then the service's own hooks: each a
    # start step run again while the database dropped its connection.
    run_start_hooks((platform.access_log.start, *parts.on_start))
    return app


START_ATTEMPTS = 5  # a start hook whose connection the database dropped is run again
START_RETRY_S = 0.5  # times the attempt: 0.5, 1, 1.5, 2 s


def run_start_hooks(hooks: tuple[Callable[[], None], ...]) -> None:
    """The service's start steps (the access log's head and checkpoint, seeding its tables,
    the withdrawals due), each run again while the database dropped its connection
    (``db.again_when_lost``; each looks before it writes, so a second run after a COMMIT whose
    answer was lost is the first's): a restart, a failover or the e2e fault test ending every
    connection while a service starts is no reason to exit. Any other failure stops the
    start, as before."""
    for hook in hooks:
        name = getattr(getattr(hook, "func", hook), "__name__", "hook")

        def again(exc: BaseException, attempt: int, name: str = name) -> None:
            log.warning("start_hook_again", hook=name, attempt=attempt, db_error=type(exc).__name__)

        db.again_when_lost(hook, attempts=START_ATTEMPTS, pause_s=START_RETRY_S, before_again=again)


def make_retention_scheduler(
    settings: Settings,
    tasks: tuple[RetentionTask, ...],
    gate: PolicyGate,
    engine: Engine,
    metrics: Metrics | None = None,
    *,
    access_log: Callable[[], UnitOfWork] | None = None,
) -> RetentionScheduler | None:
    """The service's retention scheduler (None when it has no task). The settings are read
    here, so a wrong ``ZORGTAFEL_RETENTION_*`` value stops the service at start, loudly. Given
    the service's unit of work (``access_log``), the kernel adds its own task: pruning the
    access log every service keeps (kind ``access_log``, owner ``kernel``), and sweeping the
    markers of purged requests (kind ``purged_request``, owner ``kernel``)."""
    if access_log is not None:
        tasks = (*tasks, prune.retention_task(access_log), purged_requests_task(access_log))
    if not tasks:
        return None
    return RetentionScheduler(
        service=settings.service,
        tasks=tuple(tasks),
        policy=gate,
        lock=LeaderLock(engine, settings.service, schema=settings.effective_schema),
        interval_s=interval_s(settings),
        overrides=parse_overrides(settings),
        metrics=metrics,
        also_owners=("kernel",) if access_log is not None else (),
    )


def _expected_parties(settings: Settings) -> frozenset[str]:
    """The covenant's seeded parties, which this service must know before it is ready."""
    path = settings.setting("seed_parties_file")
    if path.lower() == "none":
        return frozenset()
    return seeded_party_ids(Path(path) if path else DEFAULT_SEED_PARTIES_FILE)


# A harmless authz question: the engine answers it only when it is up and has compiled.
_PROBE = {
    "method": "/grpc.health.v1.Health/Check",
    "principal": {
        "party": "00000000000000000000",
        "person": "readiness-probe",
        "role": "probe",
        "authenticated_by": "dev_token",
        "party_status": "unknown",
    },
    "resource": {},
}


def policy_healthy(policy: PolicyEngine) -> bool:
    """Readiness of the policy engine: its own ``healthy()`` (every entrypoint compiled, the
    OPA sidecar answering) when it has one, else one real decision must come back (an OPA
    that is down raises, so the service is not ready)."""
    healthy = getattr(policy, "healthy", None)
    if callable(healthy):
        return bool(healthy())
    policy.decide("zorgtafel.authz", _PROBE)
    return True


def consumer_assigned(consumer: EventConsumer) -> bool:
    """Readiness: the event consumer has its partitions (before that no fact arrives)."""
    assigned = getattr(consumer, "assigned", None)
    if isinstance(assigned, threading.Event):
        return assigned.is_set()
    if callable(assigned):
        return bool(assigned())
    return bool(assigned)


def _unknown_party(_party_id: str) -> str:
    return "unknown"


def _nothing() -> None:
    return None


def _no_check(_name: str, _check: Callable[[], bool]) -> None:
    return None
