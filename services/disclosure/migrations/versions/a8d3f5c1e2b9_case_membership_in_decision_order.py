"""case membership in decision order: case_facts.roles_changed_at, case_director_changed_at,
delegates_changed_at

When casework decided the roles, the case director and each delegate's naming or release that
disclosure holds (the events' ``changed_at``): a change decided before it that arrives late (a
re-sent batch) changes nothing, so a released delegate is not given the case again. Existing
rows hold no time: the first change with one applies, as every change did before. Alembic's
ADD COLUMN names its table itself, so the service's PostgreSQL schema is given explicitly;
SQLite has none.

Revision ID: a8d3f5c1e2b9
Revises: f3b8d21c4a04
Create Date: 2026-12-06 22:00:00.000000
"""

from alembic import context, op
import sqlalchemy as sa


revision = "a8d3f5c1e2b9"
down_revision = "f3b8d21c4a04"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("roles_changed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("case_director_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("delegates_changed_at", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("delegates_changed_at")
        batch_op.drop_column("case_director_changed_at")
        batch_op.drop_column("roles_changed_at")
