"""subject consent projected: nominations.consent_recorded, consent_changed_at

The subject's consent for a case as disclosure last recorded it (SUBJECT_CONSENT_CHANGED:
"given" or "withdrawn"; Bijlage 3, GDPR art. 7(3)): from then on intake shares a nomination
beyond its nominator and its process director on it, not on the consent stated at nomination;
``consent_changed_at`` (when disclosure recorded it) keeps a late, older change from undoing it.
Alembic's ADD COLUMN names its table itself, so the service's PostgreSQL schema is given
explicitly (as in b7e3f1a9c2d4); SQLite has none.

Revision ID: d2c6a8e4f1b3
Revises: b7e3f1a9c2d4
Create Date: 2026-12-06 19:05:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "d2c6a8e4f1b3"
down_revision = "b7e3f1a9c2d4"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("consent_recorded", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("consent_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=_schema()) as batch_op:
        batch_op.drop_column("consent_changed_at")
        batch_op.drop_column("consent_recorded")
