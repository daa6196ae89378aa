"""The composition root: ``bootstrap(settings, definition)`` builds every part of a service
(database, unit of work, policy engine, authentication, gRPC server with health, reflection
and interceptors, outbox relay, idempotent consumer, ops app) and returns an ``App`` that
starts and stops them in order. Nothing here runs at import time."""

from __future__ import annotations

import signal
import threading
from concurrent import futures
from dataclasses import dataclass, field
from functools import partial

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from zorgtafel.kernel import db, kafka, migrate
from zorgtafel.kernel.auth import Authenticator, TokenVerifier
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.crypto import KeyRing
from zorgtafel.kernel.health import BrokerCheck, HealthMonitor
from zorgtafel.kernel.interceptors import ZorgtafelInterceptor
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.ops import OpsServer, create_ops_app
from zorgtafel.kernel.outbox import OutboxRelay
from zorgtafel.kernel.parties import PartyDirectory
from zorgtafel.kernel.service import ServiceDefinition
from zorgtafel.kernel.tracing import instrument_sqlalchemy, make_tracer_provider

log = get_logger(__name__)


@dataclass
class App:
    settings: Settings
    definition: ServiceDefinition
    engine: object
    uow_factory: object
    policy: object
    keyring: KeyRing | None
    metrics: Metrics
    relay: OutboxRelay
    consumer: EventConsumer | None
    monitor: HealthMonitor
    health_servicer: health.HealthServicer
    server: grpc.Server | None = None
    grpc_port: int = 0
    ops: OpsServer | None = None
    extras: dict = field(default_factory=dict)
    _stopped: threading.Event = field(default_factory=threading.Event)

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> "App":
        self.monitor.start()
        self.relay.start()
        if self.consumer is not None:
            self.consumer.start()
        self.server.start()
        self.ops.start()
        log.info("service_started", service=self.settings.service, grpc_port=self.grpc_port,
                 http_port=self.ops.port, policy_revision=self.policy.revision)
        return self

    def stop(self, grace: float | None = None) -> None:
        """Graceful: report NOT_SERVING, drain in-flight calls, then stop the workers."""
        if self._stopped.is_set():
            return
        self._stopped.set()
        grace = self.settings.shutdown_grace_s if grace is None else grace
        self.monitor.stop()
        self.server.stop(grace).wait(grace + 1)
        if self.consumer is not None:
            self.consumer.stop()
        self.relay.stop()
        self.ops.stop()
        checker = self.extras.get("broker_check")
        if checker is not None:
            checker.close()
        self.engine.dispose()
        self.extras["tracer_provider"].shutdown()
        if self.extras.get("owns_policy") and hasattr(self.policy, "close"):
            self.policy.close()
        log.info("service_stopped", service=self.settings.service)

    def wait(self) -> None:
        self._stopped.wait()

    def install_signal_handlers(self) -> None:
        def handle(signum, _frame):
            log.info("signal_received", signal=signal.Signals(signum).name)
            threading.Thread(target=self.stop, daemon=True).start()
        signal.signal(signal.SIGTERM, handle)
        signal.signal(signal.SIGINT, handle)


def _server_credentials(settings: Settings):
    if not settings.tls_cert_file:
        if settings.auth_mode == "mtls":
            raise ValueError("auth mode mtls needs ZORGTAFEL_TLS_CERT_FILE, _KEY_FILE and "
                             "_CLIENT_CA_FILE")
        return None
    with open(settings.tls_key_file, "rb") as k, open(settings.tls_cert_file, "rb") as c:
        pair = (k.read(), c.read())
    ca = open(settings.tls_client_ca_file, "rb").read() if settings.tls_client_ca_file else None
    # TLS 1.2+ only is gRPC core's default; client certificates are required in mtls mode.
    return grpc.ssl_server_credentials([pair], root_certificates=ca,
                                       require_client_auth=settings.auth_mode == "mtls")


