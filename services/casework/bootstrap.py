"""Casework's composition: its ``Deps`` (the policy gate, its own settings, the disclosure
client), built once per running service, and the parts the kernel runs (the servicer and the
consumed triage outcome)."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.casework.adapters import orm
from services.casework.adapters.disclosure_client import ChannelSecurity, DisclosureClient
from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain.events import REGISTRY
from services.casework.entrypoints.consumers import (
    on_age_band_changed,
    on_case_restriction_changed,
    on_case_triaged,
    on_subject_erased,
)
from services.casework.entrypoints.grpc_api import SERVICE, CaseworkServicer
from services.casework.service_layer import subject_data as casework_subject_data
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers import closing, roster_facts
from services.casework.settings import CaseworkSettings
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2_grpc
from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.service import GrpcService, Platform, ServiceDefinition, ServiceParts
from zorgtafel.kernel.subjectdata import servicer as subject_data

__all__ = ["Deps", "build", "make_deps"]


def make_deps(platform: Platform) -> Deps:
    settings = CaseworkSettings.from_settings(platform.settings)
    return Deps(
        policy=platform.policy,
        settings=settings,
        disclosure=DisclosureClient(
            settings.disclosure_address,
            security=ChannelSecurity.from_settings(platform.settings),
        ),
        roster=platform.roster,
    )


def build(platform: Platform) -> ServiceParts:
    deps = make_deps(platform)
    servicer = CaseworkServicer(deps, platform.uow_factory)
    return ServiceParts(
        grpc=(
            GrpcService(SERVICE, casework_pb2_grpc.add_CaseworkServiceServicer_to_server, servicer),
            # Issue #14: casework's part of the subject access report (a logged read).
            subject_data.grpc_service(platform, casework_subject_data.export),
        ),
        consumes={
            ev.TOPIC["intake"]: {
                ev.CASE_TRIAGED: partial(on_case_triaged, deps),
                ev.AGE_BAND_CHANGED: partial(on_age_band_changed, deps),
            },
            # 12.3: a process director whose designation ended directs no case any more (the
            # kernel's roster projection is applied first, by this handler).
            ev.TOPIC["governance"]: {
                ev.ROSTER_CHANGED: partial(roster_facts.on_roster_changed, deps),
            },
            ev.TOPIC["disclosure"]: {
                ev.SUBJECT_ERASED: partial(on_subject_erased, deps),
                ev.CASE_RESTRICTION_CHANGED: partial(on_case_restriction_changed, deps),
            },
        },
        # The RPCs that show case content and change nothing: the kernel logs each call (each
        # delivered message of WatchCase) before the reply leaves, allowed or refused. Every
        # other casework RPC is a command.
        reads=frozenset(
            {
                "GetCase",
                "GetPreReadSet",
                "GetMinutes",
                "ListOverdueActions",
                "ListCasesAwaitingDirector",
                "WatchCase",
            }
        ),
        retention=retention_tasks(platform),
    )


def retention_tasks(platform: Platform) -> tuple[RetentionTask, ...]:
    """Closed cases past their retention period (1.2) are purged on casework's own clock,
    through the same domain rule and repository as the Purge RPC."""
    from services.casework.service_layer.handlers import retention

    return (
        RetentionTask(
            "case_closed",
            closing.CASE_CLOSED,
            partial(retention.closed_cases_due, platform.uow_factory),
            partial(retention.purge_closed_case, platform.uow_factory),
        ),
    )


# -- what the kernel runs -----------------------------------------------------------------------
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="casework",
        metadata=orm.metadata,
        tables=orm.tables,
        versions_dir=VERSIONS,
        registry=REGISTRY,
        build=build,
        uow_class=CaseworkUnitOfWork,
        # Compiled at start (issue #16).
        policies=frozenset(
            {"zorgtafel.casework.act", "zorgtafel.casework.view", "zorgtafel.casework.invite"}
        ),
    )
