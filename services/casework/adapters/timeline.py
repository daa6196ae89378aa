"""A case's timeline (what WatchCase reads): one entry per published fact, in order."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from services.casework.adapters import orm
from services.casework.adapters.sealing import SealedRows


class TimelineRepository(SealedRows):
    def add_timeline(
        self, case_id: str, kind: str, parties: list[str], details: dict, at: datetime
    ) -> None:
        self._s.execute(
            insert(orm.case_timeline).values(
                case_id=case_id, kind=kind, parties=parties, details=details, occurred_at=at
            )
        )

    def timeline_after(self, case_id: str, after_seq: int, limit: int = 200) -> list:
        t = orm.case_timeline
        return list(
            self._s.execute(
                select(t)
                .where(t.c.case_id == case_id, t.c.seq > after_seq)
                .order_by(t.c.seq)
                .limit(limit)
            )
        )
