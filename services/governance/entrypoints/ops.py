"""Governance's ops routes and readiness check: the OPA bundle service API (art. 6.6c, 11.3a:
only adopted revisions are served, or the release's baseline before the first adoption, always
signed) and, in production, "the enforced policy revision is the
latest adopted one"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from flask import Flask, Response, request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.governance.adapters.alerts import CheckpointAlerts
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.service_layer.handlers.policy_revisions import latest_adopted

BUNDLE_PATH = "/bundles/zorgtafel.tar.gz"
# The checkpoint alerts' counters (``zorgtafel_access_log_fork_total``): the kernel's /metrics
# serves only the kernel's own registry, which a service cannot add to.
CHECKPOINT_METRICS_PATH = "/metrics/access-log"


class Enforcing(Protocol):
    """Whatever enforces a policy revision (the kernel's policy gate, or an engine)."""

    @property
    def revision(self) -> str: ...


def _latest(uow_factory: Callable[[], GovernanceUnitOfWork]) -> tuple[str, bytes] | None:
    with uow_factory() as uow:
        return latest_adopted(uow)


class Signing(Protocol):
    def signed(self, revision: str, bundle: bytes) -> bytes: ...


def bundle_routes(
    uow_factory: Callable[[], GovernanceUnitOfWork], signer: Signing
) -> Callable[[Flask], None]:
    """The latest revision in force (the baseline before the first adoption), signed with
    governance's key (OPA's ``.signatures.json``): sidecars verify it before they load it."""

    def add(flask_app: Flask) -> None:
        @flask_app.get(BUNDLE_PATH)
        def policy_bundle() -> Any:
            adopted = _latest(uow_factory)
            if adopted is None:
                return Response("no adopted policy revision\n", status=404, mimetype="text/plain")
            revision, data = adopted
            headers = {"ETag": f'"{revision}"', "Cache-Control": "no-cache"}
            if request.if_none_match and request.if_none_match.contains(revision):
                return Response(status=304, headers=headers)
            return Response(
                signer.signed(revision, data), mimetype="application/gzip", headers=headers
            )

    return add


def policy_revision_check(
    uow_factory: Callable[[], GovernanceUnitOfWork], policy: Enforcing
) -> Callable[[], bool]:
    """Production: the revision this service enforces must be the latest adopted one; until it
    is, readiness fails (so no traffic reaches a pod enforcing an unadopted policy)."""

    def check() -> bool:
        adopted = _latest(uow_factory)
        return adopted is not None and adopted[0] == policy.revision

    return check


def checkpoint_metrics_route(alerts: CheckpointAlerts) -> Callable[[Flask], None]:
    def add(flask_app: Flask) -> None:
        @flask_app.get(CHECKPOINT_METRICS_PATH)
        def checkpoint_metrics() -> Any:
            return Response(generate_latest(alerts.registry), mimetype=CONTENT_TYPE_LATEST)

    return add


def routes(*adders: Callable[[Flask], None]) -> Callable[[Flask], None]:
    def add(flask_app: Flask) -> None:
        for adder in adders:
            adder(flask_app)

    return add
