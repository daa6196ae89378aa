"""restriction changes in decision order: nominations.restriction_changed_at

When disclosure decided the grant or the lifting of the subject's restriction that intake
applied last (CASE_RESTRICTION_CHANGED.changed_at; GDPR art. 18): restricted_at holds only a
grant's time and a lifting clears it, so a re-sent older grant that arrived after the lifting
restricted the nomination again. Filled from restricted_at where a restriction holds. The schema is
given explicitly, as in d2c6a8e4f1b3; SQLite has none.

Revision ID: c4f7a1e9d2b8
Revises: d2c6a8e4f1b3
Create Date: 2026-12-06 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "c4f7a1e9d2b8"
down_revision = "d2c6a8e4f1b3"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("restriction_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    nominations = sa.table(
        "nominations",
        sa.column("restricted_at", sa.DateTime(timezone=True)),
        sa.column("restriction_changed_at", sa.DateTime(timezone=True)),
        schema=_schema(),
    )
    op.execute(
        nominations.update()
        .where(nominations.c.restricted_at.isnot(None))
        .values(restriction_changed_at=nominations.c.restricted_at)
    )


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.drop_column("restriction_changed_at")
