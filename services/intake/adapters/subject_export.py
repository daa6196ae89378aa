"""What the subject access report needs of intake's tables beyond a nomination itself: the
subject's nominations and their controllers, by case id or pseudonym, and the times of a
nomination's steps (its history)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from services.intake.adapters import orm
from zorgtafel.kernel.uow import UnitOfWork

MAX_NOMINATIONS = 100  # of one subject; more is no person's history


@dataclass(frozen=True)
class Controlled:
    """A nomination as the export's decision needs it: who answers for it, nothing unsealed."""

    case_id: str
    subject_pseudonym: str
    nominating_party: str
    process_director_party: str


def controlled(uow: UnitOfWork, by: str, value: str) -> list[Controlled]:
    """The nominations of a case id or of a pseudonym with their controllers, in one statement
    whatever is held (none, one or many): a nomination whose case key is destroyed (erased) is
    none. Nothing is unsealed: a refused export costs the same whether anything is held."""
    n, k = orm.tables["nominations"], orm.tables["case_keys"]
    q = select(
        n.c.case_id, n.c.subject_pseudonym, n.c.nominating_party, n.c.process_director_party
    ).join(k, k.c.case_id == n.c.case_id)
    q = (
        q.where(n.c.case_id == value)
        if by == "case_id"
        else q.where(n.c.subject_pseudonym == value)
        .order_by(n.c.nominated_at, n.c.case_id)
        .limit(MAX_NOMINATIONS)
    )
    return [
        Controlled(
            r.case_id, r.subject_pseudonym, r.nominating_party, r.process_director_party or ""
        )
        for r in uow.session.execute(q)
    ]


def step_times(uow: UnitOfWork, case_id: str) -> dict[str, datetime | None]:
    """When the nomination was made, assessed, routed and last changed."""
    n = orm.tables["nominations"]
    row = uow.session.execute(
        select(n.c.nominated_at, n.c.assessed_at, n.c.routed_at, n.c.updated_at).where(
            n.c.case_id == case_id
        )
    ).first()
    if row is None:
        return {}
    return {
        "nominated": row.nominated_at,
        "assessed": row.assessed_at,
        "routed": row.routed_at,
        "last_changed": row.updated_at,
    }
