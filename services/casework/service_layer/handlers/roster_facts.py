"""Governance's roster, as casework follows it beyond the kernel's projection: a process
director whose designation ended (revoked, or the party left the covenant, which ends its
directors' designations) directs nothing any more (12.3), so the cases that person directed and
that are not closed stay open without a process director, for a designated one to take over.
Applied once by the kernel's consumer; applied again it finds nothing left to release."""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.service_layer.deps import Deps
from zorgtafel.contracts.governance import RosterChanged
from zorgtafel.kernel import roster
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.uow import utcnow

log = get_logger("zorgtafel.casework")

PROCESS_DIRECTOR = "process_director"


def on_roster_changed(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """The kernel's projection first (an end always applies there); then, for a process
    director's end, the cases in that person's hands have no process director any more."""
    roster.on_roster_changed(uow, event)
    fact = event.typed(RosterChanged)
    if fact.function != PROCESS_DIRECTOR or fact.held:
        return
    released = uow.cases.release_director(fact.party, fact.person, utcnow())
    if released:
        log.info("cases_without_process_director", party=fact.party, case_ids=released)
