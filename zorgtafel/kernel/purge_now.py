"""``zorgtafel purge [--dry-run] [--service S]``: one retention tick now, outside the running
service (an operator's or a policy owner's check of what the retention periods remove).

The service is built as the kernel builds it (``bootstrap.offline``: its database as
configured by the same ``ZORGTAFEL_*`` variables, the policy engine, the key ring) but nothing
is served and nothing is migrated. A real tick takes the same leader lock as the running
replicas and writes its events to the outbox, which the running service's relay publishes. The
report holds kinds, counts and ids: never personal data.
"""

from __future__ import annotations

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.scheduler import TickReport


def run_once(settings: Settings, *, dry_run: bool) -> TickReport | None:
    """The service's tick (or its plan with ``dry_run``); None when it has no retention task."""
    from zorgtafel.kernel.bootstrap import make_retention_scheduler, offline

    with offline(settings) as (built, parts):
        scheduler = make_retention_scheduler(
            settings,
            parts.retention,
            built.platform.policy,
            built.engine,
            access_log=built.platform.uow_factory,
        )
        if scheduler is None:
            return None
        return scheduler.plan() if dry_run else scheduler.tick()
