"""A case's plan: the parties' roles and the plan actions in and out of their tables; what an
action asks and its progress note sealed under the case's key."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from services.casework.adapters import orm
from services.casework.adapters.sealing import SealedRows, seal, unseal
from services.casework.domain.model import ActionStatus, PartyRole, PlanAction


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
