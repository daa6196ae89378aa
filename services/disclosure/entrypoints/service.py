"""Disclosure as the kernel runs it: tables, events, servicer, consumed facts."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import IntegrityError

from services.disclosure.adapters import accesslog, orm
from services.disclosure.adapters.casekeys import CaseKeys
from services.disclosure.adapters.refusals import record_refusal
from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.domain.events import REGISTRY
from services.disclosure.entrypoints.consumers import make_consumption
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from services.disclosure.service_layer.handlers import Deps
from zorgtafel.disclosure.v1 import disclosure_pb2, disclosure_pb2_grpc
from zorgtafel.kernel.service import ServiceDefinition
from zorgtafel.kernel.uow import UnitOfWork

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"


def _deps(app, ref: dict) -> Deps:
    if "deps" not in ref:
        ref["deps"] = Deps(uow_factory=app.uow_factory, policy=app.policy,
                           keys=CaseKeys(app.keyring), register=ProcessingRegister(),
                           wake_relay=app.relay.wake)
    return ref["deps"]


def definition() -> ServiceDefinition:
    orm.start_mappers()
    ref: dict = {}

    def register_grpc(server, app) -> list[str]:
        disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server(
            DisclosureServicer(_deps(app, ref)), server)
        return [disclosure_pb2.DESCRIPTOR.services_by_name["DisclosureService"].full_name]

    def on_start(app) -> None:
        _deps(app, ref)
        try:
            with app.uow_factory() as uow:
                accesslog.ensure_head(uow.session)
                uow.commit()
        except IntegrityError:
            pass  # another replica created the chain head first

    def on_refused(app, refused) -> None:
        deps = _deps(app, ref)
        record_refusal(app.uow_factory, deps.register.activity_ref_for(""), refused)

    return ServiceDefinition(
        name="disclosure", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=UnitOfWork, register_grpc=register_grpc,
        consumes=make_consumption(ref), on_start=on_start, on_refused=on_refused)
