"""Casework as the kernel runs it: tables, events, servicer, consumers, runtime wiring."""

from __future__ import annotations

from pathlib import Path

from services.casework.adapters import orm
from services.casework.adapters.disclosure_client import DisclosureClient
from services.casework.adapters.uow import Runtime, bound_uow_class
from services.casework.domain.events import REGISTRY
from services.casework.entrypoints.consumers import consumption
from services.casework.entrypoints.grpc_api import CaseworkServicer
from zorgtafel.casework.v1 import casework_pb2, casework_pb2_grpc
from zorgtafel.kernel.parties import PartyDirectory
from zorgtafel.kernel.service import ServiceDefinition

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    runtime = Runtime()  # one per definition: two caseworks in one process share nothing

    def register_grpc(server, app) -> list[str]:
        runtime.keyring = app.keyring
        runtime.policy = app.policy
        runtime.settings = app.settings
        runtime.disclosure = DisclosureClient(app.settings.disclosure_address)
        runtime.party_status = PartyDirectory(app.engine, orm.tables["party_directory"]).status
        casework_pb2_grpc.add_CaseworkServiceServicer_to_server(
            CaseworkServicer(app.uow_factory, runtime), server)
        return [casework_pb2.DESCRIPTOR.services_by_name["CaseworkService"].full_name]

    return ServiceDefinition(
        name="casework", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=bound_uow_class(runtime), register_grpc=register_grpc,
        consumes=consumption())
