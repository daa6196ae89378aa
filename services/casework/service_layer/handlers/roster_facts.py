"""Governance's roster, as casework follows it beyond the kernel's projection: a process
director whose designation ended (revoked, or the party left the covenant, which ends its
directors' designations) directs nothing any more (12.3), so the cases that person directed and
that are not closed stay open without a process director, for a designated one to take over.
Applied once by the kernel's consumer; applied again it finds nothing left to release."""

from __future__ import annotations

from services.casework.adapters.uow import CaseworkUnitOfWork
from services.casework.domain import events as ev
from services.casework.service_layer.deps import Deps
from zorgtafel.contracts.governance import RosterChanged
from zorgtafel.kernel import roster
from zorgtafel.kernel.events import InboundEvent
from zorgtafel.kernel.logging import get_logger

log = get_logger("zorgtafel.casework")

PROCESS_DIRECTOR = "process_director"


def on_roster_changed(deps: Deps, uow: CaseworkUnitOfWork, event: InboundEvent) -> None:
    """The kernel's projection first (an end always applies there); then, for a process
    director's end, each case in that person's hands has no process director any more (the
    time decided after the case's previous decision, as every change of who has a part)."""
    roster.on_roster_changed(uow, event)
    fact = event.typed(RosterChanged)
    if fact.function != PROCESS_DIRECTOR or fact.held:
        return
    released = uow.cases.directed_by(fact.party, fact.person)
    for case_id in released:
        case = uow.cases.get(case_id, for_update=True)
        if case is None:  # pragma: no cover - locked above
            continue
        at = case.director_left(deps.clock())
        uow.cases.save(case)
        # Disclosure and governance keep who directs a case: nobody, until it is taken over.
        uow.emit(
            ev.ProcessDirectorChanged(
                case_id=case_id,
                party=case.process_director_party,
                person="",
                changed_at=at.isoformat(),
            )
        )
    if released:
        log.info("cases_without_process_director", party=fact.party, case_ids=released)
