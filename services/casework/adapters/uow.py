"""The casework unit of work: the case repository (sealing under the kernel's per-case data
keys, ``self.keys``), and a timeline entry written for every published fact in the same
transaction (what WatchCase reads)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table

from services.casework.adapters.orm import cases
from services.casework.adapters.repository import CaseRepository
from services.casework.domain.timeline import entry_for
from zorgtafel.kernel.accesslog.prune import held_while_restricted
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.events import DomainEvent
from zorgtafel.kernel.uow import UnitOfWork, utcnow


class CaseworkUnitOfWork(UnitOfWork):
    keys: CaseKeys
    cases: CaseRepository

    def _attach(self, session) -> None:
        self.cases = CaseRepository(session, self.keys)

    def emit(self, *events: DomainEvent) -> None:
        super().emit(*events)
        now = utcnow()
        for event in events:
            entry = entry_for(event)
            if entry is not None:
                kind, parties, details = entry
                self.cases.add_timeline(event.case_id, kind, parties, details, now)

    def access_log_held(self, log: Table) -> ColumnElement[bool]:
        """A restricted case's records are not pruned (GDPR art. 18); the subject's pseudonym
        is sealed here, and casework logs every read of a case with its case id."""
        return held_while_restricted(log, cases)
