"""purge held by a restriction: nominations.purge_held_at

Casework purges a case only while it holds no restriction of it, but it may purge one before
it learns the restriction disclosure granted; intake, which had learnt it, erased the
nomination at CASE_PURGED all the same (GDPR art. 18(2): only storage). From now on it keeps a
restricted nomination then, marked with when the purge was held, and the retention task
``purge_held_by_a_restriction`` purges it after the lifting. The schema is given explicitly;
SQLite has none.

Revision ID: 6d56e67762d6
Revises: f4a7c21e9b30
Create Date: 2026-12-07 19:35:00.000000
"""

from alembic import context, op
import sqlalchemy as sa


revision = "6d56e67762d6"
down_revision = "f4a7c21e9b30"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("purge_held_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.drop_column("purge_held_at")
