"""Casework as the kernel runs it."""

from __future__ import annotations

from pathlib import Path

from services.casework.adapters import orm
from services.casework.domain.events import REGISTRY
from zorgtafel.kernel.schema import party_status_consumption
from zorgtafel.kernel.service import ServiceDefinition
from zorgtafel.kernel.uow import UnitOfWork

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _register_grpc(server, app) -> list[str]:
    return []


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="casework", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=UnitOfWork, register_grpc=_register_grpc,
        consumes=party_status_consumption())
