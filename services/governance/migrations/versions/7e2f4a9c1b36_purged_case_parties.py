"""purged case parties: the ids of the parties that had a part in a purged case (art. 1.2, 8.4c)

At CASE_PURGED governance deletes what it knew of the case (``case_facts``). A dispute naming
the purged id was then answered as one naming a case governance never heard of: UNAVAILABLE
("try again later") forever, also to the case's own process director and delegates. Governance
now keeps the ids of the parties that had a part (no person, nothing of the subject), so that
their people are told FAILED_PRECONDITION case_purged and anyone else is answered as for an id
never given out. Cases purged before this revision keep no parties: to everyone they stay
answered as an id governance never heard of.

Revision ID: 7e2f4a9c1b36
Revises: 6d1f0b8e2c47
Create Date: 2026-12-07 09:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "7e2f4a9c1b36"
down_revision = "6d1f0b8e2c47"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "purged_case_parties",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("party", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("case_id", "party"),
    )


def downgrade() -> None:
    op.drop_table("purged_case_parties")
