"""A case's plan: the parties' roles and the plan actions in and out of their tables; what an
action asks and its progress note sealed under the case's key."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, delete, false, func, insert, or_, select, tuple_, update

from services.casework.adapters import orm
from services.casework.adapters.sealing import SealedRows, seal, unseal
from services.casework.domain.model import (
    ACTION_STATES,
    FINISHED_ACTION,
    ActionStatus,
    Overdue,
    PartyRole,
    PlanAction,
)


class PlanRepository(SealedRows):
    # -- roles ----------------------------------------------------------------------------
    def roles(self, case_id: str) -> list[PartyRole]:
        rows = self._s.execute(
            select(orm.case_roles)
            .where(orm.case_roles.c.case_id == case_id)
            .order_by(orm.case_roles.c.party)
        )
        return [PartyRole(r.party, r.role, tuple(r.information_need)) for r in rows]

    def replace_roles(self, case_id: str, roles: list[PartyRole]) -> None:
        self._s.execute(delete(orm.case_roles).where(orm.case_roles.c.case_id == case_id))
        if roles:
            self._s.execute(
                insert(orm.case_roles),
                [
                    {
                        "case_id": case_id,
                        "party": r.party,
                        "role": r.role,
                        "information_need": list(r.information_need),
                    }
                    for r in roles
                ],
            )

    # -- plan actions ---------------------------------------------------------------------
    def add_action(self, a: PlanAction) -> None:
        key = self.keys.get(self._s, a.case_id)
        self._s.execute(
            insert(orm.plan_actions).values(
                action_id=a.action_id,
                case_id=a.case_id,
                plan_version=a.plan_version,
                party=a.party,
                what_sealed=seal(key, a.what, f"action:{a.action_id}:what"),
                due_date=a.due_date,
                status=a.status.value,
                progress_sealed=None,
                updated_at=a.updated_at,
            )
        )

    def _action(self, row, key: bytes) -> PlanAction:
        return PlanAction(
            action_id=row.action_id,
            case_id=row.case_id,
            plan_version=row.plan_version,
            party=row.party,
            what=unseal(key, row.what_sealed, f"action:{row.action_id}:what"),
            due_date=row.due_date,
            status=ActionStatus(row.status),
            progress_note=unseal(key, row.progress_sealed, f"action:{row.action_id}:progress"),
            updated_at=row.updated_at,
        )

    def actions(self, case_id: str, *, plan_version: int | None = None) -> list[PlanAction]:
        q = select(orm.plan_actions).where(orm.plan_actions.c.case_id == case_id)
        if plan_version is not None:
            q = q.where(orm.plan_actions.c.plan_version == plan_version)
        rows = list(
            self._s.execute(q.order_by(orm.plan_actions.c.due_date, orm.plan_actions.c.action_id))
        )
        if not rows:
            return []
        key = self.keys.get(self._s, case_id)
        return [self._action(r, key) for r in rows]

    def overdue(
        self,
        today: date,
        offset: int,
        limit: int,
        after: tuple[str, date, str] | None = None,
        *,
        case_id: str | None = None,
        directed_by: tuple[str, str] | None = None,
        as_process_director: bool = False,
        as_case_director: bool = False,
    ) -> list[Overdue]:
        """One page of the overdue actions (unfinished, due before ``today``) of cases whose
        plan is being carried out and that are not restricted: of one case, or of the cases ``directed_by`` (party,
        person) directs as process director and/or as case director. One indexed join
        (ix_cases_process_director, ix_cases_case_director, ix_plan_actions_case_due), in the
        order (case_id, due_date, action_id), from just after the key ``after`` (keyset) or
        else from ``offset``; nothing is decrypted."""
        a, k = orm.plan_actions.c, orm.cases.c
        q = (
            select(
                a.case_id,
                a.action_id,
                a.party,
                a.due_date,
                a.status,
                k.case_director_party,
                k.process_director_party,
            )
            .join_from(orm.plan_actions, orm.cases, k.case_id == a.case_id)
            .where(
                k.state.in_(sorted(st.value for st in ACTION_STATES)),
                # GDPR art. 18: a restricted case's plan is listed to no one (act.rego).
                k.restricted_at.is_(None),
                a.status.not_in(sorted(st.value for st in FINISHED_ACTION)),
                a.due_date < today,
            )
        )
        if case_id is not None:
            q = q.where(a.case_id == case_id)
        if directed_by is not None:
            # A person id names its person without case (validate.same_person; ASCII ids, so
            # lower is the comparison): the party's column still narrows the scan.
            party, person = directed_by[0], directed_by[1].lower()
            whose = [false()]
            if as_process_director:
                whose.append(
                    and_(
                        k.process_director_party == party,
                        func.lower(k.process_director_person) == person,
                    )
                )
            if as_case_director:
                whose.append(
                    and_(
                        k.case_director_party == party, func.lower(k.case_director_person) == person
                    )
                )
            q = q.where(or_(*whose))
        if after is not None:
            q = q.where(
                tuple_(a.case_id, a.due_date, a.action_id) > tuple_(*after),
                # Implied by the key, stated so that the scan of the cases starts there too.
                k.case_id >= after[0],
            )
        else:
            q = q.offset(offset)
        rows = self._s.execute(q.order_by(a.case_id, a.due_date, a.action_id).limit(limit))
        return [
            Overdue.of(
                r.case_id,
                r.action_id,
                r.party,
                r.due_date,
                ActionStatus(r.status),
                today,
                (r.case_director_party, r.process_director_party),
            )
            for r in rows
        ]

    def action(self, case_id: str, action_id: str) -> PlanAction | None:
        row = self._s.execute(
            select(orm.plan_actions).where(
                orm.plan_actions.c.action_id == action_id, orm.plan_actions.c.case_id == case_id
            )
        ).first()
        return self._action(row, self.keys.get(self._s, case_id)) if row else None

    def save_action(self, a: PlanAction) -> None:
        key = self.keys.get(self._s, a.case_id)
        self._s.execute(
            update(orm.plan_actions)
            .where(orm.plan_actions.c.action_id == a.action_id)
            .values(
                status=a.status.value,
                updated_at=a.updated_at,
                progress_sealed=(
                    seal(key, a.progress_note, f"action:{a.action_id}:progress")
                    if a.progress_note
                    else None
                ),
            )
        )
