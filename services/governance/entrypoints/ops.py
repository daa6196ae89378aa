"""Governance's ops routes and readiness check: the OPA bundle service API (art. 6.6c, 11.3a:
only adopted revisions are served, or the release's baseline before the first adoption, always
signed) and, in production, "the enforced policy revision is the
latest adopted one"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from services.governance.adapters.alerts import CheckpointAlerts
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.service_layer.handlers.policy_revisions import latest_adopted
from zorgtafel.kernel.ops import OpsRequest, OpsResponse, Route

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
) -> Mapping[str, Route]:
    """The latest revision in force (the baseline before the first adoption), signed with
    governance's key (OPA's ``.signatures.json``): sidecars verify it before they load it."""

    def policy_bundle(request: OpsRequest) -> OpsResponse:
        adopted = _latest(uow_factory)
        if adopted is None:
            return OpsResponse(b"no adopted policy revision\n", 404)
        revision, data = adopted
        etag = f'"{revision}"'
        headers = (("ETag", etag), ("Cache-Control", "no-cache"))
        if request.etag_matches(etag):
            return OpsResponse(status=304, headers=headers)
        return OpsResponse(signer.signed(revision, data), 200, "application/gzip", headers)

    return {BUNDLE_PATH: policy_bundle}


def policy_revision_check(
    uow_factory: Callable[[], GovernanceUnitOfWork], policy: Enforcing
) -> Callable[[], bool]:
    """Production: the revision this service enforces must be the latest adopted one; until it
    is, readiness fails (so no traffic reaches a pod enforcing an unadopted policy)."""

    def check() -> bool:
        adopted = _latest(uow_factory)
        return adopted is not None and adopted[0] == policy.revision

    return check


def checkpoint_metrics_route(alerts: CheckpointAlerts) -> Mapping[str, Route]:
    def checkpoint_metrics(_request: OpsRequest) -> OpsResponse:
        return OpsResponse(generate_latest(alerts.registry), 200, CONTENT_TYPE_LATEST)

    return {CHECKPOINT_METRICS_PATH: checkpoint_metrics}


def routes(*tables: Mapping[str, Route]) -> Mapping[str, Route]:
    merged: dict[str, Route] = {}
    for table in tables:
        merged.update(table)
    return merged
