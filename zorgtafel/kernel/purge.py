"""What the kernel itself keeps about a case, and how a purge removes it (covenant 1.2: the
dossier "finally disappears from the system").

Every service's kernel tables may name a case: stored command responses, processed event ids,
and outbox rows. On purge stored responses and sent outbox rows go; processed event ids stay,
unlinked from the case; outbox rows not yet sent stay until sent (facts other services still
have to learn: ids and codes only, never subject data), then the relay's housekeeping removes
them. ``forgotten_cases`` keeps the bare id, so events of the case that arrive later on
another topic are not linked to it again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session


def is_forgotten(session: Session, tables: Mapping[str, Table], case_id: str) -> bool:
    t = tables["forgotten_cases"]
    return session.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first() is not None


def forget_case(session: Session, tables: Mapping[str, Table], case_id: str) -> None:
    if not is_forgotten(session, tables, case_id):
        session.execute(
            insert(tables["forgotten_cases"]).values(
                case_id=case_id, forgotten_at=datetime.now(timezone.utc)
            )
        )
    commands = tables["command_results"]
    session.execute(delete(commands).where(commands.c.case_id == case_id))
    # Processed-event rows stay (a redelivered event must still be recognised, or it could
    # bring the case back); only their link to the case goes.
    inbox = tables["processed_events"]
    session.execute(update(inbox).where(inbox.c.case_id == case_id).values(case_id=None))
    outbox = tables["outbox"]
    session.execute(
        delete(outbox).where(outbox.c.case_id == case_id, outbox.c.sent_at.is_not(None))
    )
