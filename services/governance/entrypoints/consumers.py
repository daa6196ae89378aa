"""Events governance consumes: casework's and disclosure's facts for the annual report (art.
11.3d, counters only), casework's purge (every service forgets the case's id) and every
service's signed access-log checkpoints (issue #15) and enforced policy revision (issue #17),
each on its service's own topic, governance's own included (one path for all four)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers import checkpoints, policy_revisions, report
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.consumer import Handler


def consumes(deps: Deps) -> Mapping[str, Mapping[str, Handler]]:
    """topic -> {event type -> handler(uow, event)}, the handlers bound to ``deps``."""
    count = partial(report.count_event, deps)
    checkpoint = {
        ev.ACCESS_LOG_CHECKPOINTED: partial(checkpoints.checkpoint_received, deps),
        # issue #17: which service instance enforces which policy revision
        ev.POLICY_REVISION_ENFORCED: partial(policy_revisions.revision_enforced, deps),
    }
    consumed: dict[str, dict[str, Handler]] = {
        topic: dict(checkpoint) for topic in ev.TOPIC.values()
    }
    consumed[ev.TOPIC["casework"]].update(
        {
            ev.CASE_OPENED: count,
            ev.CASE_CLOSED: count,
            ev.CASE_ESCALATED: count,
            ev.CASE_PURGED: partial(report.case_purged, deps),
        }
    )
    consumed[ev.TOPIC["disclosure"]][ev.DISCLOSURE_DECIDED] = count
    return consumed
