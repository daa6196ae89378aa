"""Repositories over a unit of work's session."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, delete, func, insert, select, tuple_, union_all, update
from sqlalchemy.orm import Session, defer

from services.governance.adapters import orm
from services.governance.domain.bodies import Body, Seat, SeatRow
from services.governance.domain.cases import CaseParts
from services.governance.domain.checkpoints import Alert, CheckpointStatus, ReceivedCheckpoint
from services.governance.domain.decisions import Meeting, Proposal, Vote, WrittenInput
from services.governance.domain.disputes import Dispute
from services.governance.domain.membership import Accession, NoticeOfDefault, Withdrawal
from services.governance.domain.parties import (
    Party,
    PartyKind,
    PartyRow,
    PartyStatus,
    StatusChange,
)
from services.governance.domain.policy import EnforcedRevision, PolicyRevision
from services.governance.domain.roster import ProcessDirector, ProcessDirectorRow


class PartyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, party: Party) -> None:
        self._session.add(party)

    def get(self, party_id: str) -> Party | None:
        return self._session.get(Party, party_id)

    def get_for_update(self, party_id: str) -> Party | None:
        """The party, its row locked until the transaction ends and read afresh under the
        lock: one read before in this unit of work would otherwise keep the status it had
        then (a withdrawal the lock waited for unseen), as ``SeatRepository.get``'s."""
        return self._session.get(Party, party_id, with_for_update=True, populate_existing=True)

    def list(
        self,
        kind: PartyKind | None = None,
        status: PartyStatus | None = None,
        *,
        after: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[Party]:
        """Parties by id; a page of them in SQL (``limit``: ix_parties_kind, ix_parties_status
        and the primary key serve the filters and the order), after the party id ``after``
        (keyset: the last page costs what the first does, and a party registered meanwhile
        moves nothing onto the next page again) or else from ``offset`` (a token written
        before the pages were keyed)."""
        q = _parties(select(Party), kind, status, after, offset)
        return list(self._session.scalars(q.limit(limit)))

    def page(
        self,
        kind: PartyKind | None,
        status: PartyStatus | None,
        *,
        after: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[PartyRow]:
        """``list``'s page as plain rows (``PartyRow``), not objects of the session: a page of
        ListParties is only shown."""
        columns = select(*(orm.parties.c[f] for f in PartyRow._fields))
        q = _parties(columns, kind, status, after, offset)
        return [PartyRow._make(r) for r in self._session.execute(q.limit(limit))]

    def active_ids(self) -> list[str]:
        return list(
            self._session.scalars(
                select(Party.party_id)
                .where(Party.status == PartyStatus.ACTIVE)
                .order_by(Party.party_id)
            )
        )

    def add_history(self, change: StatusChange) -> None:
        self._session.add(change)

    def history(self, party_id: str) -> list[StatusChange]:
        return list(
            self._session.scalars(
                select(StatusChange)
                .where(StatusChange.party_id == party_id)
                .order_by(StatusChange.seq)
            )
        )


def _parties(
    q: Select[Any],
    kind: PartyKind | None,
    status: PartyStatus | None,
    after: str | None,
    offset: int,
) -> Select[Any]:
    """``q`` (of the parties) by id, filtered by kind and status, after the party id
    ``after`` or else from ``offset``."""
    t = orm.parties
    q = q.order_by(t.c.party_id)
    if kind is not None:
        q = q.where(t.c.kind == kind)
    if status is not None:
        q = q.where(t.c.status == status)
    return q.where(t.c.party_id > after) if after is not None else q.offset(offset)


class SeatRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, seat: Seat) -> None:
        self._session.add(seat)

    def get(self, seat_id: str, *, for_update: bool = False) -> Seat | None:
        """The seat; ``for_update``: its row locked until the transaction ends, so changes of
        its holder are decided one after the other, each on the holder the last one left."""
        return self._session.get(
            Seat, seat_id, with_for_update=for_update, populate_existing=for_update
        )

    def ids(self) -> set[str]:
        return set(self._session.scalars(select(Seat.seat_id)))

    def list(self, bodies: Iterable[Body] | None = None) -> list[Seat]:
        """The seats of ``bodies`` (all when None) by body and id, in one query
        (ix_seats_body_seat)."""
        q = select(Seat).order_by(Seat.body, Seat.seat_id)
        if bodies is not None:
            q = q.where(Seat.body.in_(list(bodies)))
        return list(self._session.scalars(q))

    def first_of_bodies(self, bodies: Iterable[Body], limit: int) -> list[Seat]:
        """The first ``limit`` seats by id of each of ``bodies``, in one query: a range of
        ix_seats_body_seat per body (UNION ALL of one limited SELECT each), however many seats
        a body has (issue #16). By body and id."""
        t = orm.seats
        parts = [
            select(t).where(t.c.body == b).order_by(t.c.seat_id).limit(limit).subquery()
            for b in bodies
        ]
        if not parts:
            return []
        q = union_all(*(select(p) for p in parts)) if len(parts) > 1 else select(parts[0])
        found = self._session.scalars(select(Seat).from_statement(q))
        return sorted(found, key=lambda s: (s.body.value, s.seat_id))

    def page(
        self,
        body: Body | None,
        held_by_party: str,
        holder_party: str,
        *,
        after: str | None,
        offset: int,
        limit: int,
    ) -> list[SeatRow]:
        """A page of the seats by id, filtered (each filter a range of its index in id
        order: ix_seats_body_seat, ix_seats_held_by_party, ix_seats_holder_party), after the
        seat id ``after`` (keyset) or else from ``offset``. Plain rows (``SeatRow``), not
        objects of the session: a page is only shown."""
        t = orm.seats
        q = select(*(t.c[f] for f in SeatRow._fields)).order_by(t.c.seat_id)
        if body is not None:
            q = q.where(t.c.body == body)
        if held_by_party:
            q = q.where(t.c.held_by_party == held_by_party)
        if holder_party:
            q = q.where(t.c.holder_party == holder_party)
        q = q.where(t.c.seat_id > after) if after is not None else q.offset(offset)
        return [SeatRow._make(r) for r in self._session.execute(q.limit(limit))]

    def held_on_behalf_of(self, party: str, *, for_update: bool = False) -> list[Seat]:
        """The seats held on behalf of ``party``; ``for_update``: their rows locked (and read
        afresh) until the transaction ends, as ``get``'s."""
        q = select(Seat).where(Seat.holder_party == party).order_by(Seat.seat_id)
        if for_update:
            q = q.with_for_update().execution_options(populate_existing=True)
        return list(self._session.scalars(q))

    def held_in(self, body: Body, person: str) -> list[Seat]:
        """The seats of ``body`` this person holds, for any party (ix_seats_body_seat). A person
        id names its person without case ("Chair-1" is chair-1, validate.same_person): person
        ids are ASCII (check_person, the token's subject), so lower is the comparison."""
        return list(
            self._session.scalars(
                select(Seat)
                .where(Seat.body == body, func.lower(Seat.holder_person) == person.lower())
                .order_by(Seat.seat_id)
            )
        )

    def held_by(self, person: str, party: str) -> list[Seat]:
        """The seats this person holds on behalf of ``party`` (ix_seats_holder_party), its id
        compared without case as ``held_in``'s."""
        return list(
            self._session.scalars(
                select(Seat)
                .where(func.lower(Seat.holder_person) == person.lower(), Seat.holder_party == party)
                .order_by(Seat.seat_id)
            )
        )


class RosterRepository:
    """The process directors the managers designated (art. 11.2, 12.1)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, director: ProcessDirector) -> None:
        self._session.add(director)

    @staticmethod
    def _of(party: str, person: str) -> Select[tuple[ProcessDirector]]:
        """The person's entries for the party. A person id names its person without case
        ("PD-1" is pd-1, validate.same_person): person ids are ASCII (check_person, the token's
        subject), so lower is the comparison. One entry since designations compare so; more
        only if variants were designated before."""
        return (
            select(ProcessDirector)
            .where(
                ProcessDirector.party == party,
                func.lower(ProcessDirector.person) == person.lower(),
            )
            .order_by(ProcessDirector.person)
        )

    def get(self, party: str, person: str) -> ProcessDirector | None:
        """The person's designation for the party, while it holds (not revoked)."""
        found = self._session.scalars(self._of(party, person))
        return next((d for d in found if d.designated), None)

    def entries_for_update(self, party: str, person: str) -> list[ProcessDirector]:
        """The person's roster entries for the party, designated or revoked (none: never
        designated), their rows locked until the transaction ends."""
        q = self._of(party, person).with_for_update()
        return list(self._session.scalars(q.execution_options(populate_existing=True)))

    def list(
        self,
        party: str | None = None,
        *,
        after: tuple[str, str] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ProcessDirector]:
        """Designated process directors by party and person (the primary key's order: it
        serves the filter and the page), after the (party, person) ``after`` (keyset: the
        last page costs what the first does, and a designation made meanwhile moves nothing
        onto the next page again) or else from ``offset`` (a token written before the pages
        were keyed). Objects of the session: for a change of them (``page`` shows them)."""
        q = _designated(select(ProcessDirector), party, after, offset)
        return list(self._session.scalars(q.limit(limit)))

    def page(
        self,
        party: str | None = None,
        *,
        after: tuple[str, str] | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[ProcessDirectorRow]:
        """``list``'s page as plain rows (``ProcessDirectorRow``), not objects of the
        session: a page of ListProcessDirectors is only shown."""
        t = orm.process_directors
        columns = select(*(t.c[f] for f in ProcessDirectorRow._fields))
        q = _designated(columns, party, after, offset)
        return [ProcessDirectorRow._make(r) for r in self._session.execute(q.limit(limit))]


def _designated(
    q: Select[Any], party: str | None, after: tuple[str, str] | None, offset: int
) -> Select[Any]:
    """``q`` (of the process directors) kept to the designated ones, of ``party`` when given,
    by party and person, after the (party, person) ``after`` or else from ``offset``."""
    t = orm.process_directors
    q = q.where(t.c.revoked_at.is_(None)).order_by(t.c.party, t.c.person)
    if party:
        q = q.where(t.c.party == party)
    if after is not None:
        q = q.where(tuple_(t.c.party, t.c.person) > tuple_(*after))
        if party == after[0]:
            # Implied by the key, stated so that the scan of the party's persons starts
            # there: PostgreSQL positions a scan by the equality on the party alone and
            # would step through every person before the key.
            q = q.where(t.c.person > after[1])
    else:
        q = q.offset(offset)
    return q


class ProposalRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, proposal: Proposal) -> None:
        self._session.add(proposal)

    def get(self, proposal_id: str, *, for_update: bool = False) -> Proposal | None:
        return self._session.get(Proposal, proposal_id, with_for_update=for_update)

    def votes(self, proposal_id: str) -> list[Vote]:
        return list(
            self._session.scalars(
                select(Vote).where(Vote.proposal_id == proposal_id).order_by(Vote.seat_id)
            )
        )

    def vote(self, proposal_id: str, seat_id: str) -> Vote | None:
        return self._session.get(Vote, (proposal_id, seat_id))

    def add_vote(self, vote: Vote) -> None:
        self._session.add(vote)

    def inputs(self, proposal_id: str) -> list[WrittenInput]:
        return list(
            self._session.scalars(
                select(WrittenInput)
                .where(WrittenInput.proposal_id == proposal_id)
                .order_by(WrittenInput.party_id)
            )
        )

    def meeting(self, meeting_id: str) -> Meeting | None:
        return self._session.get(Meeting, meeting_id)

    def attendance(self, meeting_id: str) -> list[str]:
        t = orm.meeting_attendance
        return list(
            self._session.scalars(
                select(t.c.party_id).where(t.c.meeting_id == meeting_id).order_by(t.c.party_id)
            )
        )

    def add_attendance(self, meeting_id: str, party_ids) -> None:
        known = set(self.attendance(meeting_id))
        for p in sorted(set(party_ids) - known):
            self._session.execute(
                insert(orm.meeting_attendance).values(meeting_id=meeting_id, party_id=p)
            )

    def add_input(self, written: WrittenInput) -> None:
        if self._session.get(WrittenInput, (written.proposal_id, written.party_id)) is None:
            self._session.add(written)


class MembershipRepository:
    """Accessions and their approvals, amendment signatures, notices, withdrawals."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, obj) -> None:
        self._session.add(obj)

    def accession(self, accession_id: str) -> Accession | None:
        return self._session.get(Accession, accession_id)

    def open_accession_of(self, party_id: str) -> Accession | None:
        return self._session.scalars(
            select(Accession).where(Accession.party_id == party_id)
        ).first()

    def approvals(self, accession_id: str) -> list[str]:
        t = orm.accession_approvals
        return list(
            self._session.scalars(
                select(t.c.party_id).where(t.c.accession_id == accession_id).order_by(t.c.party_id)
            )
        )

    def add_approval(self, accession_id: str, party_id: str, person: str, at) -> bool:
        if party_id in self.approvals(accession_id):
            return False
        self._session.execute(
            insert(orm.accession_approvals).values(
                accession_id=accession_id, party_id=party_id, person=person, approved_at=at
            )
        )
        return True

    def signatures(self, amendment_id: str) -> list[str]:
        t = orm.amendment_signatures
        return list(
            self._session.scalars(
                select(t.c.party_id).where(t.c.amendment_id == amendment_id).order_by(t.c.party_id)
            )
        )

    def add_signature(self, amendment_id: str, party_id: str, person: str, at) -> None:
        if party_id not in self.signatures(amendment_id):
            self._session.execute(
                insert(orm.amendment_signatures).values(
                    amendment_id=amendment_id, party_id=party_id, person=person, signed_at=at
                )
            )

    def notices(self, party_id: str, before=None) -> list[NoticeOfDefault]:
        q = select(NoticeOfDefault).where(NoticeOfDefault.party_id == party_id)
        if before is not None:
            q = q.where(NoticeOfDefault.recorded_at <= before)
        return list(self._session.scalars(q.order_by(NoticeOfDefault.recorded_at)))

    def pending_withdrawals(self) -> list[Withdrawal]:
        return list(
            self._session.scalars(
                select(Withdrawal)
                .where(Withdrawal.effective.is_(False))
                .order_by(Withdrawal.effective_at)
            )
        )

    def withdrawal_of(self, party_id: str) -> Withdrawal | None:
        return self._session.scalars(
            select(Withdrawal).where(
                Withdrawal.party_id == party_id, Withdrawal.effective.is_(False)
            )
        ).first()


class DisputeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, dispute: Dispute) -> None:
        self._session.add(dispute)

    def get(self, dispute_id: str) -> Dispute | None:
        return self._session.get(Dispute, dispute_id, with_for_update=True)

    def unlink_case(self, case_id: str) -> None:
        """A purged case's id is not kept (1.2): its disputes stand, naming no case."""
        t = orm.disputes
        self._session.execute(update(t).where(t.c.case_id == case_id).values(case_id=None))


class CaseFactsRepository:
    """The facts of the cases disputes may name (``orm.case_facts``), written by the consumer of
    casework's events and read by the dispute handlers."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, case_id: str) -> CaseParts | None:
        t = orm.case_facts
        row = self._session.execute(select(t).where(t.c.case_id == case_id)).first()
        if row is None:
            return None
        return CaseParts(
            row.case_id,
            opened=bool(row.opened),
            process_director=_pair(row.process_director_party, row.process_director_person),
            case_director=_pair(row.case_director_party, row.case_director_person),
            invited=frozenset(_json(row.invited, list)),
            roles=frozenset(_json(row.roles, list)),
            delegates={p: tuple(v) for p, v in _json(row.delegates, dict).items()},
            closed=row.closed_at is not None,
            roles_changed_at=row.roles_changed_at,
            case_director_changed_at=row.case_director_changed_at,
            process_director_changed_at=row.process_director_changed_at,
            delegates_changed_at={
                p: dict(v)
                for p, v in _json(row.delegates_changed_at, dict).items()
                if isinstance(v, dict)
            },
        )

    def save(self, parts: CaseParts, at: datetime, closed_at: datetime | None = None) -> None:
        """Write the case's facts as ``parts`` says (insert or replace); ``closed_at`` is kept
        once set."""
        t = orm.case_facts
        values: dict[str, Any] = {
            "opened": parts.opened,
            "process_director_party": parts.process_director[0] if parts.process_director else None,
            "process_director_person": parts.process_director[1]
            if parts.process_director
            else None,
            "case_director_party": parts.case_director[0] if parts.case_director else None,
            "case_director_person": parts.case_director[1] if parts.case_director else None,
            "invited": json.dumps(sorted(parts.invited)),
            "roles": json.dumps(sorted(parts.roles)),
            "delegates": json.dumps(
                {p: sorted(v) for p, v in parts.delegates.items()}, sort_keys=True
            ),
            "updated_at": at,
            "roles_changed_at": parts.roles_changed_at,
            "case_director_changed_at": parts.case_director_changed_at,
            "process_director_changed_at": parts.process_director_changed_at,
            "delegates_changed_at": json.dumps(parts.delegates_changed_at, sort_keys=True),
        }
        if closed_at is not None:
            values["closed_at"] = closed_at
        found = self._session.execute(
            select(t.c.case_id).where(t.c.case_id == parts.case_id)
        ).first()
        if found is None:
            self._session.execute(insert(t).values(case_id=parts.case_id, **values))
        else:
            self._session.execute(update(t).where(t.c.case_id == parts.case_id).values(**values))

    def delete(self, case_id: str) -> None:
        t = orm.case_facts
        self._session.execute(delete(t).where(t.c.case_id == case_id))

    def keep_purged_parties(self, case_id: str, parties: Iterable[str], at: datetime) -> None:
        """The parties that had a part in the purged case (ids only), once each, marked with
        when governance applied the purge (``at``: the marker's retention runs from then)."""
        t = orm.purged_case_parties
        held = set(self._session.execute(select(t.c.party).where(t.c.case_id == case_id)).scalars())
        for party in sorted(set(parties) - held):
            self._session.execute(insert(t).values(case_id=case_id, party=party, purged_at=at))

    def purge_markers_made_before(self, cutoff: datetime, limit: int) -> list[str]:
        """The ids of at most ``limit`` purged cases whose marker was made before ``cutoff``
        (retention kind ``purged_case_marker``), oldest first."""
        t = orm.purged_case_parties
        made = func.min(t.c.purged_at)
        rows = self._session.execute(
            select(t.c.case_id)
            .group_by(t.c.case_id)
            .having(made < cutoff)
            .order_by(made, t.c.case_id)
            .limit(limit)
        ).scalars()
        return list(rows)

    def drop_purge_marker(self, case_id: str, cutoff: datetime) -> bool:
        """Delete the marker of the purged case ``case_id`` made before ``cutoff``; False when
        none is left (already dropped, or not yet due)."""
        t = orm.purged_case_parties
        done = self._session.execute(
            delete(t).where(t.c.case_id == case_id, t.c.purged_at < cutoff)
        )
        return bool(getattr(done, "rowcount", 0))

    def had_part_before_purge(self, case_id: str, party: str) -> bool:
        """Whether ``party`` had a part in the case ``case_id`` when it was purged."""
        t = orm.purged_case_parties
        found = self._session.execute(
            select(t.c.party).where(t.c.case_id == case_id, t.c.party == party)
        ).first()
        return found is not None


def _pair(party: str | None, person: str | None) -> tuple[str, str] | None:
    return (party, person) if party and person else None


def _json(raw: str | None, kind: type) -> Any:
    try:
        value = json.loads(raw) if raw else kind()
    except ValueError:
        return kind()
    return value if isinstance(value, kind) else kind()


class PolicyRevisionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, revision: PolicyRevision) -> None:
        self._session.add(revision)

    def get(self, revision: str) -> PolicyRevision | None:
        """The latest entry of ``revision`` (a rollback adopts a revision again)."""
        return self._session.scalars(
            select(PolicyRevision)
            .where(PolicyRevision.revision == revision)
            .order_by(PolicyRevision.seq.desc())
            .limit(1)
        ).first()

    def latest(self) -> PolicyRevision | None:
        return self._session.scalars(
            select(PolicyRevision).order_by(PolicyRevision.seq.desc()).limit(1)
        ).first()

    def adopted_by(self, proposal_id: str) -> bool:
        """Whether an entry of the history names this proposal (its decision adopted once).
        The history has one row per adoption: a scan of it is cheap."""
        return (
            self._session.scalars(
                select(PolicyRevision.seq).where(PolicyRevision.proposal_id == proposal_id).limit(1)
            ).first()
            is not None
        )

    def history(self, *, before: int | None, offset: int, limit: int) -> list[PolicyRevision]:
        """A page of the history, newest first (the primary key, descending), its bundles
        not read: before the entry ``before`` (keyset) or else from ``offset``."""
        q = (
            select(PolicyRevision)
            .options(defer(PolicyRevision.bundle))
            .order_by(PolicyRevision.seq.desc())
        )
        if before is not None:
            q = q.where(PolicyRevision.seq < before)
        else:
            q = q.offset(offset)
        return list(self._session.scalars(q.limit(limit)))

    def enforcing(self, revisions: Iterable[str]) -> list[tuple[int, EnforcedRevision]]:
        """The instances whose last report names one of ``revisions``, each with the newest
        entry (seq) of the revision it names: one query (ix_enforced_revisions_revision,
        ix_policy_revisions_revision)."""
        wanted = sorted(set(revisions))
        if not wanted:
            return []
        t, p = orm.enforced_revisions, orm.policy_revisions
        newest = select(func.max(p.c.seq)).where(p.c.revision == t.c.revision).scalar_subquery()
        rows = self._session.execute(
            select(t, newest.label("newest"))
            .where(t.c.revision.in_(wanted))
            .order_by(t.c.service, t.c.instance)
        )
        return [
            (int(r.newest), EnforcedRevision(r.service, r.instance, r.revision, r.enforced_at))
            for r in rows
            if r.newest is not None
        ]

    def record_enforced(self, service: str, instance: str, revision: str, at: datetime) -> None:
        """What an instance said it enforces; an older report (redelivered, out of order)
        never overwrites a newer one."""
        t = orm.enforced_revisions
        row = self._session.execute(
            select(t.c.enforced_at)
            .where(t.c.service == service, t.c.instance == instance)
            .with_for_update()
        ).first()
        if row is None:
            self._session.execute(
                insert(t).values(
                    service=service, instance=instance, revision=revision, enforced_at=at
                )
            )
        elif row.enforced_at <= at:
            self._session.execute(
                update(t)
                .where(t.c.service == service, t.c.instance == instance)
                .values(revision=revision, enforced_at=at)
            )

    def enforced(self) -> list[EnforcedRevision]:
        t = orm.enforced_revisions
        rows = self._session.execute(select(t).order_by(t.c.service, t.c.instance))
        return [EnforcedRevision(r.service, r.instance, r.revision, r.enforced_at) for r in rows]


class CounterRepository:
    """The annual report's counters (art. 11.3d): (year, metric) -> count."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def increment(self, year: int, metric: str) -> None:
        t = orm.annual_counters
        done = self._session.execute(
            update(t).where(t.c.year == year, t.c.metric == metric).values(count=t.c.count + 1)
        )
        if done.rowcount == 0:
            self._session.execute(insert(t).values(year=year, metric=metric, count=1))

    def for_year(self, year: int) -> dict[str, int]:
        t = orm.annual_counters
        return {
            m: int(c)
            for m, c in self._session.execute(select(t.c.metric, t.c.count).where(t.c.year == year))
        }

    def total(self) -> int:
        t = orm.annual_counters
        return int(
            self._session.execute(select(func.coalesce(func.sum(t.c.count), 0))).scalar_one()
        )


class CheckpointRepository:
    """Every service's access-log checkpoints as received (issue #15)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    @staticmethod
    def _of(row: Row[Any]) -> ReceivedCheckpoint:
        return ReceivedCheckpoint(
            row.log_id,
            int(row.size),
            row.root,
            row.signed_at,
            row.key_id,
            row.signature,
            CheckpointStatus(row.status),
            row.reason,
            Alert(row.alert) if row.alert else None,
        )

    def get(self, log_id: str, size: int, root: str, signature: str) -> ReceivedCheckpoint | None:
        t = orm.log_checkpoints
        row = self._session.execute(
            select(t).where(
                t.c.log_id == log_id,
                t.c.size == size,
                t.c.root == root,
                t.c.signature == signature,
            )
        ).first()
        return self._of(row) if row is not None else None

    def add(self, cp: ReceivedCheckpoint, received_at: datetime) -> None:
        values = dict(cp.data())
        values.update(
            status=cp.status.value,
            reason=cp.reason,
            alert=cp.alert.value if cp.alert else None,
            received_at=received_at,
        )
        self._session.execute(insert(orm.log_checkpoints).values(**values))

    def verified_from(self, log_id: str, size: int) -> list[ReceivedCheckpoint]:
        """The log's verified checkpoints of at least ``size`` (normally few: a new checkpoint
        is the largest)."""
        t = orm.log_checkpoints
        rows = self._session.execute(
            select(t)
            .where(
                t.c.log_id == log_id,
                t.c.size >= size,
                t.c.status == CheckpointStatus.VERIFIED.value,
            )
            .order_by(t.c.size, t.c.seq)
        ).all()
        return [self._of(r) for r in rows]

    def of_log(self, log_id: str, *, verified_only: bool = True) -> list[ReceivedCheckpoint]:
        t = orm.log_checkpoints
        q = select(t).where(t.c.log_id == log_id).order_by(t.c.size, t.c.seq)
        if verified_only:
            q = q.where(t.c.status == CheckpointStatus.VERIFIED.value)
        return [self._of(r) for r in self._session.execute(q).all()]
