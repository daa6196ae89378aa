"""restriction changes in decision order: cases.restriction_changed_at

When disclosure decided the grant or the lifting of the subject's restriction that casework
applied last (CASE_RESTRICTION_CHANGED.changed_at; GDPR art. 18): restricted_at holds only a
grant's time and a lifting clears it, so a re-sent older grant that arrived after the lifting
restricted the case again. Filled from restricted_at where a restriction holds. The schema is
given explicitly, as in a4c7e2d9b5f1; SQLite has none.

Revision ID: b9e4d2a7c3f6
Revises: a4c7e2d9b5f1
Create Date: 2026-12-06 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "b9e4d2a7c3f6"
down_revision = "a4c7e2d9b5f1"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("restriction_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    cases = sa.table(
        "cases",
        sa.column("restricted_at", sa.DateTime(timezone=True)),
        sa.column("restriction_changed_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    op.execute(
        cases.update()
        .where(cases.c.restricted_at.isnot(None))
        .values(restriction_changed_at=cases.c.restricted_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.drop_column("restriction_changed_at")
