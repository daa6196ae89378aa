"""Intake's composition: ``build(platform)`` makes the handlers' dependencies once and wires
the servicer, the consumed casework facts and the start-up hook that creates the pseudonym key.
Its own settings (the probing limit and window) are in ``settings``."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from services.intake.adapters import orm
from services.intake.adapters.pseudonyms import PseudonymKey
from services.intake.adapters.uow import IntakeUnitOfWork
from services.intake.domain.events import REGISTRY
from services.intake.service_layer.deps import Deps
from services.intake.settings import IntakeSettings
from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.service import GrpcService, Platform, ServiceDefinition, ServiceParts

SERVICE_NAME = "zorgtafel.intake.v1.IntakeService"

__all__ = ["Deps", "SERVICE_NAME", "build", "make_deps"]


def make_deps(platform: Platform) -> Deps:
    """The handlers' dependencies (the handler tests build them from a test platform)."""
    return Deps(
        policy=platform.policy,
        pseudonyms=PseudonymKey(platform.keyring),
        roster=platform.roster,
        settings=IntakeSettings.from_settings(platform.settings),
    )


def build(platform: Platform) -> ServiceParts:
    from services.intake.entrypoints.grpc_api import IntakeServicer
    from services.intake.service_layer import subject_data as intake_subject_data
    from services.intake.service_layer.handlers import casework_facts, roster_facts
    from zorgtafel.contracts import events as ev
    from zorgtafel.generated.intake.v1 import intake_pb2_grpc
    from zorgtafel.kernel.commands import Commands
    from zorgtafel.kernel.subjectdata import servicer as subject_data

    deps = make_deps(platform)
    servicer = IntakeServicer(
        deps, platform.uow_factory, Commands(platform.uow_factory, SERVICE_NAME)
    )
    return ServiceParts(
        grpc=(
            GrpcService(
                SERVICE_NAME, intake_pb2_grpc.add_IntakeServiceServicer_to_server, servicer
            ),
            # Issue #14: intake's part of the subject access report (a logged read).
            subject_data.grpc_service(platform, intake_subject_data.export),
        ),
        consumes={
            ev.TOPIC["casework"]: {
                ev.CASE_PURGED: partial(casework_facts.on_case_purged, deps),
                ev.CASE_CLOSED: partial(casework_facts.on_case_closed, deps),
            },
            # 12.3: a process director whose designation ended directs nothing any more (the
            # kernel's roster projection is applied first, by this handler).
            ev.TOPIC["governance"]: {
                ev.ROSTER_CHANGED: partial(roster_facts.on_roster_changed, deps),
            },
            ev.TOPIC["disclosure"]: {
                ev.SUBJECT_ERASED: partial(casework_facts.on_subject_erased, deps),
                ev.CASE_RESTRICTION_CHANGED: partial(
                    casework_facts.on_case_restriction_changed, deps
                ),
                ev.SUBJECT_CONSENT_CHANGED: partial(
                    casework_facts.on_subject_consent_changed, deps
                ),
            },
        },
        on_start=(partial(deps.pseudonyms.ensure, platform.uow_factory),),
        # What lets the subject's identity, the case or the triage question out without changing
        # anything (and the managers' probing flags, which name employees; the process
        # director's worklist, which names the cases shown): the kernel logs each call. Writes
        # are not declared: Nominate, Assess, StartTriage, AnswerTriage, DecideRouting,
        # WithdrawNomination and RecordSafetyOverride change the nomination.
        reads=frozenset(
            {"GetNomination", "GetTriageQuestion", "ListProbingFlags", "ListNominations"}
        ),
        retention=retention_tasks(platform),
    )


def retention_tasks(platform: Platform) -> tuple[RetentionTask, ...]:
    """What intake does on its own clock: forget nominations that ended without a case after
    their period, drop the triage round of a routed case after its period, and let the consent age band follow the subject's birthday (Bijlage 3)."""
    from services.intake.domain.retention import NOMINATION_ENDED, TRIAGE_ROUND
    from services.intake.service_layer.handlers import retention as r

    uows = platform.uow_factory
    return (
        RetentionTask(
            "nomination_ended",
            NOMINATION_ENDED,
            partial(r.ended_nominations_due, uows),
            partial(r.forget_nomination, uows),
        ),
        RetentionTask(
            "triage_round",
            TRIAGE_ROUND,
            partial(r.triage_rounds_due, uows),
            partial(r.drop_triage_round, uows),
        ),
        RetentionTask(
            "age_band", "", partial(r.age_bands_due, uows), partial(r.follow_age_band, uows)
        ),
        # GDPR art. 18(2): a nomination casework purged while restricted here goes at the
        # first tick after the lifting (no period of its own).
        RetentionTask(
            "purge_held_by_a_restriction",
            "",
            partial(r.held_purges_due, uows),
            partial(r.purge_held, uows),
        ),
    )


# -- what the kernel runs -----------------------------------------------------------------------
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="intake",
        metadata=orm.metadata,
        tables=orm.tables,
        versions_dir=VERSIONS,
        registry=REGISTRY,
        build=build,
        uow_class=IntakeUnitOfWork,
        # Compiled at start (issue #16); the criteria, the access rules and who is invited.
        policies=frozenset(
            {"zorgtafel.intake.criteria", "zorgtafel.intake.access", "zorgtafel.casework.invite"}
        ),
    )
