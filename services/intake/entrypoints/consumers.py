"""Facts intake consumes, applied exactly once by the kernel's consumer."""

from __future__ import annotations

from services.intake.service_layer import handlers
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.uow import UnitOfWork


def on_case_purged(uow: UnitOfWork, event: InboundEvent) -> None:
    """casework purged the case (1.2: the dossier finally disappears): erase intake's copy,
    identity ciphertexts, triage answers, stored responses and events, and destroy its key."""
    case_id = str(event.data.get("case_id") or "")
    if case_id:
        handlers.purge_case(uow, case_id)


def on_case_closed(uow: UnitOfWork, event: InboundEvent) -> None:
    """The case is closed in casework: the subject no longer has an open nomination."""
    case_id = str(event.data.get("case_id") or "")
    if case_id:
        handlers.close_case(uow, case_id)


CASEWORK_HANDLERS = {ev.CASE_PURGED: on_case_purged, ev.CASE_CLOSED: on_case_closed}
