"""cases opened without a process director await one

12.3: a case opened from an intake event that named no process director person ("": an intake
before it named one) was directed by nobody and, with process_director_left_at null, could be
taken over by nobody either: nobody could ever act on it. Casework now opens such a case as one
awaiting a process director (left_at: its opening); this gives the cases opened so before, not
closed, the same: left_at = opened_at where nobody directs them and left_at is null. Data only.
The downgrade leaves them: the schema before reads them alike (nobody directs them, awaiting).

Revision ID: 2f6a9c1d8e47
Revises: 1033ab206a61
Create Date: 2026-12-07 23:40:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "2f6a9c1d8e47"
down_revision = "1033ab206a61"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    cases = sa.table(
        "cases",
        sa.column("state", sa.String),
        sa.column("process_director_person", sa.String),
        sa.column("process_director_left_at", sa.DateTime(timezone=True)),
        sa.column("opened_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    op.execute(
        cases.update()
        .where(
            sa.func.coalesce(cases.c.process_director_person, "") == "",
            cases.c.process_director_left_at.is_(None),
            cases.c.state.not_in(["closed", "purged"]),
        )
        .values(process_director_left_at=cases.c.opened_at)
    )


def downgrade() -> None:
    pass
