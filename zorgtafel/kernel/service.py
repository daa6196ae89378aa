"""What a service tells the kernel about itself. Each service builds one ``ServiceDefinition``
in ``services/<name>/entrypoints/service.py``; the kernel does the rest in ``bootstrap``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

from sqlalchemy import MetaData

from zorgtafel.kernel.consumer import Handler
from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.uow import UnitOfWork

if TYPE_CHECKING:  # pragma: no cover
    from zorgtafel.kernel.bootstrap import App


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    metadata: MetaData
    tables: Mapping[str, object]
    versions_dir: Path
    registry: EventRegistry
    uow_class: type[UnitOfWork]
    # Adds the servicers to the server; returns the full gRPC service names (for health).
    register_grpc: Callable[[object, "App"], list[str]]
    # topic -> {event type -> handler}
    consumes: Mapping[str, Mapping[str, Handler]] = field(default_factory=dict)
    ops_routes: Callable[[object, "App"], None] | None = None
    # Party status lookup for authorisation; default: the kernel's party projection.
    party_status: Callable[["App"], Callable[[str], str]] | None = None
    # Run once the database is migrated (e.g. governance seeds the covenant's parties).
    on_start: Callable[["App"], None] | None = None
    # Told of every call the authz policy refused (a RefusedCall), so a service whose methods
    # touch personal data can put the attempt in its access log (NEN 7513: attempts count).
    on_refused: Callable[["App", object], None] | None = None
