"""Governance as the kernel runs it: tables, events, servicers, seeding."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import IntegrityError

from services.governance.adapters import orm
from services.governance.adapters.seed import covenant_parties
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.commands import RegisterParty
from services.governance.domain.events import REGISTRY
from services.governance.entrypoints.grpc_api import GovernanceServicer
from services.governance.service_layer import handlers
from zorgtafel.governance.v1 import governance_pb2, governance_pb2_grpc
from zorgtafel.kernel.service import ServiceDefinition

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _register_grpc(server, app) -> list[str]:
    governance_pb2_grpc.add_GovernanceServiceServicer_to_server(
        GovernanceServicer(app.uow_factory), server)
    return [governance_pb2.DESCRIPTOR.services_by_name["GovernanceService"].full_name]


def _party_status(app):
    def lookup(party_id: str) -> str:
        with app.uow_factory() as uow:
            return handlers.party_status(uow, party_id)
    return lookup


def seed_parties(app) -> int:
    """Register every party of the covenant that is not known yet (safe to repeat)."""
    added = 0
    for p in covenant_parties():
        try:
            with app.uow_factory() as uow:
                added += handlers.register_party(uow, RegisterParty(p["party_id"], p["name"],
                                                                    p["kind"]))
        except IntegrityError:
            pass  # another replica registered it first
    if added:
        app.relay.wake()
    return added


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="governance", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=GovernanceUnitOfWork, register_grpc=_register_grpc,
        party_status=_party_status, on_start=seed_parties)
