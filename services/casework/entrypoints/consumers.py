"""Events casework consumes: intake's triage outcome opens a case (routing ``case_meeting``).
(The kernel keeps the party-status projection current from governance's events itself.)"""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.service_layer.deps import Deps
from services.casework.service_layer.handlers import opening
from zorgtafel.contracts.intake import CaseTriaged
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)

CASE_MEETING = "case_meeting"


def on_case_triaged(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """Only a case routed to a case meeting becomes a Zorgtafel case here; regular care and a
    direct ZVH routing stay with intake (DOMAIN.md, triage)."""
    triaged = event.typed(CaseTriaged)
    if triaged.routing != CASE_MEETING:
        return
    cmd = opening.open_case_command(triaged)
    if opening.open_case(uow, cmd):
        log.info("case_opened", case_id=cmd.case_id)
