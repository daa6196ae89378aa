"""consent changes never go back: case_facts.consent_changed_at

When the case's last subject consent change was recorded (SUBJECT_CONSENT_CHANGED.changed_at).
The next is stamped at least a microsecond after it, whatever the clock of the replica that
records it says: intake applies these in changed_at order, and a withdrawal stamped before the
consent it ends (a replica's clock behind, or a withdrawal dated back) was ignored there. Null
for cases with no change yet.

Revision ID: e2f7a9c4b6d1
Revises: d6b1e8f3a4c7
Create Date: 2026-12-06 23:00:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "e2f7a9c4b6d1"
down_revision = "d6b1e8f3a4c7"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("consent_changed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("consent_changed_at")
