"""Finding a subject's cases for the subject access report, and who answers for them. Casework
keeps the pseudonym sealed under each case's key (so a table dump does not link cases to a
subject): the cases are opened one by one, newest first, up to a bound."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from services.casework.adapters import orm
from services.casework.adapters.sealing import unseal
from zorgtafel.kernel.casekeys import CaseKeys
from zorgtafel.kernel.crypto import required_ring
from zorgtafel.kernel.uow import UnitOfWork

MAX_CASES_SCANNED = 5000  # a bound on the work of one report, far above a region's cases


def case_ids_of_subject(uow: UnitOfWork, keys: CaseKeys, pseudonym: str) -> list[str]:
    """The subject's cases, newest first: every case's pseudonym opened under its key, the keys
    read with the cases in one statement (an erased case, its key gone, has none to open), so
    the scan is one statement however many cases the region has."""
    c, k = orm.cases, orm.case_keys
    rows = uow.session.execute(
        select(c.c.case_id, c.c.subject_pseudonym_sealed, k.c.wrapped_key)
        .join(k, k.c.case_id == c.c.case_id)
        .order_by(c.c.opened_at.desc(), c.c.case_id)
        .limit(MAX_CASES_SCANNED)
    )
    ring = required_ring(keys.keyring, "no subject's cases are found")
    return [
        row.case_id
        for row in rows
        if unseal(
            ring.unwrap(row.wrapped_key),
            row.subject_pseudonym_sealed,
            f"case:{row.case_id}:subject",
        )
        == pseudonym
    ]


@dataclass(frozen=True)
class Controlled:
    """A case as the export's decision needs it: who answers for it (8.4, 13, 15.1)."""

    case_id: str
    parties: frozenset[str]
    subject_pseudonym_sealed: bytes
    wrapped_key: bytes


def controlled(uow: UnitOfWork, case_ids: list[str]) -> list[Controlled]:
    """The cases named with their parties (the nominating, process director's and case
    director's parties, the parties involved with a role, and those invited to or attending
    one of its meetings, which received the subject's data and answer for their use of it
    under the parties' joint responsibility: 15.1), in two statements for any number of cases,
    none included; a case whose key is destroyed (purged, erased) is none. Nothing of a case's
    records is read: a refused export costs the same whether anything is held."""
    c, k, r, m = orm.cases, orm.case_keys, orm.case_roles, orm.meetings
    rows = uow.session.execute(
        select(
            c.c.case_id,
            c.c.nominating_party,
            c.c.process_director_party,
            c.c.case_director_party,
            c.c.subject_pseudonym_sealed,
            k.c.wrapped_key,
            r.c.party,
        )
        .join(k, k.c.case_id == c.c.case_id)
        .outerjoin(r, r.c.case_id == c.c.case_id)
        .where(c.c.case_id.in_(case_ids))
        .order_by(c.c.case_id, r.c.party)
    ).all()
    # Issued whatever the first found, so that the work is the same for a case held or none.
    invited = uow.session.execute(
        select(m.c.case_id, m.c.invitees, m.c.attendees).where(m.c.case_id.in_(case_ids))
    ).all()
    parties: dict[str, set[str]] = {}
    first: dict[str, tuple[bytes, bytes]] = {}
    for row in rows:
        found = parties.setdefault(row.case_id, set())
        found.update(
            p
            for p in (
                row.nominating_party,
                row.process_director_party,
                row.case_director_party,
                row.party,
            )
            if p
        )
        first.setdefault(row.case_id, (row.subject_pseudonym_sealed, row.wrapped_key))
    for row in invited:
        if row.case_id in parties:  # a case without its key is none
            parties[row.case_id].update(p for p in (*row.invitees, *row.attendees) if p)
    # In the order asked (the subject's cases newest first).
    return [
        Controlled(case_id, frozenset(parties[case_id]), *first[case_id])
        for case_id in dict.fromkeys(case_ids)
        if case_id in parties
    ]
