"""process director changes in decision order: case_facts.process_director_changed_at

12.3: casework now changes who directs a case (ProcessDirectorChanged): nobody when the
designation of the person who directed it ended, then the designated process director who took
it over. When casework decided the change applied last is kept, so that one decided before it
that arrives late changes nothing. Null while only the opening named the process director.

Revision ID: ca18caa326b1
Revises: bcab9cbd750d
Create Date: 2026-12-07 19:40:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "ca18caa326b1"
down_revision = "bcab9cbd750d"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("process_director_changed_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("process_director_changed_at")
