"""The process director's worklist read from the nominations' tables: one query for a page,
whatever the number of nominations or the page's place (paged in SQL by key on an index:
received at, case id). Only ids, codes and times are selected: the sealed identity is never
read here."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true, union_all

from services.intake.domain.commands import ListNominations
from services.intake.domain.vocabulary import Status
from services.intake.domain.worklist import ON_THE_WORKLIST, WorklistRow, WorklistStage
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.kernel.validate import person_key

# The scopes the access policy may name (its ``list_scope`` obligations).
INTAKE_QUEUE = "intake_queue"
TAKEN_UP_BY_CALLER = "taken_up_by_caller"
# How the nominating party's usage terms bound the list (its ``list_terms`` obligation, 16.2).
TERMS_CURRENT_AND_NAMING_PARTY = "current_and_naming_party"

# The statuses each stage filter lists (None: every stage, the whole worklist).
_STATUSES_AT: dict[WorklistStage | None, frozenset[Status]] = {
    None: ON_THE_WORKLIST,
    WorklistStage.TO_ASSESS: frozenset({Status.NOMINATED}),
    WorklistStage.TO_TRIAGE: frozenset({Status.QUALIFIED}),
    WorklistStage.IN_TRIAGE: frozenset({Status.TRIAGE}),
    WorklistStage.TO_ROUTE: frozenset({Status.TRIAGE}),
}


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
        usage terms as ``terms`` names them; no scope, or no known ``terms``, lists nothing.

        One branch per relationship and status (the queue; what this person took up, qualified
        or in triage), each read in key order on its index (``ix_nominations_worklist_*``) from
        the page's key on, merged and cut at ``limit``: a page reads about as many rows as it
        shows wherever it lies, rather than every row on the worklist sorted."""
        n, r, a = self._n, self._r, self._a
        awaiting = exists().where(a.c.case_id == n.c.case_id, a.c.answer.is_(None))
        keys = select(n.c.case_id, n.c.status, n.c.nominated_at, n.c.nominating_party)
        if query.stage in (WorklistStage.IN_TRIAGE, WorklistStage.TO_ROUTE):
            keys = keys.select_from(n.outerjoin(r, r.c.case_id == n.c.case_id))  # its round
        common = (
            self._within_terms(terms, party, now),
            self._at(query.stage, awaiting, now),
            self._after(query.after),
        )
        # Each branch cut at ``limit`` in its own key order (the planner reads its index from
        # the key on and stops), then the branches merged and cut again; the page's rows alone
        # then joined to their rounds.
        branches = [
            keys.where(scope, *common)
            .order_by(n.c.nominated_at, n.c.case_id)
            .limit(query.limit)
            .subquery()
            for scope in self._scoped(scopes, party, person, query.stage)
        ] or [keys.where(false()).subquery()]  # fail closed: no scope, no rows
        merged = union_all(*(select(b) for b in branches)).subquery()
        top = (
            select(merged)
            .order_by(merged.c.nominated_at, merged.c.case_id)
            .limit(query.limit)
            .subquery()
        )
        page = (
            select(
                top,
                r.c.deadline,
                exists()
                .where(a.c.case_id == top.c.case_id, a.c.answer.is_(None))
                .label("awaiting"),
            )
            .select_from(top.outerjoin(r, r.c.case_id == top.c.case_id))
            .order_by(top.c.nominated_at, top.c.case_id)
        )
        return [
            WorklistRow(
                case_id=row.case_id,
                status=Status(row.status),
                received_at=row.nominated_at,
                nominating_party=row.nominating_party,
                triage_deadline=row.deadline,
                awaiting_answers=bool(row.awaiting),
            )
            for row in self._uow.session.execute(page)
        ]

    def _after(self, after: tuple[datetime, str] | None) -> ColumnElement[bool]:
        """After the previous page's key (received at, case id): from its time on (where the
        index starts), less that time's case ids up to its own (so the planner counts the
        time's bound once)."""
        if after is None:
            return true()
        n, (at, case_id) = self._n, after
        return and_(n.c.nominated_at >= at, ~and_(n.c.nominated_at == at, n.c.case_id <= case_id))

    def _scoped(
        self, scopes: Collection[str], party: str, person: str, stage: WorklistStage | None
    ) -> list[ColumnElement[bool]]:
        """A condition per relationship and status the scopes and the stage hold, each with
        its status as an equality (the leading columns of its index)."""
        n = self._n
        statuses = _STATUSES_AT[stage]
        parts: list[ColumnElement[bool]] = []
        if INTAKE_QUEUE in scopes:
            # Nobody took it up, or its process director left (qualified or in triage, it is
            # back in the queue, 12.3); a linked nomination comes with the one it is linked to.
            parts += [
                and_(
                    n.c.status == status.value,
                    n.c.process_director_person.is_(None),
                    n.c.linked_to_case_id.is_(None),
                )
                for status in (Status.NOMINATED, Status.QUALIFIED, Status.TRIAGE)
                if status in statuses
            ]
        if TAKEN_UP_BY_CALLER in scopes and party and person:
            parts += [
                and_(
                    n.c.process_director_party == party,
                    n.c.process_director_person == person_key(person),  # as take_up keeps it
                    n.c.status == status.value,
                )
                for status in (Status.QUALIFIED, Status.TRIAGE)
                if status in statuses
            ]
        return parts

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
        """The stage filter beyond its statuses, as ``WorklistRow.stage`` decides it."""
        n, r = self._n, self._r
        if stage in (None, WorklistStage.TO_ASSESS, WorklistStage.TO_TRIAGE):
            return true()  # the status alone, as each branch holds it (_STATUSES_AT)
        running = and_(awaiting, r.c.deadline > now)
        if stage == WorklistStage.IN_TRIAGE:
            return and_(n.c.status == Status.TRIAGE.value, running)
        return and_(n.c.status == Status.TRIAGE.value, ~running)
