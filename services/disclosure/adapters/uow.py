"""The disclosure unit of work: its repositories on one session, sealing under the kernel's
per-case data keys (``self.keys``)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table

from services.disclosure.adapters.accesslog import AccessLogRepository, held_by_a_restriction
from services.disclosure.adapters.answers import AnswerRepository
from services.disclosure.adapters.case_facts import CaseFactsRepository, PartyRepository
from services.disclosure.adapters.consents import ConsentRepository
from services.disclosure.adapters.repository import ItemRepository, ReviewRepository
from services.disclosure.adapters.subject_rights import BreachRepository, SubjectRequestRepository
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.uow import UnitOfWork


class DisclosureUnitOfWork(UnitOfWork):
    keys: CaseKeys
    items: ItemRepository
    consents: ConsentRepository
    reviews: ReviewRepository
    cases: CaseFactsRepository
    parties: PartyRepository
    subject_requests: SubjectRequestRepository
    breaches: BreachRepository
    access_log: AccessLogRepository
    answers: AnswerRepository

    def _attach(self, session) -> None:
        self.items = ItemRepository(session, self.keys)
        self.consents = ConsentRepository(session)
        self.reviews = ReviewRepository(session, self.keys)
        self.cases = CaseFactsRepository(session)
        self.parties = PartyRepository(session)
        keyring = self.keys.keyring if self.keys is not None else None
        self.subject_requests = SubjectRequestRepository(session, keyring)
        self.breaches = BreachRepository(session, keyring)
        self.access_log = AccessLogRepository(session)
        self.answers = AnswerRepository(session, self.tables["command_results"])

    def access_log_held(self, log: Table) -> ColumnElement[bool]:
        """A restricted case's, item's or subject's records are not pruned (GDPR art. 18)."""
        return held_by_a_restriction(log)
