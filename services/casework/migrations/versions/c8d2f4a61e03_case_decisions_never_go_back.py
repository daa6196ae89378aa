"""case decisions never go back: cases.decided_at

When casework took a case's last decision on who has a part in it (DELEGATE_NAMED/RELEASED,
DIRECTOR_APPOINTED, ROLES_SET changed_at). The next one is decided at least a microsecond after
it, whatever the clock of the replica that takes it says: consumers apply these events in
decision order, and a release stamped before its naming by a replica whose clock is behind
was ignored. Null for cases with no such decision yet (the next takes its clock's time).

Revision ID: c8d2f4a61e03
Revises: b9e4d2a7c3f6
Create Date: 2026-12-06 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "c8d2f4a61e03"
down_revision = "b9e4d2a7c3f6"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.drop_column("decided_at")
