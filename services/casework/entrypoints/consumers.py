"""Events casework consumes: intake's triage outcome opens a case (routing ``case_meeting``);
governance's party events keep the party-status projection current (the kernel's handlers)."""

from __future__ import annotations

from services.casework.service_layer import handlers
from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.schema import party_status_consumption

log = get_logger(__name__)

CASE_MEETING = "case_meeting"


def on_case_triaged(uow, event: InboundEvent) -> None:
    """Only a case routed to a case meeting becomes a Zorgtafel case here; regular care and a
    direct ZVH routing stay with intake (DOMAIN.md, triage)."""
    if event.data.get("routing") != CASE_MEETING:
        return
    cmd = handlers.open_case_command(event.data)
    if handlers.open_case(uow, cmd):
        log.info("case_opened", case_id=cmd.case_id)


def consumption() -> dict:
    consumes = {ev.TOPIC["intake"]: {ev.CASE_TRIAGED: on_case_triaged}}
    consumes.update(party_status_consumption())
    return consumes
