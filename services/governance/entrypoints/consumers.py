"""Events governance consumes: casework's and disclosure's facts for the annual report (art.
11.3d, counters only), and casework's purge (every service forgets the case's id)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from services.governance.service_layer.deps import Deps
from services.governance.service_layer.handlers import report
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.consumer import Handler


def consumes(deps: Deps) -> Mapping[str, Mapping[str, Handler]]:
    """topic -> {event type -> handler(uow, event)}, the handlers bound to ``deps``."""
    count = partial(report.count_event, deps)
    return {
        ev.TOPIC["casework"]: {
            ev.CASE_OPENED: count,
            ev.CASE_CLOSED: count,
            ev.CASE_ESCALATED: count,
            ev.CASE_PURGED: partial(report.case_purged, deps),
        },
        ev.TOPIC["disclosure"]: {ev.DISCLOSURE_DECIDED: count},
    }
