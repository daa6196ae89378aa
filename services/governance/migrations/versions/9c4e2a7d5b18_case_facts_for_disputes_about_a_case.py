"""case facts for disputes about a case: who has a part in it (art. 8.4c, 12.3, 13.4)

Governance learns from casework's events who directs a case, its case director, the parties
involved and their delegates, and lets the dispute policy decide on them. The table starts
empty: cases opened before this revision are unknown here until casework's events of them are
seen again (a dispute naming one is answered UNAVAILABLE, never allowed to all).

Revision ID: 9c4e2a7d5b18
Revises: f3b8d21c4a03
Create Date: 2026-12-06 22:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "9c4e2a7d5b18"
down_revision = "f3b8d21c4a03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_facts",
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("opened", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("process_director_party", sa.String(length=20), nullable=True),
        sa.Column("process_director_person", sa.String(length=128), nullable=True),
        sa.Column("case_director_party", sa.String(length=20), nullable=True),
        sa.Column("case_director_person", sa.String(length=128), nullable=True),
        sa.Column("invited", sa.Text(), server_default="[]", nullable=False),
        sa.Column("roles", sa.Text(), server_default="[]", nullable=False),
        sa.Column("delegates", sa.Text(), server_default="{}", nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )


def downgrade() -> None:
    op.drop_table("case_facts")
