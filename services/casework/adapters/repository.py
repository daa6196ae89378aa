"""The case repository over a unit of work's session: domain objects in, rows out, with the
sensitive columns sealed under the case's own data key (``sealing``). ``CaseRepository`` is the
one name the unit of work knows (``uow.cases``): the case itself, cleansing and purge here,
composed with the meetings (``meetings``), the plan (``plan``) and the timeline (``timeline``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update

from services.casework.adapters import orm
from services.casework.adapters.meetings import MeetingRepository
from services.casework.adapters.plan import PlanRepository
from services.casework.adapters.sealing import seal, unseal
from services.casework.adapters.timeline import TimelineRepository
from services.casework.domain.model import AwaitingDirector, Case, CaseState
from zorgtafel.kernel.events import in_decision_order
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.validate import ID, same_person


def _case_from_row(row, pseudonym: str, delegates: dict[str, tuple[str, ...]]) -> Case:
    return Case(
        case_id=row.case_id,
        state=CaseState(row.state),
        process_director_party=row.process_director_party,
        nominating_party=row.nominating_party,
        subject_pseudonym=pseudonym,
        age_band=row.age_band,
        opened_at=row.opened_at,
        goal_code=row.goal_code,
        themes=tuple(row.themes),
        decision_types=tuple(row.decision_types),
        triage_invitees=tuple(row.triage_invitees),
        process_director_person=row.process_director_person or "",
        process_director_left_at=row.process_director_left_at,
        delegates=delegates,
        case_director_party=row.case_director_party,
        case_director_person=row.case_director_person,
        plan_version=row.plan_version,
        criteria=dict(row.criteria),
        escalated_zvh=row.escalated_zvh,
        escalation_reason=row.escalation_reason,
        escalated_at=row.escalated_at,
        deescalated_at=row.deescalated_at,
        closed_at=row.closed_at,
        outcome=row.outcome,
        restricted_at=row.restricted_at,
        decided_at=row.decided_at,
    )


_MUTABLE = (
    "state",
    "process_director_party",
    "process_director_person",
    "process_director_left_at",
    "case_director_party",
    "case_director_person",
    "plan_version",
    "criteria",
    "escalated_zvh",
    "escalation_reason",
    "escalated_at",
    "deescalated_at",
    "closed_at",
    "outcome",
    "decided_at",
)


class CaseRepository(MeetingRepository, PlanRepository, TimelineRepository):
    # -- cases ----------------------------------------------------------------------------
    def exists(self, case_id: str) -> bool:
        return (
            self._s.execute(
                select(orm.cases.c.case_id).where(orm.cases.c.case_id == case_id)
            ).first()
            is not None
        )

    def case_ids(self) -> list[str]:
        """Every case casework holds (a purged one's row is gone), in id order."""
        return list(self._s.scalars(select(orm.cases.c.case_id).order_by(orm.cases.c.case_id)))

    def was_purged(self, case_id: str) -> bool:
        return (
            self._s.execute(
                select(orm.purged_cases.c.case_id).where(orm.purged_cases.c.case_id == case_id)
            ).first()
            is not None
        )

    def add(self, case: Case) -> None:
        key = self.keys.create(self._s, case.case_id)
        self._s.execute(
            insert(orm.cases).values(
                case_id=case.case_id,
                state=case.state.value,
                process_director_party=case.process_director_party,
                process_director_person=case.process_director_person,
                process_director_left_at=case.process_director_left_at,
                nominating_party=case.nominating_party,
                subject_pseudonym_sealed=seal(
                    key, case.subject_pseudonym, f"case:{case.case_id}:subject"
                ),
                age_band=case.age_band,
                goal_code=case.goal_code,
                themes=list(case.themes),
                decision_types=list(case.decision_types),
                triage_invitees=list(case.triage_invitees),
                case_director_party=None,
                case_director_person=None,
                plan_version=0,
                criteria={},
                opened_at=case.opened_at,
            )
        )

    def get(self, case_id: str, *, for_update: bool = False) -> Case | None:
        q = select(orm.cases).where(orm.cases.c.case_id == case_id)
        if for_update:
            q = q.with_for_update()
        row = self._s.execute(q).first()
        if row is None:
            return None
        key = self.keys.get(self._s, case_id)
        return _case_from_row(
            row,
            unseal(key, row.subject_pseudonym_sealed, f"case:{case_id}:subject"),
            self._delegates(case_id),
        )

    def save(self, case: Case) -> None:
        values = {name: getattr(case, name) for name in _MUTABLE}
        values["state"] = case.state.value
        self._s.execute(
            update(orm.cases).where(orm.cases.c.case_id == case.case_id).values(**values)
        )
        self._save_delegates(case)

    def directed_by(self, party: str, person: str) -> list[str]:
        """The cases not closed that ``person`` of ``party`` directs (12.3), in id order, each
        row locked for the caller's change. A person id names its person without case
        (``validate.same_person``)."""
        k = orm.cases
        rows = self._s.execute(
            select(k.c.case_id, k.c.process_director_person)
            .where(
                k.c.process_director_party == party,
                func.lower(k.c.process_director_person) == person.strip().lower(),
                k.c.state.not_in([CaseState.CLOSED.value, CaseState.PURGED.value]),
            )
            .order_by(k.c.case_id)
            .with_for_update()
        ).all()
        return [r.case_id for r in rows if same_person(r.process_director_person, person)]

    def awaiting_director(
        self, offset: int, limit: int, after: str | None = None
    ) -> list[AwaitingDirector]:
        """One page of the cases not closed whose process director left and that nobody took
        over (12.3: ``Case.left_by_its_director``), in case id order, from just after the case
        id ``after`` (keyset) or else from ``offset``; ids, parties and times only."""
        k = orm.cases.c
        q = select(k.case_id, k.process_director_party, k.process_director_left_at).where(
            k.process_director_left_at.is_not(None),
            func.coalesce(k.process_director_person, "") == "",
            k.state.not_in([CaseState.CLOSED.value, CaseState.PURGED.value]),
        )
        if after is not None:
            q = q.where(k.case_id > after)
        else:
            q = q.offset(offset)
        rows = self._s.execute(q.order_by(k.case_id).limit(limit))
        return [
            AwaitingDirector(r.case_id, r.process_director_party, r.process_director_left_at)
            for r in rows
        ]

    # -- delegates (16.1) -----------------------------------------------------------------
    def _delegates(self, case_id: str) -> dict[str, tuple[str, ...]]:
        t = orm.case_delegates
        rows = self._s.execute(
            select(t.c.party, t.c.person)
            .where(t.c.case_id == case_id)
            .order_by(t.c.named_at, t.c.person)
        )
        out: dict[str, tuple[str, ...]] = {}
        for r in rows:
            out[r.party] = (*out.get(r.party, ()), r.person)
        return out

    def _save_delegates(self, case: Case) -> None:
        """Bring the table to the case's delegates: new ones in, released ones out."""
        t = orm.case_delegates
        stored = {(p, x) for p, xs in self._delegates(case.case_id).items() for x in xs}
        wanted = {(p, x) for p, xs in case.delegates.items() for x in xs}
        for party, person in stored - wanted:
            self._s.execute(
                delete(t).where(
                    (t.c.case_id == case.case_id) & (t.c.party == party) & (t.c.person == person)
                )
            )
        now = utcnow()
        for party, person in sorted(wanted - stored):
            self._s.execute(
                insert(t).values(case_id=case.case_id, party=party, person=person, named_at=now)
            )

    def party_status(self, party: str) -> str | None:
        """The party's status in the party-status projection (None: not a party we know)."""
        t = orm.tables["party_directory"]
        return self._s.execute(select(t.c.status).where(t.c.party_id == party)).scalar()

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
            self._s.execute(
                update(orm.cases).where(orm.cases.c.case_id == case_id).values(criteria={})
            )
        if "timeline" in kinds:
            self._s.execute(delete(orm.case_timeline).where(orm.case_timeline.c.case_id == case_id))

    def closed_before(self, cutoff: datetime) -> list[str]:
        """Closed cases closed at or before ``cutoff`` (the retention scheduler's question),
        but none the subject's restriction holds (GDPR art. 18(2): only stored while it
        lasts; due at the first tick after its lifting, its period counted from its closing)."""
        c = orm.cases.c
        q = (
            select(c.case_id)
            .where(
                c.state == CaseState.CLOSED.value,
                c.closed_at <= cutoff,
                c.restricted_at.is_(None),
            )
            .order_by(c.closed_at, c.case_id)
        )
        return list(self._s.scalars(q))

    def set_restricted(self, case_id: str, restricted: bool, at: datetime) -> bool:
        """The subject's restriction of the case was granted (``restricted``) or lifted, as
        disclosure decided it at ``at`` (GDPR art. 18); False for a case unknown here and for
        a decision older than the one applied last (``restriction_changed_at``; it came late:
        the later one holds, a grant or a lifting; of two at one time the grant). Not one of
        the fields ``save`` writes: a command on the case never undoes it."""
        c = orm.cases.c
        row = self._s.execute(
            select(c.restriction_changed_at).where(c.case_id == case_id).with_for_update()
        ).first()
        if row is None:
            return False
        if not in_decision_order(at, row.restriction_changed_at, grants=not restricted):
            return False
        self._s.execute(
            update(orm.cases)
            .where(c.case_id == case_id)
            .values(restricted_at=at if restricted else None, restriction_changed_at=at)
        )
        return True

    def set_age_band(self, case_id: str, age_band: str) -> bool:
        """The subject's consent age band moved on (Bijlage 3); False for an unknown case."""
        result = self._s.execute(
            update(orm.cases).where(orm.cases.c.case_id == case_id).values(age_band=age_band)
        )
        return bool(result.rowcount)

    def forget_unopened(self, case_id: str, at: datetime) -> None:
        """A case erased before it was opened here (GDPR art. 17): only the fact that its id
        is gone, so a late triage outcome does not open it (``open_case``). No statistic: it
        was never a case here. An id no case could have (not 1-64 characters) is ignored."""
        if not ID.fullmatch(case_id):
            return
        forget_case(self._s, orm.tables, case_id)  # under the case's lock, as open_case
        if not self.was_purged(case_id):
            self._s.execute(insert(orm.purged_cases).values(case_id=case_id, purged_at=at))

    def purge(self, case_id: str, at: datetime, year: int, outcome: str, escalated: bool) -> None:
        """Delete every row of the case and its data key; keep only the statistic and the
        fact that the id was purged. The kernel's rows of the case go too (``forget_case``;
        the purge event itself is written after this, at commit)."""
        for table in orm.CASE_TABLES:
            self._s.execute(delete(table).where(table.c.case_id == case_id))
        forget_case(self._s, orm.tables, case_id)
        self._s.execute(insert(orm.purged_cases).values(case_id=case_id, purged_at=at))
        self._s.execute(
            insert(orm.case_statistics).values(year=year, outcome=outcome, escalated=escalated)
        )
