"""What the kernel itself keeps about a case, and how a purge removes it (covenant 1.2: the
dossier "finally disappears from the system").

Every service's kernel tables may name a case: stored command responses, processed event ids,
and outbox rows. On purge they go, except outbox rows not yet sent: those are facts other
services still have to learn (ids and codes only, never subject data), so they leave first and
the relay's housekeeping removes them once sent.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session


def is_forgotten(session: Session, tables: dict, case_id: str) -> bool:
    t = tables["forgotten_cases"]
    return session.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first() is not None


def forget_case(session: Session, tables: dict, case_id: str) -> None:
    if not is_forgotten(session, tables, case_id):
        session.execute(insert(tables["forgotten_cases"]).values(
            case_id=case_id, forgotten_at=datetime.now(timezone.utc)))
    for name in ("command_results", "processed_events"):
        table = tables[name]
        session.execute(delete(table).where(table.c.case_id == case_id))
    outbox = tables["outbox"]
    session.execute(delete(outbox).where(outbox.c.case_id == case_id,
                                         outbox.c.sent_at.is_not(None)))
