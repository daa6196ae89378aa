"""Governance's composition: what its handlers depend on (``Deps``, built once here) and the parts
the kernel runs (``build``): the servicer, consumed events, the withdrawal timer, seeding (with the
release's baseline policy bundle), the signed OPA bundle route, the production policy-revision check and governance's own party status."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.governance.adapters import orm
from services.governance.adapters.bundles import bundle_revision, strict_check
from services.governance.adapters.logkeys import public_keys
from services.governance.adapters.signer import BundleSigner
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.events import REGISTRY
from services.governance.service_layer.deps import Deps
from services.governance.settings import GovernanceSettings
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.service import Platform, ServiceDefinition, ServiceParts
from zorgtafel.policy.bundle import build_bytes

__all__ = ["Deps", "build", "make_deps"]


def make_deps(platform: Platform) -> Deps:
    return Deps(
        policy=platform.policy,
        settings=GovernanceSettings.from_settings(platform.settings),
        bundle_revision=bundle_revision,
        check_bundle=strict_check,
        log_keys=public_keys(platform.settings),
    )


def build(platform: Platform) -> ServiceParts:
    from services.governance.adapters.seed import covenant_bodies, covenant_parties
    from services.governance.entrypoints.consumers import consumes
    from services.governance.entrypoints.grpc_api import SERVICE, GovernanceServicer
    from services.governance.entrypoints.ops import (
        bundle_routes,
        checkpoint_metrics_route,
        policy_revision_check,
        routes,
    )
    from services.governance.service_layer import seeding
    from services.governance.service_layer import subject_data as governance_subject_data
    from services.governance.service_layer.handlers import membership, parties, retention
    from zorgtafel.generated.governance.v1 import governance_pb2_grpc
    from zorgtafel.kernel.scheduler import RetentionTask
    from zorgtafel.kernel.service import GrpcService, Periodic
    from zorgtafel.kernel.subjectdata import servicer as subject_data

    deps = make_deps(platform)
    uow_factory = platform.uow_factory

    signer = BundleSigner.from_settings(platform.settings)

    def seed() -> None:
        seeding.seed_parties(uow_factory, covenant_parties())
        seeding.seed_seats(uow_factory, covenant_bodies())
        # The release's baseline: the policies shipped with this build (one source of truth,
        # built reproducibly, so every replica records the same revision).
        seeding.seed_baseline(
            uow_factory, lambda: build_bytes(platform.settings.policy_dir), deps.now
        )

    def apply_due_withdrawals() -> None:
        """Withdrawals take effect when the amendment does (art. 21.3): at start-up and on a
        timer."""
        with uow_factory() as uow:
            membership.apply_due_withdrawals(uow, deps.now())

    def party_status(party_id: str) -> str:
        # Governance reads its own parties table: an exclusion is effective here at once (23.2).
        with uow_factory() as uow:
            return parties.party_status(uow, party_id)

    health_checks = (
        {"policy_revision": policy_revision_check(uow_factory, platform.policy)}
        if deps.settings.production
        else {}
    )
    return ServiceParts(
        grpc=(
            GrpcService(
                SERVICE,
                governance_pb2_grpc.add_GovernanceServiceServicer_to_server,
                GovernanceServicer(uow_factory, deps),
            ),
            # Issue #14: asked for the subject access report, governance says it holds nothing.
            subject_data.grpc_service(platform, governance_subject_data.export),
        ),
        consumes=consumes(deps),
        # A purge it cannot apply keeps a dispute's link to the case a while longer (alerted:
        # ZorgtafelRevocationBlocked) but grants no one anything; NOT_SERVING here would stop
        # the policy bundles of every service (ADR 0012). Casework's other revoking facts
        # narrow here only who raises or reads a dispute about the case (case_facts): waiting
        # on one keeps a party's part in that a while longer, alerted alike, which weighs less
        # than every service's policy and governance's own votes and parties.
        ready_despite=frozenset(
            {
                ev.CASE_PURGED,
                ev.CASE_CLOSED,
                ev.ROLES_SET,
                ev.DIRECTOR_APPOINTED,
                ev.PROCESS_DIRECTOR_CHANGED,
                ev.DELEGATE_RELEASED,
                ev.CASE_RESTATED,
            }
        ),
        tasks=(Periodic("withdrawals", deps.settings.withdrawal_tick_s, apply_due_withdrawals),),
        # The marker of a purged case (its parties' ids) goes after its retention period (1.2;
        # kind purged_case_marker): then the purged id answers as one never given out.
        retention=(
            RetentionTask(
                retention.PURGED_CASE_MARKER,
                retention.PURGED_CASE_MARKER,
                partial(retention.purge_markers_due, uow_factory),
                partial(retention.drop_purge_marker, uow_factory),
            ),
        ),
        on_start=(seed, apply_due_withdrawals),
        ops_routes=routes(
            bundle_routes(uow_factory, signer), checkpoint_metrics_route(deps.alerts)
        ),
        party_status=party_status,
        health_checks=health_checks,
        reads=READS,
    )


# Every RPC that answers without changing anything. Governance holds no dossiers, but its
# replies name persons (seat holders, delegates, process directors, a dispute's registrant's
# party) and a dispute may name a case: the covenant asks for every look to be logged, so the
# kernel logs each call before its reply leaves (the handlers say what was seen, ``saw``).
READS = frozenset(
    {
        "ListParties",
        "GetParty",
        "GetPartyHistory",
        "ListBodies",
        "ListSeats",
        "ListProcessDirectors",
        "GetMeeting",
        "GetProposal",
        "GetAccession",
        "GetDispute",
        "GetAdoptedPolicyRevision",
        "ListPolicyRevisions",
        "AnnualReport",
        "ExportAnnualReport",
    }
)


# -- what the kernel runs -----------------------------------------------------------------------
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="governance",
        metadata=orm.metadata,
        tables=orm.tables,
        versions_dir=VERSIONS,
        registry=REGISTRY,
        build=build,
        uow_class=GovernanceUnitOfWork,
        policies=frozenset({"zorgtafel.governance"}),  # compiled at start (issue #16)
    )
