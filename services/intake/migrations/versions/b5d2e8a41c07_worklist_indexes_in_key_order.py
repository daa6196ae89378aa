"""worklist indexes in key order

ListNominations (issue #16) reads each of its branches in its key order (received at, case id)
from the page's key on, instead of sorting every row on the worklist for each page: the intake
queue by status (an index of the nominations no director took up), what a process director
took up by the director and status. The index on the director's person alone goes: the
worklist was its only reader, and the planner took it for either branch, then sorted.

Revision ID: b5d2e8a41c07
Revises: a9c3e5f7b1d1
Create Date: 2026-12-07 16:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "b5d2e8a41c07"
down_revision = "a9c3e5f7b1d1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.drop_index("ix_nominations_process_director_person")
        batch_op.create_index(
            "ix_nominations_worklist_queue",
            ["status", "nominated_at", "case_id"],
            postgresql_where=sa.text("process_director_person IS NULL"),
            sqlite_where=sa.text("process_director_person IS NULL"),
        )
        batch_op.create_index(
            "ix_nominations_worklist_director",
            [
                "process_director_party",
                "process_director_person",
                "status",
                "nominated_at",
                "case_id",
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.drop_index("ix_nominations_worklist_director")
        batch_op.drop_index("ix_nominations_worklist_queue")
        batch_op.create_index(
            "ix_nominations_process_director_person", ["process_director_person"], unique=False
        )
