"""Governance's roster, as intake follows it beyond the kernel's projection: a process director
whose designation ended (revoked, or the party left the covenant, which ends its directors'
designations) directs nothing any more (12.3), so what that person took up and had not routed
goes back to the intake queue, as it stands, for another designated process director to take
up. Applied once by the kernel's consumer; applied again it finds nothing left to release."""

from __future__ import annotations

from services.intake.adapters.repository import NominationRepository
from services.intake.adapters.subject_links import PROCESS_DIRECTOR
from services.intake.service_layer.deps import Deps
from zorgtafel.contracts.governance import RosterChanged
from zorgtafel.kernel import roster
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import UnitOfWork

log = get_logger("zorgtafel.intake")


def on_roster_changed(deps: Deps, uow: UnitOfWork, event: InboundEvent) -> None:
    """The kernel's projection first (an end always applies there); then, for a process
    director's end, the nominations in that person's hands are back in the queue."""
    roster.on_roster_changed(uow, event)
    fact = event.typed(RosterChanged)
    if fact.function != PROCESS_DIRECTOR or fact.held:
        return
    released = NominationRepository(uow).release_director(fact.party, fact.person)
    if released:
        log.info("nominations_back_in_queue", party=fact.party, case_ids=released)
