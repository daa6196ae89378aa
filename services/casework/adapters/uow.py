"""The casework unit of work: the case repository, and a timeline entry written for every
published fact in the same transaction (what WatchCase reads)."""

from __future__ import annotations

from services.casework.adapters.repository import CaseKeys, CaseRepository
from services.casework.domain.timeline import entry_for
from zorgtafel.kernel.events import DomainEvent
from zorgtafel.kernel.uow import UnitOfWork, utcnow


class Runtime:
    """What one running casework needs beyond its database, filled when the kernel builds it
    (one per service definition, so two services in one process never share it)."""

    def __init__(self) -> None:
        self.keyring = None
        self.policy = None
        self.settings = None
        self.disclosure = None
        self.party_status = None


class CaseworkUnitOfWork(UnitOfWork):
    runtime: Runtime = Runtime()
    cases: CaseRepository

    def _attach(self, session) -> None:
        self.cases = CaseRepository(session, CaseKeys(self.runtime.keyring))

    def emit(self, *events: DomainEvent) -> None:
        super().emit(*events)
        now = utcnow()
        for event in events:
            entry = entry_for(event)
            if entry is not None:
                kind, parties, details = entry
                self.cases.add_timeline(event.case_id, kind, parties, details, now)


def bound_uow_class(runtime: Runtime) -> type[CaseworkUnitOfWork]:
    return type("BoundCaseworkUnitOfWork", (CaseworkUnitOfWork,), {"runtime": runtime})
