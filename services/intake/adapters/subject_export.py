"""What the subject access report needs of intake's tables beyond a nomination itself: the
subject's nominations by pseudonym, and the times of a nomination's steps (its history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from services.intake.adapters import orm
from zorgtafel.kernel.uow import UnitOfWork

MAX_NOMINATIONS = 100  # of one subject; more is no person's history


def case_ids_of_subject(uow: UnitOfWork, pseudonym: str) -> list[str]:
    n = orm.tables["nominations"]
    rows = uow.session.execute(
        select(n.c.case_id)
        .where(n.c.subject_pseudonym == pseudonym)
        .order_by(n.c.nominated_at, n.c.case_id)
        .limit(MAX_NOMINATIONS)
    )
    return [r.case_id for r in rows]


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
