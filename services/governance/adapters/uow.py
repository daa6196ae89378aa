from __future__ import annotations

from services.governance.adapters.repository import (
    CaseFactsRepository,
    CheckpointRepository,
    CounterRepository,
    DisputeRepository,
    MembershipRepository,
    PartyRepository,
    PolicyRevisionRepository,
    ProposalRepository,
    RosterRepository,
    SeatRepository,
)
from zorgtafel.kernel.uow import UnitOfWork


class GovernanceUnitOfWork(UnitOfWork):
    parties: PartyRepository
    seats: SeatRepository
    roster: RosterRepository
    proposals: ProposalRepository
    membership: MembershipRepository
    disputes: DisputeRepository
    cases: CaseFactsRepository
    policies: PolicyRevisionRepository
    counters: CounterRepository
    checkpoints: CheckpointRepository

    def _attach(self, session) -> None:
        self.parties = PartyRepository(session)
        self.seats = SeatRepository(session)
        self.roster = RosterRepository(session)
        self.proposals = ProposalRepository(session)
        self.membership = MembershipRepository(session)
        self.disputes = DisputeRepository(session)
        self.cases = CaseFactsRepository(session)
        self.policies = PolicyRevisionRepository(session)
        self.counters = CounterRepository(session)
        self.checkpoints = CheckpointRepository(session)
