"""Governance as the kernel runs it: tables, events, servicers, consumers, seeding, the
policy bundle service and the production policy-revision check."""

from __future__ import annotations

import threading
from pathlib import Path

from flask import Response, request
from sqlalchemy.exc import IntegrityError

from services.governance.adapters import orm
from services.governance.adapters.bundles import bundle_revision
from services.governance.adapters.seed import covenant_bodies, covenant_parties
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.commands import RegisterParty
from services.governance.domain.events import REGISTRY
from services.governance.entrypoints.consumers import CONSUMES
from services.governance.entrypoints.grpc_api import GovernanceServicer
from services.governance.service_layer import handlers
from zorgtafel.governance.v1 import governance_pb2, governance_pb2_grpc
from zorgtafel.kernel.errors import PermissionDenied, Unavailable
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.service import ServiceDefinition
from zorgtafel.kernel.uow import utcnow

VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"
POLICY = "zorgtafel.governance"
BUNDLE_PATH = "/bundles/zorgtafel.tar.gz"
WITHDRAWAL_TICK_S = 30.0

log = get_logger(__name__)


def _authoriser(app):
    """Ask ``zorgtafel.governance`` whether this person may do this (fail closed)."""
    def authorise(action: str, facts: dict) -> None:
        policy_input = {"action": action, **facts}
        try:
            decision = app.policy.decide(POLICY, policy_input)
        except Exception as exc:  # noqa: BLE001 - an engine failure is a deny (fail closed)
            log.warning("policy_unavailable", policy=POLICY, action=action,
                        error_type=type(exc).__name__)
            raise Unavailable("policy engine unavailable: denied (fail closed)") from exc
        if decision.allow is not True:
            raise PermissionDenied(decision.reasons, decision.decision_id, decision.revision,
                                   policy=POLICY)
    return authorise


def ports(app) -> handlers.Ports:
    return handlers.Ports(authorise=_authoriser(app), bundle_revision=bundle_revision)


def _register_grpc(server, app) -> list[str]:
    governance_pb2_grpc.add_GovernanceServiceServicer_to_server(
        GovernanceServicer(app.uow_factory, ports(app)), server)
    return [governance_pb2.DESCRIPTOR.services_by_name["GovernanceService"].full_name]


def _party_status(app):
    # Governance reads its own parties table: an exclusion is effective here at once (23.2).
    def lookup(party_id: str) -> str:
        with app.uow_factory() as uow:
            return handlers.party_status(uow, party_id)
    return lookup


# -- OPA bundle service API (art. 6.6c, 11.3a: only adopted revisions are served) -------------

def latest_adopted(app) -> tuple[str, bytes] | None:
    with app.uow_factory() as uow:
        r = handlers.latest_policy_revision(uow)
        return (r.revision, bytes(r.bundle)) if r else None


def _ops_routes(flask_app, app) -> None:
    @flask_app.get(BUNDLE_PATH)
    def policy_bundle():
        adopted = latest_adopted(app)
        if adopted is None:
            return Response("no adopted policy revision\n", status=404, mimetype="text/plain")
        revision, data = adopted
        headers = {"ETag": f'"{revision}"', "Cache-Control": "no-cache"}
        if request.if_none_match and request.if_none_match.contains(revision):
            return Response(status=304, headers=headers)
        return Response(data, mimetype="application/gzip", headers=headers)


def policy_revision_check(app):
    """Production: the revision this service enforces must be the latest adopted one; until it
    is, readiness fails (so no traffic reaches a pod enforcing an unadopted policy)."""
    def check() -> bool:
        adopted = latest_adopted(app)
        return adopted is not None and adopted[0] == app.policy.revision
    return check


# -- start-up ---------------------------------------------------------------------------------

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


def seed_seats(app) -> int:
    try:
        with app.uow_factory() as uow:
            return handlers.seed_seats(uow, covenant_bodies())
    except IntegrityError:
        return 0  # another replica seeded them first


def _withdrawal_ticker(app) -> None:
    """Withdrawals take effect when the amendment does (art. 21.3): applied on a timer."""
    stopped = app._stopped

    def run() -> None:
        while not stopped.wait(float(app.settings.extra.get("withdrawal_tick_s",
                                                            WITHDRAWAL_TICK_S))):
            try:
                with app.uow_factory() as uow:
                    if handlers.apply_due_withdrawals(uow, utcnow()):
                        app.relay.wake()
            except Exception as exc:  # noqa: BLE001 - retried on the next tick
                log.warning("withdrawal_tick_failed", error_type=type(exc).__name__)
    threading.Thread(target=run, name="governance-withdrawals", daemon=True).start()


def on_start(app) -> None:
    seed_parties(app)
    seed_seats(app)
    with app.uow_factory() as uow:
        if handlers.apply_due_withdrawals(uow, utcnow()):
            app.relay.wake()
    _withdrawal_ticker(app)
    if app.settings.production:
        app.monitor.add_check("policy_revision", policy_revision_check(app))


def definition() -> ServiceDefinition:
    orm.start_mappers()
    return ServiceDefinition(
        name="governance", metadata=orm.metadata, tables=orm.tables, versions_dir=VERSIONS,
        registry=REGISTRY, uow_class=GovernanceUnitOfWork, register_grpc=_register_grpc,
        consumes=CONSUMES, ops_routes=_ops_routes, party_status=_party_status,
        on_start=on_start)
