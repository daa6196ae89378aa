"""Intake as the kernel runs it: tables, events, servicer, consumers, the pseudonym key."""

from __future__ import annotations

from pathlib import Path

from services.intake.adapters import orm
from services.intake.adapters.vault import Vault
from services.intake.domain.events import REGISTRY
from services.intake.entrypoints.consumers import CASEWORK_HANDLERS
from services.intake.entrypoints.grpc_api import IntakeServicer
from services.intake.service_layer.handlers import Deps
from zorgtafel.contracts import events as ev
from zorgtafel.intake.v1 import intake_pb2, intake_pb2_grpc
from zorgtafel.kernel.schema import party_status_consumption
from zorgtafel.kernel.service import ServiceDefinition
from zorgtafel.kernel.uow import UnitOfWork

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _vault(app) -> Vault:
    vault = app.extras.get("intake_vault")
    if vault is None:
        vault = app.extras["intake_vault"] = Vault(app.keyring)
    return vault


def _register_grpc(server, app) -> list[str]:
    intake_pb2_grpc.add_IntakeServiceServicer_to_server(
        IntakeServicer(app.uow_factory, Deps(vault=_vault(app), policy=app.policy),
                       relay=app.relay), server)
    return [intake_pb2.DESCRIPTOR.services_by_name["IntakeService"].full_name]


def _on_start(app) -> None:
    _vault(app).ensure_pseudonym_key(app.uow_factory)


def definition() -> ServiceDefinition:
    orm.start_mappers()
    consumes = dict(party_status_consumption())
    consumes[ev.TOPIC["casework"]] = dict(CASEWORK_HANDLERS)
    return ServiceDefinition(
        name="intake", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=UnitOfWork, register_grpc=_register_grpc,
        consumes=consumes, on_start=_on_start)
