"""case restriction projected: cases.restricted_at

The subject's restriction of a case, granted by the controller's privacy officer in disclosure
(CASE_RESTRICTION_CHANGED; Bijlage 3 "afschermen", GDPR art. 18): while it holds, casework
shows nothing of the case but its status. Alembic's ADD COLUMN names its table itself, so the
service's PostgreSQL schema is given explicitly (as in 33bb7f486c5e); SQLite has none.

Revision ID: a4c7e2d9b5f1
Revises: f3b8d21c4a01
Create Date: 2026-12-06 18:30:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "a4c7e2d9b5f1"
down_revision = "f3b8d21c4a01"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=_schema()) as batch_op:
        batch_op.drop_column("restricted_at")
