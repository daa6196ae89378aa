"""The case repository over a unit of work's session: domain objects in, rows out, with the
sensitive columns sealed under the case's own data key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from services.casework.adapters import orm
from services.casework.domain.model import (ActionStatus, Case, CaseState, Meeting,
                                            MeetingStatus, PartyRole, PlanAction)
from zorgtafel.kernel.crypto import KeyRing, new_data_key, open_sealed, seal
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.errors import Unavailable
from zorgtafel.kernel.uow import utcnow


class CaseKeys:
    """Per-case data keys, wrapped by the service key ring; no key ring means fail closed."""

    def __init__(self, keyring: KeyRing | None) -> None:
        self._keyring = keyring

    def _ring(self) -> KeyRing:
        if self._keyring is None:
            raise Unavailable("encryption keys are not configured: nothing is stored or shown "
                              "(fail closed)")
        return self._keyring

    def create(self, session: Session, case_id: str) -> bytes:
        key = new_data_key()
        session.execute(insert(orm.case_keys).values(
            case_id=case_id, wrapped_key=self._ring().wrap(key), created_at=utcnow()))
        return key

    def get(self, session: Session, case_id: str) -> bytes:
        row = session.execute(select(orm.case_keys.c.wrapped_key).where(
            orm.case_keys.c.case_id == case_id)).first()
        if row is None:
            raise Unavailable("the case's data key is gone: its data cannot be read")
        return self._ring().unwrap(row.wrapped_key)

    @staticmethod
    def seal(key: bytes, text: str, associated: str) -> bytes:
        return seal(key, text.encode("utf-8"), associated.encode())

    @staticmethod
    def open(key: bytes, sealed: bytes | None, associated: str) -> str:
        if sealed is None:
            return ""
        return open_sealed(key, sealed, associated.encode()).decode("utf-8")


def _case_from_row(row, pseudonym: str) -> Case:
    return Case(
        case_id=row.case_id, state=CaseState(row.state),
        process_director_party=row.process_director_party,
        nominating_party=row.nominating_party, subject_pseudonym=pseudonym,
        age_band=row.age_band, opened_at=row.opened_at, goal_code=row.goal_code,
        themes=tuple(row.themes), decision_types=tuple(row.decision_types),
        triage_invitees=tuple(row.triage_invitees),
        case_director_party=row.case_director_party,
        case_director_person=row.case_director_person, plan_version=row.plan_version,
        criteria=dict(row.criteria), escalated_zvh=row.escalated_zvh,
        escalation_reason=row.escalation_reason, escalated_at=row.escalated_at,
        deescalated_at=row.deescalated_at, closed_at=row.closed_at, outcome=row.outcome)


_MUTABLE = ("state", "case_director_party", "case_director_person", "plan_version", "criteria",
            "escalated_zvh", "escalation_reason", "escalated_at", "deescalated_at", "closed_at",
            "outcome")


class CaseRepository:
    def __init__(self, session: Session, keys: CaseKeys) -> None:
        self._s = session
        self.keys = keys

    # -- cases ----------------------------------------------------------------------------
    def exists(self, case_id: str) -> bool:
        return self._s.execute(select(orm.cases.c.case_id).where(
            orm.cases.c.case_id == case_id)).first() is not None

    def was_purged(self, case_id: str) -> bool:
        return self._s.execute(select(orm.purged_cases.c.case_id).where(
            orm.purged_cases.c.case_id == case_id)).first() is not None

    def add(self, case: Case) -> None:
        key = self.keys.create(self._s, case.case_id)
        self._s.execute(insert(orm.cases).values(
            case_id=case.case_id, state=case.state.value,
            process_director_party=case.process_director_party,
            nominating_party=case.nominating_party,
            subject_pseudonym_sealed=self.keys.seal(key, case.subject_pseudonym,
                                                    f"case:{case.case_id}:subject"),
            age_band=case.age_band, goal_code=case.goal_code, themes=list(case.themes),
            decision_types=list(case.decision_types), triage_invitees=list(case.triage_invitees),
            case_director_party=None, case_director_person=None, plan_version=0, criteria={},
            opened_at=case.opened_at))

    def get(self, case_id: str, *, for_update: bool = False) -> Case | None:
        q = select(orm.cases).where(orm.cases.c.case_id == case_id)
        if for_update:
            q = q.with_for_update()
        row = self._s.execute(q).first()
        if row is None:
            return None
        key = self.keys.get(self._s, case_id)
        return _case_from_row(row, self.keys.open(key, row.subject_pseudonym_sealed,
                                                  f"case:{case_id}:subject"))

    def save(self, case: Case) -> None:
        values = {name: getattr(case, name) for name in _MUTABLE}
        values["state"] = case.state.value
        self._s.execute(update(orm.cases).where(orm.cases.c.case_id == case.case_id)
                        .values(**values))

    def directed_by(self, party: str) -> list[str]:
        """Ids of the open cases the party directs, as process or case director."""
        c = orm.cases.c
        rows = self._s.execute(select(c.case_id).where(
            (c.process_director_party == party) | (c.case_director_party == party)))
        return [r.case_id for r in rows]

    # -- meetings -------------------------------------------------------------------------
    def add_meeting(self, m: Meeting) -> None:
        self._s.execute(insert(orm.meetings).values(
            meeting_id=m.meeting_id, case_id=m.case_id, status=m.status.value,
            scheduled_for=m.scheduled_for, goal_code=m.goal_code,
            decision_types=list(m.decision_types), themes=list(m.themes),
            invitees=list(m.invitees), pre_read_item_ids=list(m.pre_read_item_ids),
            attendees=[], held_at=None, minutes_sealed=None))

    @staticmethod
    def _meeting(row) -> Meeting:
        return Meeting(meeting_id=row.meeting_id, case_id=row.case_id,
                       status=MeetingStatus(row.status), scheduled_for=row.scheduled_for,
                       goal_code=row.goal_code, decision_types=tuple(row.decision_types),
                       themes=tuple(row.themes), invitees=tuple(row.invitees),
                       pre_read_item_ids=tuple(row.pre_read_item_ids),
                       attendees=tuple(row.attendees), held_at=row.held_at)

    def meeting(self, case_id: str, meeting_id: str) -> Meeting | None:
        row = self._s.execute(select(orm.meetings).where(
            orm.meetings.c.meeting_id == meeting_id, orm.meetings.c.case_id == case_id)).first()
        return self._meeting(row) if row else None

    def meetings(self, case_id: str) -> list[Meeting]:
        rows = self._s.execute(select(orm.meetings).where(orm.meetings.c.case_id == case_id)
                               .order_by(orm.meetings.c.scheduled_for, orm.meetings.c.meeting_id))
        return [self._meeting(r) for r in rows]

    def save_meeting_held(self, m: Meeting, minutes: str) -> None:
        key = self.keys.get(self._s, m.case_id)
        self._s.execute(update(orm.meetings).where(orm.meetings.c.meeting_id == m.meeting_id)
                        .values(status=m.status.value, attendees=list(m.attendees),
                                held_at=m.held_at,
                                minutes_sealed=self.keys.seal(
                                    key, minutes, f"meeting:{m.meeting_id}:minutes")))

    def minutes(self, m: Meeting) -> str | None:
        row = self._s.execute(select(orm.meetings.c.minutes_sealed).where(
            orm.meetings.c.meeting_id == m.meeting_id)).first()
        if row is None or row.minutes_sealed is None:
            return None
        key = self.keys.get(self._s, m.case_id)
        return self.keys.open(key, row.minutes_sealed, f"meeting:{m.meeting_id}:minutes")

    # -- roles ----------------------------------------------------------------------------
    def roles(self, case_id: str) -> list[PartyRole]:
        rows = self._s.execute(select(orm.case_roles).where(orm.case_roles.c.case_id == case_id)
                               .order_by(orm.case_roles.c.party))
        return [PartyRole(r.party, r.role, tuple(r.information_need)) for r in rows]

    def replace_roles(self, case_id: str, roles: list[PartyRole]) -> None:
        self._s.execute(delete(orm.case_roles).where(orm.case_roles.c.case_id == case_id))
        if roles:
            self._s.execute(insert(orm.case_roles), [
                {"case_id": case_id, "party": r.party, "role": r.role,
                 "information_need": list(r.information_need)} for r in roles])

    # -- plan actions ---------------------------------------------------------------------
    def add_action(self, a: PlanAction) -> None:
        key = self.keys.get(self._s, a.case_id)
        self._s.execute(insert(orm.plan_actions).values(
            action_id=a.action_id, case_id=a.case_id, plan_version=a.plan_version,
            party=a.party, what_sealed=self.keys.seal(key, a.what, f"action:{a.action_id}:what"),
            due_date=a.due_date, status=a.status.value, progress_sealed=None,
            updated_at=a.updated_at))

    def _action(self, row, key: bytes) -> PlanAction:
        return PlanAction(
            action_id=row.action_id, case_id=row.case_id, plan_version=row.plan_version,
            party=row.party, what=self.keys.open(key, row.what_sealed, f"action:{row.action_id}:what"),
            due_date=row.due_date, status=ActionStatus(row.status),
            progress_note=self.keys.open(key, row.progress_sealed,
                                         f"action:{row.action_id}:progress"),
            updated_at=row.updated_at)

    def actions(self, case_id: str, *, plan_version: int | None = None) -> list[PlanAction]:
        q = select(orm.plan_actions).where(orm.plan_actions.c.case_id == case_id)
        if plan_version is not None:
            q = q.where(orm.plan_actions.c.plan_version == plan_version)
        rows = list(self._s.execute(q.order_by(orm.plan_actions.c.due_date,
                                               orm.plan_actions.c.action_id)))
        if not rows:
            return []
        key = self.keys.get(self._s, case_id)
        return [self._action(r, key) for r in rows]

    def action(self, case_id: str, action_id: str) -> PlanAction | None:
        row = self._s.execute(select(orm.plan_actions).where(
            orm.plan_actions.c.action_id == action_id,
            orm.plan_actions.c.case_id == case_id)).first()
        return self._action(row, self.keys.get(self._s, case_id)) if row else None

    def save_action(self, a: PlanAction) -> None:
        key = self.keys.get(self._s, a.case_id)
        self._s.execute(update(orm.plan_actions).where(
            orm.plan_actions.c.action_id == a.action_id).values(
            status=a.status.value, updated_at=a.updated_at,
            progress_sealed=(self.keys.seal(key, a.progress_note,
                                            f"action:{a.action_id}:progress")
                             if a.progress_note else None)))

    # -- timeline -------------------------------------------------------------------------
    def add_timeline(self, case_id: str, kind: str, parties: list[str], details: dict,
                     at: datetime) -> None:
        self._s.execute(insert(orm.case_timeline).values(
            case_id=case_id, kind=kind, parties=parties, details=details, occurred_at=at))

    def timeline_after(self, case_id: str, after_seq: int, limit: int = 200) -> list:
        t = orm.case_timeline
        return list(self._s.execute(select(t).where(t.c.case_id == case_id, t.c.seq > after_seq)
                                    .order_by(t.c.seq).limit(limit)))

    # -- cleansing and purge (1.2) --------------------------------------------------------
    def cleanse(self, case_id: str, kinds: tuple[str, ...]) -> None:
        m = orm.meetings
        if "minutes" in kinds:
            self._s.execute(update(m).where(m.c.case_id == case_id).values(minutes_sealed=None))
        if "attendance" in kinds:
            self._s.execute(update(m).where(m.c.case_id == case_id).values(attendees=[]))
        if "pre_read" in kinds:
            self._s.execute(update(m).where(m.c.case_id == case_id).values(pre_read_item_ids=[]))
        if "plan" in kinds:
            self._s.execute(delete(orm.plan_actions).where(orm.plan_actions.c.case_id == case_id))
        if "roles" in kinds:
            self._s.execute(delete(orm.case_roles).where(orm.case_roles.c.case_id == case_id))
        if "criteria" in kinds:
            self._s.execute(update(orm.cases).where(orm.cases.c.case_id == case_id)
                            .values(criteria={}))
        if "timeline" in kinds:
            self._s.execute(delete(orm.case_timeline).where(orm.case_timeline.c.case_id == case_id))

    def purge(self, case_id: str, at: datetime, year: int, outcome: str, escalated: bool) -> None:
        """Delete every row of the case and its data key; keep only the statistic and the
        fact that the id was purged. The kernel's rows of the case go too (``forget_case``;
        the purge event itself is written after this, at commit)."""
        for table in orm.CASE_TABLES:
            self._s.execute(delete(table).where(table.c.case_id == case_id))
        forget_case(self._s, orm.tables, case_id)
        self._s.execute(insert(orm.purged_cases).values(case_id=case_id, purged_at=at))
        self._s.execute(insert(orm.case_statistics).values(year=year, outcome=outcome,
                                                           escalated=escalated))
