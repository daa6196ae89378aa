"""purged case marker time: when governance applied a case's purge, so its marker can go

The marker of a purged case (``purged_case_parties``, revision 7e2f4a9c1b36: the ids of the
parties that had a part) was never deleted, while art. 1.2 says a de-escalated dossier finally
disappears. Each row now holds when governance applied the purge (``purged_at``); the retention
scheduler deletes the marker after the period the policy owners set (kind
``purged_case_marker``, policies/rego/retention/data.json), and the id then answers as one never
given out. Rows made before this revision are dated at the upgrade (their purge time is not
known): they are kept a whole period from then, never dropped early.

Revision ID: 2b8d4f6a0c19
Revises: 7e2f4a9c1b36
Create Date: 2026-12-07 10:05:00.000000
"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op

revision = "2b8d4f6a0c19"
down_revision = "7e2f4a9c1b36"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("purged_case_parties", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("purged_at", sa.DateTime(timezone=True), nullable=True))
    marker = sa.table(
        "purged_case_parties", sa.column("purged_at", sa.DateTime(timezone=True)), schema=_schema()
    )
    op.execute(
        marker.update()
        .where(marker.c.purged_at.is_(None))
        .values(purged_at=datetime.now(timezone.utc))
    )
    with op.batch_alter_table("purged_case_parties", schema=_schema()) as batch_op:
        batch_op.alter_column(
            "purged_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("purged_case_parties", schema=_schema()) as batch_op:
        batch_op.drop_column("purged_at")
