"""Events governance consumes: casework's and disclosure's facts for the annual report (art.
11.3d, counters only), casework's facts of who has a part in a case a dispute may name (art.
8.4c, 13.4: ``handlers/case_facts``), casework's purge (every service forgets the case) and every
service's signed access-log checkpoints (issue #15) and enforced policy revision (issue #17),
each on its service's own topic, governance's own included (one path for all four)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers import (
    case_facts,
    checkpoints,
    policy_revisions,
    report,
)
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.consumer import Handler
from zorgtafel.kernel.events import InboundEvent


def _both(*handlers: Handler) -> Handler:
    """One event, several consumers of it in one transaction (counted and projected)."""

    def handle(uow, event: InboundEvent) -> None:  # noqa: ANN001 - the kernel's unit of work
        for handler in handlers:
            handler(uow, event)

    return handle


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

    # The facts of a case a dispute may name (art. 8.4c, 12.3, 13.1, 13.4): who has a part in it.
    def facts(handler) -> Handler:  # noqa: ANN001
        return partial(handler, deps)

    consumed[ev.TOPIC["casework"]].update(
        {
            ev.CASE_OPENED: _both(count, facts(case_facts.on_case_opened)),
            ev.MEETING_SCHEDULED: facts(case_facts.on_meeting_scheduled),
            ev.MEETING_HELD: facts(case_facts.on_meeting_held),
            ev.ROLES_SET: facts(case_facts.on_roles_set),
            ev.DIRECTOR_APPOINTED: facts(case_facts.on_director_appointed),
            ev.PROCESS_DIRECTOR_CHANGED: facts(case_facts.on_process_director_changed),
            ev.DELEGATE_NAMED: facts(case_facts.on_delegate_named),
            ev.DELEGATE_RELEASED: facts(case_facts.on_delegate_released),
            ev.CASE_CLOSED: _both(count, facts(case_facts.on_case_closed)),
            ev.CASE_ESCALATED: count,
            ev.CASE_PURGED: facts(case_facts.on_case_purged),
            # an operator's restatement after an upgrade (zorgtafel restate-cases)
            ev.CASE_RESTATED: facts(case_facts.on_case_restated),
        }
    )
    consumed[ev.TOPIC["disclosure"]][ev.DISCLOSURE_DECIDED] = count
    return consumed
