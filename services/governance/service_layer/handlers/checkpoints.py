"""Every service's signed access-log checkpoints, kept by governance (issue #15): checked with
the service's public key, stored once, a fork or a shrinking log raised as an alert, and given
to auditors for ``zorgtafel verify-log --checkpoint``."""

from __future__ import annotations

from dataclasses import replace

from services.governance.adapters.repository import CheckpointRepository
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.checkpoints import (
    CheckpointStatus,
    ReceivedCheckpoint,
    alert_for,
    malformed,
    service_of,
    truncated,
)
from services.governance.service_layer.deps import Deps
from zorgtafel.contracts.accesslog import AccessLogCheckpointed
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.events import InboundEvent


def _signature_problem(deps: Deps, cp: ReceivedCheckpoint) -> str | None:
    """Why the signature does not hold (a reason code), or None when a configured key of the
    log's service signed it."""
    keys = deps.log_keys.get(service_of(cp.log_id) or "", ())
    if not keys:
        return "no_key_for_service"
    if not any(k.key_id == cp.key_id for k in keys):
        return "unknown_key"
    signed = Checkpoint(
        cp.log_id,
        cp.size,
        bytes.fromhex(cp.root),
        cp.signed_at,
        cp.key_id,
        bytes.fromhex(cp.signature),
    )
    return None if any(k.verifies(signed) for k in keys) else "bad_signature"


def checkpoint_received(deps: Deps, uow: GovernanceUnitOfWork, event: InboundEvent) -> None:
    """Consumer of ``ACCESS_LOG_CHECKPOINTED``: one row per signed checkpoint (a redelivery finds
    its row and changes nothing). An unverifiable one is stored as rejected with its reason,
    never dropped and never trusted; a verified one contradicting an earlier one (fork, shrink)
    is stored flagged and raises an alert."""
    e = event.typed(AccessLogCheckpointed)
    cp = ReceivedCheckpoint(e.log_id, e.size, e.root, e.signed_at, e.key_id, e.signature)
    reason = malformed(cp)
    if reason is None:
        reason = _signature_problem(deps, cp)
    if reason is not None:
        cp = truncated(replace(cp, status=CheckpointStatus.REJECTED, reason=reason))
        if uow.checkpoints.get(cp.log_id, cp.size, cp.root, cp.signature) is None:
            uow.checkpoints.add(cp, deps.now())
            deps.alerts.rejection(cp.log_id, cp.size, reason)
        return
    if uow.checkpoints.get(cp.log_id, cp.size, cp.root, cp.signature) is not None:
        return  # delivered again
    alert = alert_for(cp, uow.checkpoints.verified_from(cp.log_id, cp.size))
    uow.checkpoints.add(replace(cp, alert=alert), deps.now())
    if alert is not None:
        deps.alerts.contradiction(cp.log_id, cp.size, alert.value)


def export(checkpoints: CheckpointRepository, log_id: str) -> list[dict[str, object]]:
    """The log's verified checkpoints, smallest first, as the published events' data: the file
    ``zorgtafel verify-log --checkpoint`` reads. A forked size gives both roots (the verifier
    then reports the contradiction); rejected checkpoints are never handed out as trusted."""
    if service_of(log_id) is None:
        raise InvalidArgument("log_id", "required: zorgtafel.<service>.accesslog")
    return [cp.data() for cp in checkpoints.of_log(log_id)]
