"""A case's meetings in and out of their table; the minutes sealed under the case's key."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from services.casework.adapters import orm
from services.casework.adapters.sealing import SealedRows, seal, unseal
from services.casework.domain.model import Meeting, MeetingStatus


class MeetingRepository(SealedRows):
    def add_meeting(self, m: Meeting) -> None:
        self._s.execute(
            insert(orm.meetings).values(
                meeting_id=m.meeting_id,
                case_id=m.case_id,
                status=m.status.value,
                scheduled_for=m.scheduled_for,
                goal_code=m.goal_code,
                decision_types=list(m.decision_types),
                themes=list(m.themes),
                invitees=list(m.invitees),
                pre_read_item_ids=list(m.pre_read_item_ids),
                attendees=[],
                held_at=None,
                minutes_sealed=None,
            )
        )

    @staticmethod
    def _meeting(row) -> Meeting:
        return Meeting(
            meeting_id=row.meeting_id,
            case_id=row.case_id,
            status=MeetingStatus(row.status),
            scheduled_for=row.scheduled_for,
            goal_code=row.goal_code,
            decision_types=tuple(row.decision_types),
            themes=tuple(row.themes),
            invitees=tuple(row.invitees),
            pre_read_item_ids=tuple(row.pre_read_item_ids),
            attendees=tuple(row.attendees),
            held_at=row.held_at,
        )

    def meeting(self, case_id: str, meeting_id: str) -> Meeting | None:
        row = self._s.execute(
            select(orm.meetings).where(
                orm.meetings.c.meeting_id == meeting_id, orm.meetings.c.case_id == case_id
            )
        ).first()
        return self._meeting(row) if row else None

    def meetings(self, case_id: str) -> list[Meeting]:
        rows = self._s.execute(
            select(orm.meetings)
            .where(orm.meetings.c.case_id == case_id)
            .order_by(orm.meetings.c.scheduled_for, orm.meetings.c.meeting_id)
        )
        return [self._meeting(r) for r in rows]

    def save_meeting_held(self, m: Meeting, minutes: str) -> None:
        key = self.keys.get(self._s, m.case_id)
        self._s.execute(
            update(orm.meetings)
            .where(orm.meetings.c.meeting_id == m.meeting_id)
            .values(
                status=m.status.value,
                attendees=list(m.attendees),
                held_at=m.held_at,
                minutes_sealed=seal(key, minutes, f"meeting:{m.meeting_id}:minutes"),
            )
        )

    def minutes(self, m: Meeting) -> str | None:
        row = self._s.execute(
            select(orm.meetings.c.minutes_sealed).where(orm.meetings.c.meeting_id == m.meeting_id)
        ).first()
        if row is None or row.minutes_sealed is None:
            return None
        key = self.keys.get(self._s, m.case_id)
        return unseal(key, row.minutes_sealed, f"meeting:{m.meeting_id}:minutes")
