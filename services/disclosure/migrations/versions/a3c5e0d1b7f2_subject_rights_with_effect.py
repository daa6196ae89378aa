"""subject rights with effect: case closure, restriction, correction, deadlines (issue #14)

Revision ID: a3c5e0d1b7f2
Revises: 7e769bfb8426
Create Date: 2026-12-02 10:10:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "a3c5e0d1b7f2"
down_revision = "7e769bfb8426"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def _at() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    # batch_alter_table: SQLite cannot add several columns in one ALTER otherwise.
    with op.batch_alter_table("case_facts", schema=_schema()) as batch:
        batch.add_column(sa.Column("closed_at", _at(), nullable=True))
        batch.add_column(sa.Column("restricted_at", _at(), nullable=True))
        batch.add_column(sa.Column("erased_at", _at(), nullable=True))
    with op.batch_alter_table("items", schema=_schema()) as batch:
        batch.add_column(sa.Column("restricted_at", _at(), nullable=True))
        batch.add_column(sa.Column("superseded_at", _at(), nullable=True))
        batch.add_column(sa.Column("superseded_by", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("supersedes", sa.String(length=64), nullable=True))
    with op.batch_alter_table("subject_requests", schema=_schema()) as batch:
        batch.add_column(sa.Column("due_at", _at(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subject_requests", schema=_schema()) as batch:
        batch.drop_column("due_at")
    with op.batch_alter_table("items", schema=_schema()) as batch:
        for name in ("supersedes", "superseded_by", "superseded_at", "restricted_at"):
            batch.drop_column(name)
    with op.batch_alter_table("case_facts", schema=_schema()) as batch:
        for name in ("erased_at", "restricted_at", "closed_at"):
            batch.drop_column(name)
