"""case restriction projected: nominations.restricted_at

The subject's restriction of a case, granted by the controller's privacy officer in disclosure
(CASE_RESTRICTION_CHANGED; Bijlage 3 "afschermen", GDPR art. 18): while it holds, intake shares
the nomination with no party beyond its nominator and its process director. Alembic's ADD
COLUMN names its table itself, so the service's PostgreSQL schema is given explicitly (as in
3a65adfeffe0); SQLite has none.

Revision ID: b7e3f1a9c2d4
Revises: a09e921f9f99
Create Date: 2026-12-06 18:55:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "b7e3f1a9c2d4"
down_revision = "a09e921f9f99"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.drop_column("restricted_at")
