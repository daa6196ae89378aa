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

    def has_timeline_after(self, case_id: str, after_seq: int) -> bool:
        """Whether the case has an entry after ``after_seq``: an idle watch's cheap look."""
        t = orm.case_timeline
        found = self._s.execute(
            select(t.c.seq).where(t.c.case_id == case_id, t.c.seq > after_seq).limit(1)
        )
        return found.first() is not None

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
