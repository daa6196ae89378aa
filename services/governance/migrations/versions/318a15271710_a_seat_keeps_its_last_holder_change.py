"""a seat keeps its last holder change: seats.holder_changed_at

A seat's holder changes are published to every service's roster with their decision time
(RosterChanged.changed_at), and a roster ignores a change older than the one it holds;
governance decides each after the seat's last one (next_decision_time). That last time was
cleared with the holder when the seat was released (assigned_at), so the same person appointed
again on a replica whose clock is behind the one that released was ignored everywhere. It is
kept in holder_changed_at, also while the seat is vacant (from assigned_at for a held seat).

Revision ID: 318a15271710
Revises: 9c4e2a7d5b18
Create Date: 2026-12-07 01:37:48.244812
"""

import sqlalchemy as sa
from alembic import context, op

revision = "318a15271710"
down_revision = "9c4e2a7d5b18"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    schema = _schema()
    with op.batch_alter_table("seats", schema=schema) as batch_op:
        batch_op.add_column(
            sa.Column("holder_changed_at", sa.DateTime(timezone=True), nullable=True)
        )
    seats = sa.table(
        "seats",
        sa.column("assigned_at", sa.DateTime(timezone=True)),
        sa.column("holder_changed_at", sa.DateTime(timezone=True)),
        schema=schema,
    )
    op.execute(sa.update(seats).values(holder_changed_at=seats.c.assigned_at))


def downgrade() -> None:
    with op.batch_alter_table("seats", schema=_schema()) as batch_op:
        batch_op.drop_column("holder_changed_at")
