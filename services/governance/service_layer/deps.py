"""What governance's handlers depend on beyond the unit of work, built once per running
service by ``services.governance.bootstrap.make_deps``. It lives in the service layer so that
the handlers' signatures name it without importing the composition root (arrows point
inward)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from services.governance.adapters.alerts import CheckpointAlerts
from services.governance.settings import GovernanceSettings
from zorgtafel.kernel.accesslog.checkpoint import PublicKey
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.uow import utcnow


@dataclass(frozen=True)
class Deps:
    policy: PolicyGate  # asks zorgtafel.governance, obeys
    settings: GovernanceSettings
    # bundle bytes -> its revision; INVALID_ARGUMENT when it is not a well-formed bundle.
    bundle_revision: Callable[[bytes], str]
    # the strict policy check of a well-formed bundle; INVALID_ARGUMENT with its findings.
    check_bundle: Callable[[bytes], None]
    now: Callable[[], datetime] = utcnow
    # service -> the public keys its access-log checkpoints may be signed by (issue #15).
    log_keys: Mapping[str, tuple[PublicKey, ...]] = field(default_factory=dict)
    alerts: CheckpointAlerts = field(default_factory=CheckpointAlerts)
