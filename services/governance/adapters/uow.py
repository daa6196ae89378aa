from __future__ import annotations

from services.governance.adapters.repository import PartyRepository
from zorgtafel.kernel.uow import UnitOfWork


class GovernanceUnitOfWork(UnitOfWork):
    parties: PartyRepository

    def _attach(self, session) -> None:
        self.parties = PartyRepository(session)
