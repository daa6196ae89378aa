"""Events governance consumes: casework's and disclosure's facts for the annual report (art.
11.3d, counters only), and casework's purge (every service forgets the case's id)."""

from __future__ import annotations

from services.governance.service_layer import handlers
from zorgtafel.contracts import events as ev


def count(uow, event) -> None:
    handlers.count_event(uow, event)


def purge(uow, event) -> None:
    handlers.forget_case(uow, str(event.data.get("case_id") or ""))


CONSUMES = {
    ev.TOPIC["casework"]: {ev.CASE_OPENED: count, ev.CASE_CLOSED: count,
                           ev.CASE_ESCALATED: count, ev.CASE_PURGED: purge},
    ev.TOPIC["disclosure"]: {ev.DISCLOSURE_DECIDED: count},
}
