"""The process director's worklist read from the nominations' tables: one query for a page,
whatever the number of nominations (paged in SQL by key: received at, case id). Only ids,
codes and times are selected: the sealed identity is never read here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, or_, select

from services.intake.domain.commands import ListNominations
from services.intake.domain.vocabulary import Status
from services.intake.domain.worklist import ON_THE_WORKLIST, WorklistRow, WorklistStage
from zorgtafel.kernel.uow import UnitOfWork

# The scopes the access policy may name (its ``list_scope`` obligations).
INTAKE_QUEUE = "intake_queue"
TAKEN_UP_BY_CALLER = "taken_up_by_caller"
# How the nominating party's usage terms bound the list (its ``list_terms`` obligation, 16.2).
TERMS_CURRENT_AND_NAMING_PARTY = "current_and_naming_party"


class Worklist:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._n = uow.tables["nominations"]
        self._r = uow.tables["triage_rounds"]
        self._a = uow.tables["triage_answers"]
        self._rp = uow.tables["nomination_recipient_parties"]

    def page(
        self,
        query: ListNominations,
        scopes: Collection[str],
        terms: str | None,
        party: str,
        person: str,
        now: datetime,
    ) -> list[WorklistRow]:
        """The rows in ``scopes`` for this person, oldest first, within the nominating parties'
        usage terms as ``terms`` names them; no scope, or no known ``terms``, lists nothing."""
        n, r, a = self._n, self._r, self._a
        awaiting = exists().where(a.c.case_id == n.c.case_id, a.c.answer.is_(None))
        q = (
            select(
                n.c.case_id,
                n.c.status,
                n.c.nominated_at,
                n.c.nominating_party,
                r.c.deadline,
                awaiting.label("awaiting"),
            )
            .select_from(n.outerjoin(r, r.c.case_id == n.c.case_id))
            .where(
                self._scoped(scopes, party, person),
                self._within_terms(terms, party, now),
                self._at(query.stage, awaiting, now),
            )
        )
        if query.after is not None:
            at, case_id = query.after
            q = q.where(
                or_(n.c.nominated_at > at, and_(n.c.nominated_at == at, n.c.case_id > case_id))
            )
        q = q.order_by(n.c.nominated_at, n.c.case_id).limit(query.limit)
        return [
            WorklistRow(
                case_id=row.case_id,
                status=Status(row.status),
                received_at=row.nominated_at,
                nominating_party=row.nominating_party,
                triage_deadline=row.deadline,
                awaiting_answers=bool(row.awaiting),
            )
            for row in self._uow.session.execute(q)
        ]

    def _scoped(self, scopes: Collection[str], party: str, person: str) -> ColumnElement[bool]:
        n = self._n
        parts: list[ColumnElement[bool]] = []
        if INTAKE_QUEUE in scopes:
            # Nobody took it up; a linked nomination comes with the one it is linked to.
            parts.append(
                and_(
                    n.c.status == Status.NOMINATED.value,
                    n.c.process_director_person.is_(None),
                    n.c.linked_to_case_id.is_(None),
                )
            )
        if TAKEN_UP_BY_CALLER in scopes and party and person:
            parts.append(
                and_(
                    n.c.process_director_party == party,
                    n.c.process_director_person == person,
                    n.c.status.in_([Status.QUALIFIED.value, Status.TRIAGE.value]),
                )
            )
        return or_(false(), *parts)  # fail closed: no scope, no rows

    def _within_terms(self, terms: str | None, party: str, now: datetime) -> ColumnElement[bool]:
        """16.2, as the access policy's ``terms_current`` and ``terms_name_party`` decide for
        one nomination: not expired at ``now``, and the terms name no recipient parties, or
        name the reader's party, or the reader's party nominated it."""
        if terms != TERMS_CURRENT_AND_NAMING_PARTY or not party:
            return false()  # fail closed: terms the list does not know bound it to nothing
        n, rp = self._n, self._rp
        named = exists().where(rp.c.case_id == n.c.case_id)
        return and_(
            or_(n.c.terms_expires_at.is_(None), n.c.terms_expires_at > now),
            or_(
                ~named,
                n.c.nominating_party == party,
                exists().where(rp.c.case_id == n.c.case_id, rp.c.party == party),
            ),
        )

    def _at(
        self, stage: WorklistStage | None, awaiting: ColumnElement[bool], now: datetime
    ) -> ColumnElement[bool]:
        """The stage filter, as ``WorklistRow.stage`` decides it."""
        n, r = self._n, self._r
        if stage is None:
            return n.c.status.in_(sorted(s.value for s in ON_THE_WORKLIST))
        if stage == WorklistStage.TO_ASSESS:
            return n.c.status == Status.NOMINATED.value
        if stage == WorklistStage.TO_TRIAGE:
            return n.c.status == Status.QUALIFIED.value
        running = and_(awaiting, r.c.deadline > now)
        if stage == WorklistStage.IN_TRIAGE:
            return and_(n.c.status == Status.TRIAGE.value, running)
        return and_(n.c.status == Status.TRIAGE.value, ~running)
