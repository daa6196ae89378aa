"""Disclosure's projections of other services' facts: the case (intake's and casework's: a
pseudonym, an age band, the involved parties' roles and information needs, art. 8.4c, and the
persons with a part in it: process director, case director, delegates) and the status of
parties (governance's, kept by the kernel in ``party_directory``)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from services.disclosure.adapters.orm import case_facts, case_people, items, tables
from services.disclosure.domain.decisions import CaseFacts, CasePerson
from zorgtafel.kernel.events import (
    decided_at,
    in_decision_order,
    next_decision_time,
    restatement_decides,
)
from zorgtafel.kernel.uow import utcnow

# The parts a person can have in a case (``case_people.part``), and the columns of
# ``case_facts`` that say who has them.
PARTS = ("process_director", "case_director", "delegate")
_PEOPLE_COLUMNS = frozenset(
    {
        "process_director_party",
        "process_director_person",
        "case_director_party",
        "case_director_person",
        "delegates",
    }
)


def restriction_decided_under_lock(
    session: Session, table: Table, key: str, ids: Iterable[str], now: datetime
) -> datetime:
    """``now``, but after each row's last restriction decision (``restriction_changed_at``),
    read under the rows' locks, taken in ``key`` order and held until the transaction ends:
    one loop for the cases and the items (``next_decision_time``; GDPR art. 18)."""
    wanted = sorted(set(ids))
    if not wanted:
        return now
    column = table.c[key]
    last = session.execute(
        select(table.c.restriction_changed_at)
        .where(column.in_(wanted))
        .order_by(column)
        .with_for_update()
    ).scalars()
    at = now
    for changed_at in last:
        at = next_decision_time(at, changed_at)
    return at


def restricted_under_lock(session: Session, table: Table, key: str, value: str | None) -> bool:
    """Whether the row of ``table`` (the cases' facts or the items) whose ``key`` is ``value``
    is restricted now (GDPR art. 18), read under the row's lock, the one a grant or lifting of
    its restriction takes (``restriction_decided_under_lock``): a sweep that deletes what it
    holds sees a restriction granted since it listed the row (False for no row)."""
    if value is None:
        return False
    row = session.execute(
        select(table.c.restricted_at).where(table.c[key] == value).with_for_update()
    ).first()
    return row is not None and row.restricted_at is not None


class CaseFactsRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def find(self, case_id: str, *, hold: bool = False) -> CaseFacts | None:
        """The case as disclosure knows it. ``hold``, for a request that adds something to
        the case (an item, a consent, a subject request): the row is share-locked until the
        transaction ends (PostgreSQL), so a purge, which deletes this row first, waits for the
        addition and then deletes it too, and an addition after a purge finds no case. Without
        it each could miss the other's uncommitted rows (art. 1.2; SQLite has one writer)."""
        q = select(case_facts).where(case_facts.c.case_id == case_id)
        row = self._s.execute(q.with_for_update(read=True) if hold else q).first()
        return None if row is None else facts_of_row(row)

    def set_delegate(
        self, case_id: str, party: str, person: str, named: bool, at: datetime | None
    ) -> bool:
        """A party named (or released) a person as its delegate in the case, as casework
        decided it at ``at`` (None: an event from before decision times); False when a later
        decision about that person is held (``in_decision_order``: a naming that arrives
        after the release leaves the person released). Read and written under the case's lock
        (the consumer's ``_known_case``), so the read-modify-write does not race."""
        self.upsert(case_id)
        c = case_facts.c
        row = self._s.execute(
            select(c.delegates, c.delegates_changed_at).where(c.case_id == case_id)
        ).first()
        delegates = _delegates(row.delegates if row else None)
        times = _delegate_times(row.delegates_changed_at if row else None)
        held = decided_at(times.get(party, {}).get(person))
        if not in_decision_order(at, held, grants=named):
            return False
        persons = set(delegates.get(party, []))
        if named:
            persons.add(person)
        else:
            persons.discard(person)
        if persons:
            delegates[party] = sorted(persons)
        else:
            delegates.pop(party, None)
        if at is not None:  # a released person's time stays: a late naming is older than it
            times.setdefault(party, {})[person] = at.isoformat()
        self.upsert(
            case_id,
            delegates=json.dumps(delegates, sort_keys=True),
            delegates_changed_at=json.dumps(times, sort_keys=True),
        )
        return True

    def set_roles(self, case_id: str, roles: str, at: datetime | None) -> bool:
        """Casework's roles and information needs (8.4c, the complete set, JSON) decided at
        ``at``; False when a later decision is held (``in_decision_order``)."""
        return self._set_in_order(
            case_id, case_facts.c.roles_changed_at, at, roles=roles, roles_changed_at=at
        )

    def set_case_director(self, case_id: str, party: str, person: str, at: datetime | None) -> bool:
        """13.1: the case director casework appointed at ``at`` (replacing an earlier one);
        False when a later appointment is held (``in_decision_order``)."""
        return self._set_in_order(
            case_id,
            case_facts.c.case_director_changed_at,
            at,
            case_director_party=party,
            case_director_person=person,
            case_director_changed_at=at,
        )

    def set_process_director(
        self, case_id: str, director: tuple[str, str] | None, at: datetime | None
    ) -> bool:
        """12.3: who directs the case as casework decided at ``at``: a person of a party, or
        nobody (None: the designation of the one who directed it ended; that takes the
        director's reach away). False when a later decision is held (``in_decision_order``)."""
        self.upsert(case_id)
        c = case_facts.c
        held = self._s.execute(
            select(c.process_director_changed_at).where(c.case_id == case_id)
        ).scalar()
        if not in_decision_order(at, held, grants=director is not None):
            return False
        party, person = director or (None, None)
        values: dict[str, Any] = {
            "process_director_party": party,
            "process_director_person": person,
        }
        if at is not None:
            values["process_director_changed_at"] = at
        self._s.execute(
            update(case_facts).where(c.case_id == case_id).values(updated_at=utcnow(), **values)
        )
        self._keep_people(case_id)
        return True

    def process_director_changed(self, case_id: str) -> bool:
        """Whether casework changed who directs the case since its opening (12.3): then the
        opening's process director is not the one who directs it."""
        c = case_facts.c
        return (
            self._s.execute(
                select(c.process_director_changed_at).where(c.case_id == case_id)
            ).scalar()
            is not None
        )

    def _set_in_order(self, case_id: str, held_in: Any, at: datetime | None, **values: Any) -> bool:
        self.upsert(case_id)
        held = self._s.execute(select(held_in).where(case_facts.c.case_id == case_id)).scalar()
        if not in_decision_order(at, held, grants=True):
            return False
        self.upsert(case_id, **values)  # a time of None is left out: the held one stays
        return True

    def restate(
        self,
        case_id: str,
        *,
        process_director: tuple[str, str] | None,
        case_director: tuple[str, str] | None,
        delegates: dict[str, set[str]],
        roles: frozenset[str],
        as_of: datetime | None,
        needs: dict[str, dict[str, Any]] | None = None,
    ) -> bool:
        """Casework's restatement of who has a part in the case, as of ``as_of`` (its last
        decision on that it holds; ``CASE_RESTATED``), for a case opened before disclosure kept
        these persons (migration 114226e7f72b): a process director not known here is learnt,
        and once casework changed who directs it (12.3) the restatement decides that as it does
        the case director's; the case director, each delegate's naming or release and
        which parties have a role are taken from it unless decided after it
        (``restatement_decides``: the relay may re-send it after a later change), and those it
        decides carry its time, so an older change that arrives late changes nothing. It may
        take away: a delegate, a case director or a party's role casework no longer holds goes
        (8.4c). Each party it names with a role gets the role and information need it states
        (``needs``, as ROLES_SET's: a need held here that casework narrowed since is narrowed,
        8.4c, 15.1); a restatement of a casework before that field states none, and then a
        party it names keeps the role held here and one without gets none. False when nothing
        changed (restating twice changes nothing). Under the case's lock (the consumer's
        ``_known_case``)."""
        self.upsert(case_id)
        c = case_facts.c
        row = self._s.execute(select(case_facts).where(c.case_id == case_id)).one()
        values: dict[str, Any] = {}
        if row.process_director_changed_at is not None:
            # 12.3: casework changed who directs it: the restatement decides that unless the
            # change held was decided after it (nobody, when it states none).
            if restatement_decides(as_of, row.process_director_changed_at):
                party, person = process_director or (None, None)
                if (row.process_director_party, row.process_director_person) != (party, person):
                    values.update(process_director_party=party, process_director_person=person)
                if as_of is not None and row.process_director_changed_at != as_of:
                    values["process_director_changed_at"] = as_of
        elif process_director and not (row.process_director_party and row.process_director_person):
            values["process_director_party"], values["process_director_person"] = process_director
        if restatement_decides(as_of, row.case_director_changed_at):
            party, person = case_director or (None, None)
            if (row.case_director_party or None, row.case_director_person or None) != (
                party,
                person,
            ):
                values.update(case_director_party=party, case_director_person=person)
            if as_of is not None and row.case_director_changed_at != as_of:
                values["case_director_changed_at"] = as_of
        held = _delegates(row.delegates)
        times = _delegate_times(row.delegates_changed_at)
        people = {(party, p) for party, persons in held.items() for p in persons}
        stated = {(party, p) for party, persons in delegates.items() for p in persons}
        kept = set()
        for party, person in people | stated:
            if restatement_decides(as_of, decided_at(times.get(party, {}).get(person))):
                if (party, person) in stated:
                    kept.add((party, person))
                if as_of is not None:
                    times.setdefault(party, {})[person] = as_of.isoformat()
            elif (party, person) in people:
                kept.add((party, person))
        after: dict[str, list[str]] = {}
        for party, person in sorted(kept):
            after.setdefault(party, []).append(person)
        if after != held or times != _delegate_times(row.delegates_changed_at):
            values["delegates"] = json.dumps(after, sort_keys=True)
            values["delegates_changed_at"] = json.dumps(times, sort_keys=True)
        if restatement_decides(as_of, row.roles_changed_at):
            held_roles = json.loads(row.roles or "{}")
            stated_needs = needs or {}
            restated = {
                p: stated_needs.get(p, held_roles.get(p))
                for p in sorted(roles)
                if p in stated_needs or p in held_roles
            }
            if restated != held_roles:
                values["roles"] = json.dumps(restated, sort_keys=True)
                if as_of is not None:
                    values["roles_changed_at"] = as_of
        if not row.opened:
            values["opened"] = True  # casework holds it: never a nomination to forget
        if not values:
            return False
        self._s.execute(
            update(case_facts).where(c.case_id == case_id).values(updated_at=utcnow(), **values)
        )
        if values.keys() & _PEOPLE_COLUMNS:
            self._keep_people(case_id)
        return True

    def known(self, case_id: str) -> bool:
        return (
            self._s.execute(
                select(case_facts.c.case_id).where(case_facts.c.case_id == case_id)
            ).first()
            is not None
        )

    def facts_of_subject(self, subject_pseudonym: str) -> list[CaseFacts]:
        """Every case of the subject with its facts, in one statement (none: still the one)."""
        q = select(case_facts).where(case_facts.c.subject_pseudonym == subject_pseudonym)
        return [facts_of_row(r) for r in self._s.execute(q.order_by(case_facts.c.case_id)).all()]

    def of_subject(self, subject_pseudonym: str) -> list[str]:
        return [
            r.case_id
            for r in self._s.execute(
                select(case_facts.c.case_id).where(
                    case_facts.c.subject_pseudonym == subject_pseudonym
                )
            ).all()
        ]

    def upsert(self, case_id: str, **values: Any) -> None:
        """Record what an event says about the case; absent values leave the facts as they
        are (events of one case arrive from two topics, in any order)."""
        values = {k: v for k, v in values.items() if v not in (None, "")}
        now = utcnow()
        if not self.known(case_id):
            self._s.execute(
                insert(case_facts).values(
                    case_id=case_id,
                    subject_pseudonym=None,
                    age_band="unknown",
                    nominating_party=None,
                    opened=False,
                    roles="{}",
                    updated_at=now,
                )
            )
        if values:
            self._s.execute(
                update(case_facts)
                .where(case_facts.c.case_id == case_id)
                .values(updated_at=now, **values)
            )
            if values.keys() & _PEOPLE_COLUMNS:
                self._keep_people(case_id)

    def consent_changed(self, case_id: str, now: datetime) -> datetime:
        """The decision time of a change of the case's subject consent recorded ``now``: after
        the case's previous one (the row locked until the transaction ends, so changes of one
        case are stamped in the order they are recorded), kept as the case's last. Intake
        ignores a change older than the one it holds; a withdrawal stamped before the consent
        it ends would leave intake sharing on it (GDPR art. 7(3))."""
        c = case_facts.c
        row = self._s.execute(
            select(c.consent_changed_at).where(c.case_id == case_id).with_for_update()
        ).first()
        if row is None:
            return now
        at = next_decision_time(now, row.consent_changed_at)
        self._s.execute(
            update(case_facts).where(c.case_id == case_id).values(consent_changed_at=at)
        )
        return at

    def lock(self, case_ids: Iterable[str]) -> None:
        """Lock these cases' rows until the transaction ends (PostgreSQL), in case id order:
        a writer of a case takes its row before its items' (``ItemRepository.lock_of_cases``),
        as a lifting of its restriction does (``restriction_decided``), so two writers of one
        case wait for each other instead of deadlocking."""
        wanted = sorted(set(case_ids))
        if wanted:
            c = case_facts.c
            self._s.execute(
                select(c.case_id).where(c.case_id.in_(wanted)).order_by(c.case_id).with_for_update()
            ).all()

    def restriction_decided(self, case_ids: Iterable[str], now: datetime) -> datetime:
        """The decision time of a restriction of these cases, or of its lifting, recorded
        ``now``: after each case's previous one, read under the rows' locks (taken in case id
        order, held until the transaction ends), so decisions about one case are stamped in
        the order they are carried out, whatever the clock of the replica that decides says
        (``next_decision_time``). Taken before the decision's time is read: a decision whose
        time was read first could find a later one applied when it got the lock, and be
        answered granted without taking effect (GDPR art. 18)."""
        return restriction_decided_under_lock(self._s, case_facts, "case_id", case_ids, now)

    def set_restricted(self, case_id: str, restricted: bool, at: datetime) -> bool:
        """Restrict the case or lift its restriction (GDPR art. 18), as the controller decided
        it at ``at`` (``restriction_decided``, whose row lock the caller holds); False when the
        case is not known, or when a decision taken after it was applied already (the newest
        decision holds, in both directions, as casework and intake apply them; of two at one
        time the grant): under that lock never."""
        c = case_facts.c
        row = self._s.execute(
            select(c.restriction_changed_at).where(c.case_id == case_id).with_for_update()
        ).first()
        if row is None:
            return False
        if not in_decision_order(at, row.restriction_changed_at, grants=not restricted):
            return False
        self._s.execute(
            update(case_facts)
            .where(c.case_id == case_id)
            .values(
                restricted_at=at if restricted else None,
                restriction_changed_at=at,
                updated_at=utcnow(),
            )
        )
        return True

    def restricted_since(self, case_id: str) -> datetime | None:
        """When the restriction in force was granted (None: the case is not restricted)."""
        return self._s.execute(
            select(case_facts.c.restricted_at).where(case_facts.c.case_id == case_id)
        ).scalar()

    def cases_of_person(self, party: str, person: str, parts: Iterable[str]) -> list[str]:
        """The cases in which ``person`` of ``party`` has one of ``parts`` (``process_director``,
        ``case_director``, ``delegate``), as disclosure knows them (ADR 0005): the scope of a
        worker's notices (art. 8.4c). Read from ``case_people`` through its index on (party,
        person); no person: none. A person id names its person without case ("W-1" is w-1,
        validate.same_person): person ids are ASCII, so lower is the comparison (the index then
        narrows to the party's rows)."""
        wanted = sorted(set(parts) & set(PARTS))
        if not party or not person or not wanted:
            return []
        c = case_people.c
        return list(
            self._s.execute(
                select(c.case_id)
                .where(
                    c.party == party,
                    func.lower(c.person) == person.lower(),
                    c.part.in_(wanted),
                )
                .distinct()
                .order_by(c.case_id)
            ).scalars()
        )

    def _keep_people(self, case_id: str) -> None:
        """``case_people`` made to say what the case's row says (its process director, case
        director and delegates), after a write to those: the rows of a part no longer held go,
        those of a new one come. Under the case's lock, as that write."""
        c = case_facts.c
        row = self._s.execute(
            select(
                c.process_director_party,
                c.process_director_person,
                c.case_director_party,
                c.case_director_person,
                c.delegates,
            ).where(c.case_id == case_id)
        ).first()
        wanted = _people_of(row) if row is not None else set()
        p = case_people.c
        held = {
            (r.part, r.party, r.person)
            for r in self._s.execute(
                select(p.part, p.party, p.person).where(p.case_id == case_id)
            ).all()
        }
        for part, party, person in held - wanted:
            self._s.execute(
                delete(case_people).where(
                    p.case_id == case_id, p.part == part, p.party == party, p.person == person
                )
            )
        if wanted - held:
            self._s.execute(
                insert(case_people),
                [
                    {"case_id": case_id, "part": part, "party": party, "person": person}
                    for part, party, person in sorted(wanted - held)
                ],
            )

    def hold_purge(self, case_id: str, at: datetime) -> None:
        """Casework purged the case while a restriction held something of it here (GDPR art.
        18(2)): the facts stay (a lifting is decided on them), marked with when the purge was
        held (the first time kept), and closed, as a purged case is."""
        c = case_facts.c
        self._s.execute(
            update(case_facts)
            .where(c.case_id == case_id, c.purge_held_at.is_(None))
            .values(purge_held_at=at, updated_at=utcnow())
        )
        self._s.execute(
            update(case_facts)
            .where(c.case_id == case_id, c.closed_at.is_(None))
            .values(closed_at=at, updated_at=utcnow())
        )

    def purge_held(self, case_id: str) -> bool:
        """Whether the case's purge is held by a restriction (``hold_purge``)."""
        c = case_facts.c
        at = self._s.execute(select(c.purge_held_at).where(c.case_id == case_id)).scalar()
        return at is not None

    def held_purges_lifted(self) -> list[str]:
        """The cases whose purge a restriction held and none holds any more: neither the
        case's nor one of its items', or that were erased since (art. 17: nothing is left to
        hold); ids only, the longest held first."""
        c, i = case_facts.c, items.c
        item_restricted = (
            select(i.item_id).where(i.case_id == c.case_id, i.restricted_at.is_not(None)).exists()
        )
        q = select(c.case_id).where(
            c.purge_held_at.is_not(None),
            or_(c.erased_at.is_not(None), and_(c.restricted_at.is_(None), ~item_restricted)),
        )
        return list(self._s.scalars(q.order_by(c.purge_held_at, c.case_id)))

    def delete(self, case_id: str) -> None:
        self._s.execute(delete(case_facts).where(case_facts.c.case_id == case_id))
        self._s.execute(delete(case_people).where(case_people.c.case_id == case_id))


def _people_of(row: Any) -> set[tuple[str, str, str]]:
    """(part, party, person) of each person a case's facts give a part (``PARTS``). An id
    longer than a token's (a person: 128, a party's OIN: 32) names no one who can ask, and is
    left out rather than fail the event."""
    people: set[tuple[str, str, str]] = set()
    if row.process_director_party and row.process_director_person:
        people.add(("process_director", row.process_director_party, row.process_director_person))
    if row.case_director_party and row.case_director_person:
        people.add(("case_director", row.case_director_party, row.case_director_person))
    for party, persons in _delegates(row.delegates).items():
        if party and isinstance(persons, list):
            people.update(("delegate", party, p) for p in persons if p and isinstance(p, str))
    return {(part, party, person) for part, party, person in people if _fits(party, person)}


def _fits(party: str, person: str) -> bool:
    return len(party) <= 32 and len(person) <= 128


def facts_of_row(row: Any) -> CaseFacts:
    """A ``case_facts`` row (or anything with its columns as attributes) as CaseFacts."""
    return CaseFacts(
        row.case_id,
        row.subject_pseudonym or "",
        row.age_band,
        json.loads(row.roles or "{}"),
        nominating_party=row.nominating_party or "",
        process_director=_person(row.process_director_party, row.process_director_person),
        case_director=_person(row.case_director_party, row.case_director_person),
        delegates={p: tuple(v) for p, v in _delegates(row.delegates).items()},
        closed=row.closed_at is not None,
        restricted=row.restricted_at is not None,
        erased=row.erased_at is not None,
    )


def _person(party: str | None, person: str | None) -> CasePerson | None:
    return CasePerson(party, person) if party and person else None


def _delegates(raw: str | None) -> dict[str, list[str]]:
    value = json.loads(raw) if raw else {}
    return value if isinstance(value, dict) else {}


def _delegate_times(raw: str | None) -> dict[str, dict[str, str]]:
    value = json.loads(raw) if raw else {}
    if not isinstance(value, dict):
        return {}
    return {p: dict(v) for p, v in value.items() if isinstance(v, dict)}


class PartyRepository:
    """The party-status projection, read in the handler's own transaction."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def status(self, party_id: str) -> str | None:
        """The party's covenant status, or None when it is not a party (a third party)."""
        t = tables["party_directory"]
        row = self._s.execute(select(t.c.status).where(t.c.party_id == party_id)).first()
        return row.status if row else None
