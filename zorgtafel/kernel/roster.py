"""Every service's projection of who holds a function of the Zorgtafel, fed by governance.

A token says what job a person has (``role``); it never says that the person *is* a process
director or a manager of the Zorgtafel. The managers designate the process directors (art.
11.2, 12.1) and a manager holds a managers seat (art. 11): governance owns those facts and
publishes ``RosterChanged``. Services keep this projection and put ``holds(function, party,
person)`` into their policy inputs, so the Rego decides on the appointment, not on the claim.
An unknown person holds nothing (fail closed).
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    MetaData,
    String,
    Table,
    bindparam,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.events import InboundEvent, decided_at
from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.types import UtcDateTime
from zorgtafel.kernel.uow import UnitOfWork, utcnow

log = get_logger(__name__)


def add_roster_table(metadata: MetaData) -> Table:
    return Table(
        "roster",
        metadata,
        Column("function", String(32), primary_key=True),
        Column("party", String(32), primary_key=True),
        Column("person", String(128), primary_key=True),
        Column("held", Boolean, nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
    )


def on_roster_changed(uow: UnitOfWork, event: InboundEvent) -> None:
    """Apply an appointment or its end in the order governance decided them (``changed_at``,
    kept as ``updated_at``), whatever order the events arrive in: an appointment older than
    the last change of the row came late (its revocation is already here) and grants nothing;
    an appointment without a readable time is not applied (fail closed). An end always
    applies: at worst a late one takes away what a later appointment gave, until governance
    appoints again.

    A person id names its person without case ("PD-1" is pd-1, as ``Roster`` reads it): a
    change applies to the person's row in whatever case it was first sent (and to each, should
    the projection hold variants applied before), so an end for "pd-1" ends PD-1's function."""
    fact = event.typed(ev.RosterChanged)
    t = uow.tables["roster"]
    key = (t.c.function == fact.function) & (t.c.party == fact.party)
    key &= func.lower(t.c.person) == fact.person.lower()
    at = decided_at(fact.changed_at)
    if fact.held and at is None:
        log.warning("roster_appointment_without_time", function=fact.function)
        return
    values = {"held": fact.held, "updated_at": at or utcnow()}
    rows = uow.session.execute(select(t.c.updated_at).where(key).with_for_update()).all()
    if rows:
        if fact.held and at is not None and at < max(r.updated_at for r in rows):
            log.info("roster_appointment_out_of_order", function=fact.function)
            return
        uow.session.execute(t.update().where(key).values(**values))
    else:
        uow.session.execute(
            t.insert().values(
                function=fact.function, party=fact.party, person=fact.person, **values
            )
        )


ROSTER_EVENT_HANDLERS = {ev.ROSTER_CHANGED: on_roster_changed}


def _held_by(table: Table, party: str, person: str) -> ColumnElement[bool]:
    """The rows of the functions the person (bound as ``party``, ``person``) holds now."""
    return (
        (table.c.party == bindparam(party))
        & (func.lower(table.c.person) == func.lower(bindparam(person)))
        & table.c.held.is_(True)
    )


# The bound names of ``functions_beside``: apart from any a statement it joins may use.
BESIDE_PARTY = "roster_party"
BESIDE_PERSON = "roster_person"


def functions_beside(table: Table, dialect: str) -> ColumnElement[Any]:
    """The functions a person holds as one value of a statement that reads something else
    (bound as ``BESIDE_PARTY`` and ``BESIDE_PERSON``): the roster read in that statement's
    round trip and snapshot, not in one of its own (issue #16), so no fresher than the
    projection nor staler. A PostgreSQL array, on SQLite a JSON array (NULL or [] when none);
    ``functions_of`` reads either."""
    held = table.c.function
    aggregate = func.array_agg(held) if dialect == "postgresql" else func.json_group_array(held)
    return select(aggregate).where(_held_by(table, BESIDE_PARTY, BESIDE_PERSON)).scalar_subquery()


def functions_of(value: Any) -> list[str]:
    """A ``functions_beside`` value as ``Roster.functions`` answers: the functions, sorted."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return sorted(str(f) for f in value)


class Roster:
    """Reads the roster projection: does this person of this party hold this function now? A
    person id names its person without case ("PD-1" is pd-1: ``validate.same_person``, the
    token's subject); person ids are ASCII, so lower is the comparison."""

    def __init__(self, engine: Engine, table: Table) -> None:
        self._engine = engine
        self._table = table
        # Read on every call a policy decides (issue #16): built once, a statement object keeps
        # its cache key, so a call neither builds nor keys it again.
        self._functions = select(table.c.function).where(_held_by(table, "party", "person"))

    def holds(self, function: str, party: str, person: str) -> bool:
        t = self._table
        with self._engine.connect() as conn:
            row = conn.execute(
                select(t.c.held).where(
                    (t.c.function == function)
                    & (t.c.party == party)
                    & (func.lower(t.c.person) == person.lower())
                    & t.c.held.is_(True)
                )
            ).first()
        return bool(row and row.held)

    def functions(self, party: str, person: str, *, session: Session | None = None) -> list[str]:
        """The functions this person holds, sorted: the ``functions`` fact of policy inputs.
        Read in ``session`` (a handler's unit of work) when given: no connection of its own."""
        params = {"party": party, "person": person}
        if session is not None:
            rows = session.execute(self._functions, params).all()
        else:
            with self._engine.connect() as conn:
                rows = conn.execute(self._functions, params).all()
        return sorted(r.function for r in rows)


class NoRoster:
    """For a service without the projection (governance owns the facts itself): nobody holds
    anything through it."""

    def holds(self, function: str, party: str, person: str) -> bool:
        return False

    def functions(self, party: str, person: str, *, session: Session | None = None) -> list[str]:
        return []


class RosterView(Protocol):
    def holds(self, function: str, party: str, person: str) -> bool: ...

    def functions(
        self, party: str, person: str, *, session: Session | None = None
    ) -> list[str]: ...