def bootstrap(settings: Settings, definition: ServiceDefinition, *, policy=None,
              run_migrations: bool = True) -> App:
    metrics = Metrics(settings.service)
    tracer_provider = make_tracer_provider(settings.service, settings.otlp_endpoint)
    tracer = tracer_provider.get_tracer("zorgtafel.kernel")
    engine = db.make_engine(settings)
    if run_migrations:
        migrate.upgrade(engine, definition.metadata, definition.versions_dir,
                        settings.effective_schema)
    instrument_sqlalchemy(engine, tracer)
    session_factory = db.make_session_factory(engine)
    tables = dict(definition.tables)
    uow_factory = partial(definition.uow_class, session_factory, tables, topic=settings.topic,
                          source=f"/zorgtafel/{settings.service}",
                          registry=definition.registry)
    owns_policy = policy is None
    if policy is None:
        from zorgtafel.policy.factory import engine_from_settings

        policy = engine_from_settings(settings.policy_engine, settings.policy_dir,
                                      settings.opa_url, settings.policy_timeout_ms / 1000)
    keys_file = settings.effective_encryption_keys_file
    keyring = KeyRing.from_file(keys_file) if keys_file.exists() else None

    relay = OutboxRelay(engine, tables["outbox"], partial(kafka.make_producer, settings),
                        interval_s=settings.relay_interval_s, metrics=metrics,
                        end_offsets=kafka.EndOffsets(settings))
    consumer = None
    if definition.consumes:
        handlers = {t: h for per_topic in definition.consumes.values() for t, h in per_topic.items()}
        consumer = EventConsumer(sorted(definition.consumes), handlers, uow_factory,
                                 partial(kafka.make_subscribed_consumer, settings), metrics=metrics,
                                 tracer=tracer)

    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    broker_check = BrokerCheck(partial(kafka.make_admin, settings))
    app = App(settings=settings, definition=definition, engine=engine, uow_factory=uow_factory,
              policy=policy, keyring=keyring, metrics=metrics, relay=relay, consumer=consumer,
              monitor=None, health_servicer=health_servicer)  # type: ignore[arg-type]
    app.extras["broker_check"] = broker_check
    app.extras["tracer_provider"] = tracer_provider
    app.extras["owns_policy"] = owns_policy

    verifier = TokenVerifier.from_file(settings.effective_jwt_public_key_file,
                                       settings.jwt_issuer, settings.jwt_audience)
    authenticator = Authenticator(verifier, settings.auth_mode)
    directory = None
    if definition.party_status is not None:
        party_status = definition.party_status(app)
    else:
        directory = PartyDirectory(engine, tables["party_directory"])
        party_status = directory.status
    on_refused = (partial(definition.on_refused, app) if definition.on_refused is not None
                  else None)
    interceptor = ZorgtafelInterceptor(authenticator, policy, party_status, metrics, tracer,
                                       on_refused)

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=settings.grpc_max_workers,
                                   thread_name_prefix=f"{settings.service}-grpc"),
        interceptors=[interceptor],
        options=[("grpc.max_receive_message_length", settings.grpc_max_message_bytes),
                 ("grpc.max_send_message_length", settings.grpc_max_message_bytes),
                 ("grpc.so_reuseport", 0)],
        maximum_concurrent_rpcs=settings.grpc_max_workers * 8,
    )
    app.server = server
    names = definition.register_grpc(server, app)
    app.extras["grpc_service_names"] = list(names)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*names, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
         reflection.SERVICE_NAME], server)
    address = f"{settings.grpc_host}:{settings.grpc_port}"
    creds = _server_credentials(settings)
    app.grpc_port = (server.add_secure_port(address, creds) if creds
                     else server.add_insecure_port(address))
    if app.grpc_port == 0:
        raise OSError(f"cannot bind gRPC on {address}")

    app.monitor = HealthMonitor({"database": partial(db.ping, engine), "broker": broker_check},
                                health_servicer, names, settings.health_interval_s, metrics)
    if directory is not None:
        app.monitor.add_check("parties_known", directory.known)
    ops_app = create_ops_app(settings.service, app.monitor, metrics,
                             (partial(definition.ops_routes, app=app)
                              if definition.ops_routes else None))
    app.ops = OpsServer(ops_app, settings.http_host, settings.http_port)
    if definition.on_start is not None:
        definition.on_start(app)
    return app
