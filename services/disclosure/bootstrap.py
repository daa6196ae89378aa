"""Disclosure's composition root: ``build(platform)`` makes the dependencies once and the
parts the kernel runs (the servicer, consumed facts, the hook that logs refused attempts item by
item; the access log itself is the kernel's, as in every service)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

from services.disclosure.adapters import orm
from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.adapters.uow import DisclosureUnitOfWork
from services.disclosure.domain.decisions import CONTROL_POLICY
from services.disclosure.domain.events import REGISTRY
from services.disclosure.entrypoints import proto_mapping
from services.disclosure.entrypoints.consumers import consumption
from services.disclosure.entrypoints.grpc_api import DisclosureServicer
from services.disclosure.service_layer import subject_data as disclosure_subject_data
from services.disclosure.service_layer.deps import Deps
from services.disclosure.service_layer.handlers import audit, retention, subject_report
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc
from zorgtafel.kernel.callcontext import RefusedCall
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.service import (
    GrpcService,
    Periodic,
    Platform,
    ServiceDefinition,
    ServiceParts,
)
from zorgtafel.kernel.subjectdata import servicer as subject_data_servicer
from zorgtafel.kernel.subjectdata.client import SubjectDataPeers

__all__ = ["Deps", "build", "make_deps"]
log = get_logger(__name__)
REGISTER_REFRESH_S = 60.0


def make_deps(platform: Platform) -> Deps:
    return Deps(
        policy=platform.policy,
        register=ProcessingRegister(),
        roster=platform.roster,
        # The kernel's access log (every service's): its group committer and keys.
        access_log=platform.access_log.committer,
        log_keys=platform.access_log.keys,
        # Issue #14: the other services asked for their part of the subject access report.
        peers=SubjectDataPeers.from_settings(platform.settings, subject_report.PEERS),
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
            # Issue #14: disclosure's part of the subject access report, for the others too.
            subject_data_servicer.grpc_service(platform, disclosure_subject_data.export),
        ),
        consumes=consumption(deps),
        on_refused=on_refused,
        # Issue #14: withdrawn consents and decided subject requests go after their retention
        # periods (kernel scheduler).
        retention=(
            RetentionTask(
                "consent_withdrawn",
                retention.CONSENT,
                partial(retention.withdrawn_consents_due, uow_factory),
                partial(retention.delete_withdrawn_consent, uow_factory),
            ),
            RetentionTask(
                "subject_request_decided",
                retention.SUBJECT_REQUEST,
                partial(retention.decided_requests_due, uow_factory),
                partial(retention.delete_decided_request, uow_factory),
            ),
            # GDPR art. 18(2): what casework's purge left here because a restriction held it
            # goes at the first tick after the lifting (no period of its own).
            RetentionTask(
                "purge_held_by_a_restriction",
                "",
                partial(retention.held_purges_due, uow_factory),
                partial(retention.purge_held, uow_factory),
            ),
        ),
        # The register of processing activities: seeded once, then maintained over gRPC; each
        # replica reads the activities' versions again now and then (the access log names them).
        on_start=(partial(deps.register.seed, uow_factory),),
        tasks=(
            Periodic(
                "processing_register",
                REGISTER_REFRESH_S,
                partial(deps.register.refresh, uow_factory),
            ),
        ),
        # Releases (RequestDisclosure, BreakGlass) log each item's decision themselves; these
        # reads are logged by the kernel, reading the log itself included. VerifyLog is not a
        # read of personal data (sizes, roots, a record's number) and must still answer when
        # the log is damaged and takes no appends.
        reads=frozenset(
            {
                "ListReviews",
                "ListOverrideNotices",
                "ListCorrectionNotices",
                "ListInformingTasks",
                "AccessLog",
                "SubjectAccessReport",
                "ListSubjectRequests",
                "ListProcessingActivities",
                "ListBreaches",
                "ExportRegister",
                # Issue #14: the assembled report; the register's history names its editors.
                "SubjectDataReport",
                "ListProcessingActivityHistory",
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
        # Compiled at start (issue #16).
        policies=frozenset(
            {
                "zorgtafel.disclosure",
                "zorgtafel.disclosure.control",
                "zorgtafel.subjectdata.export",
            }
        ),
        # Who reads the access log: control answers it as zorgtafel.accesslog does (it holds
        # those rules), so disclosure compiles no second package for it (issue #16).
        access_log_policy=CONTROL_POLICY,
    )
