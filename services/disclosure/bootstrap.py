"""Disclosure's composition root: ``build(platform)`` makes the dependencies once and the
parts the kernel runs (the servicer, consumed facts, the hook that logs refused attempts item by
item; the access log itself is the kernel's, as in every service)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import cast

from services.disclosure.adapters import orm
from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain.events import REGISTRY
from services.disclosure.entrypoints import proto_mapping
from services.disclosure.entrypoints.consumers import consumption
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import audit
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc
from zorgtafel.kernel.callcontext import RefusedCall
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.service import GrpcService, Platform, ServiceDefinition, ServiceParts

__all__ = ["Deps", "build", "make_deps"]
log = get_logger(__name__)


def make_deps(platform: Platform) -> Deps:
    return Deps(
        policy=platform.policy,
        register=ProcessingRegister(),
        roster=platform.roster,
        # The kernel's access log (every service's): its group committer and keys.
        access_log=platform.access_log.committer,
        log_keys=platform.access_log.keys,
    )


def build(platform: Platform) -> ServiceParts:
    deps = make_deps(platform)
    # The kernel makes the definition's unit of work (``DisclosureUnitOfWork``).
    uow_factory = cast(Callable[[], DisclosureUnitOfWork], platform.uow_factory)
    servicer = DisclosureServicer(deps, uow_factory, Commands(uow_factory, proto_mapping.SERVICE))

    def on_refused(refused: RefusedCall) -> None:
        cmd = proto_mapping.refusal_in(refused)
        if cmd is None:  # not a release: the kernel's record of a refused call
            platform.access_log.refused_call(refused)
            return
        p = refused.principal
        caller = Caller(
            party=p.party,
            person=p.person,
            role=p.role,
            party_status=refused.party_status,
            authenticated_by=p.authenticated_by,
        )
        with uow_factory() as uow:
            audit.record_refusal(deps, uow, cmd, caller)

    return ServiceParts(
        grpc=(
            GrpcService(
                proto_mapping.SERVICE,
                disclosure_pb2_grpc.add_DisclosureServiceServicer_to_server,
                servicer,
            ),
        ),
        consumes=consumption(deps),
        on_refused=on_refused,
        # Releases (RequestDisclosure, BreakGlass) log each item's decision themselves; these
        # reads are logged by the kernel, reading the log itself included. VerifyLog is not a
        # read of personal data (sizes, roots, a record's number) and must still answer when
        # the log is damaged and takes no appends.
        reads=frozenset(
            {
                "ListReviews",
                "ListOverrideNotices",
                "ListInformingTasks",
                "AccessLog",
                "SubjectAccessReport",
                "ListSubjectRequests",
                "ListProcessingActivities",
                "ListBreaches",
                "ExportRegister",
            }
        ),
    )


# -- what the kernel runs -----------------------------------------------------------------------
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="disclosure",
        metadata=orm.metadata,
        tables=orm.tables,
        versions_dir=VERSIONS,
        registry=REGISTRY,
        build=build,
        uow_class=DisclosureUnitOfWork,
    )
