"""cases awaiting director index

ListCasesAwaitingDirector (12.3) reads the cases whose process director left in case id order
from a page's key on: a partial index of those cases only (process_director_left_at is null
while a person directs a case) instead of a walk of every case in id order.

Revision ID: 5e0c2d9a7f41
Revises: 78824e406298
Create Date: 2026-12-07 20:30:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "5e0c2d9a7f41"
down_revision = "78824e406298"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.create_index(
            "ix_cases_awaiting_director",
            ["case_id"],
            postgresql_where=sa.text("process_director_left_at IS NOT NULL"),
            sqlite_where=sa.text("process_director_left_at IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.drop_index("ix_cases_awaiting_director")
