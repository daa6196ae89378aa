"""a revoked process director keeps its row: process_directors.revoked_at

A process director's designation and revocation are published to every service's roster with
their decision time (RosterChanged.changed_at), and a roster ignores a change older than the
one it holds; governance decides each after the entry's last one (next_decision_time). A
revocation deleted the row with that time, so the same person designated again on a replica
whose clock is behind the one that revoked was ignored everywhere. A revoked designation's row
now stays, with revoked_at (designated: null); rows before this revision are all designated.

Revision ID: b9fc3d9bf985
Revises: 318a15271710
Create Date: 2026-12-07 01:50:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "b9fc3d9bf985"
down_revision = "318a15271710"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("process_directors", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    schema = _schema()
    # Before the column a row meant a designation: a revoked one's row goes with it.
    directors = sa.table(
        "process_directors", sa.column("revoked_at", sa.DateTime(timezone=True)), schema=schema
    )
    op.execute(sa.delete(directors).where(directors.c.revoked_at.is_not(None)))
    with op.batch_alter_table("process_directors", schema=schema) as batch_op:
        batch_op.drop_column("revoked_at")
