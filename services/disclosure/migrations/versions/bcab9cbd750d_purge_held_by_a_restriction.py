"""purge held by a restriction: case_facts.purge_held_at

Casework knows only restrictions of a whole case, so it purges a case whose item the subject
restricted on its own (and, before it learns a restriction disclosure granted, a restricted
case); disclosure's CASE_PURGED deleted what the restriction held (GDPR art. 18(2): only
storage). From now on it keeps what is restricted, marks the case's facts with when the purge
was held, and the retention task ``purge_held_by_a_restriction`` purges it after the lifting.
The schema is given explicitly, as in a8d3f5c1e2b9; SQLite has none.

Revision ID: bcab9cbd750d
Revises: a9c3e5f7b1d4
Create Date: 2026-12-07 19:30:00.000000
"""

from alembic import context, op
import sqlalchemy as sa


revision = "bcab9cbd750d"
down_revision = "a9c3e5f7b1d4"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("purge_held_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("purge_held_at")
