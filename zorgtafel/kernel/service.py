"""The one seam between the kernel and a service.

A service declares itself with a ``ServiceDefinition`` (name, tables, migrations, events, unit
of work) and one ``build(platform) -> ServiceParts``. The kernel hands ``build`` a typed,
read-only ``Platform`` (what every service may use) and runs whatever ``ServiceParts`` it gets
back (servicers, consumed events, periodic tasks, ops routes, hooks). Nothing else passes
between them: no mutable runtime objects, no dicts of extras, no private attributes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table

from zorgtafel.kernel.accesslog.service import ServiceAccessLog
from zorgtafel.kernel.callcontext import RefusedCall
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import Handler
from zorgtafel.kernel.crypto import KeyRing
from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.ops import Route
from zorgtafel.kernel.roster import RosterView
from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.uow import UnitOfWork


@dataclass(frozen=True)
class Platform:
    """What the kernel gives a service, built once per running service."""

    settings: Settings
    uow_factory: Callable[[], UnitOfWork]
    policy: PolicyGate
    keyring: KeyRing | None
    case_keys: CaseKeys | None  # when the service has a ``case_keys`` table
    party_status: Callable[[str], str]  # the kernel's party projection (or the service's)
    roster: RosterView  # who holds a Zorgtafel function (process director, manager), by appointment
    wake_relay: Callable[[], None]
    add_health_check: Callable[[str, Callable[[], bool]], None]
    stopped: threading.Event  # set when the service stops; wait on it, never set it
    # The service's access log (NEN 7513): handlers log every look before the data leaves.
    access_log: ServiceAccessLog


@dataclass(frozen=True)
class GrpcService:
    """One gRPC service of a service: the generated ``add_..._to_server`` and its servicer."""

    name: str  # full name, for health and reflection
    add_to_server: Callable[[Any, Any], None]  # (servicer, server)
    servicer: object


@dataclass(frozen=True)
class Periodic:
    """Work the kernel runs every ``interval_s`` on its own thread until the service stops;
    a failure is logged and retried on the next tick."""

    name: str
    interval_s: float
    run: Callable[[], None]


@dataclass(frozen=True)
class ServiceParts:
    grpc: tuple[GrpcService, ...]
    # topic -> {event type -> handler(uow, event)}; the party-status projection is added by the
    # kernel for every service with a ``party_directory`` table.
    consumes: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    tasks: tuple[Periodic, ...] = ()
    # Run once the database is migrated, before the service serves (seeding, key creation).
    on_start: tuple[Callable[[], None], ...] = ()
    # Extra GET routes of the ops HTTP endpoint, by path (governance: the policy bundles).
    ops_routes: Mapping[str, Route] = field(default_factory=dict)
    # Told of every call the authz policy refused, instead of the kernel's record of it
    # (``ServiceAccessLog.refused_call``) when a service logs more (disclosure: each item).
    on_refused: Callable[[RefusedCall], None] | None = None
    # Replaces the kernel's party projection for authorisation (governance owns the facts).
    party_status: Callable[[str], str] | None = None
    health_checks: Mapping[str, Callable[[], bool]] = field(default_factory=dict)
    # The RPCs (short names) that let personal data or case content out: the kernel logs each
    # call (each delivered message of a stream) in the access log before the reply leaves.
    reads: frozenset[str] = frozenset()
    # What the retention scheduler removes on the service's clock (kernel/scheduler.py).
    retention: tuple[RetentionTask, ...] = ()
    # Revoking facts (ADR 0012) whose effect in this service takes no access away: still never
    # parked and retried in order, but the service stays ready while one waits (governance:
    # CASE_PURGED only unlinks a dispute's case id, and governance's readiness gates the policy
    # bundles every service loads).
    ready_despite: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    metadata: MetaData
    tables: Mapping[str, Table]
    versions_dir: Path
    registry: EventRegistry
    build: Callable[[Platform], ServiceParts]
    uow_class: type[UnitOfWork] = UnitOfWork
    # The policy packages the service asks (besides the kernel's own, ``KERNEL_POLICIES`` in
    # kernel/bootstrap.py): the embedded engine compiles these at start, each in its own
    # interpreter, and any other only on first use (issue #16: 2-8 MB per package). Empty:
    # every package. tests/unit/test_policy_packages.py finds a package asked but not named.
    policies: frozenset[str] = frozenset()
    # The package the service's AccessLogService asks who reads its log (operation
    # query_access_log). zorgtafel.accesslog, unless a package the service compiles anyway
    # answers it as well (disclosure: zorgtafel.disclosure.control), which then replaces it:
    # each package asked costs an interpreter and a compiled query (about 2 MB, issue #16).
    access_log_policy: str = "zorgtafel.accesslog"
