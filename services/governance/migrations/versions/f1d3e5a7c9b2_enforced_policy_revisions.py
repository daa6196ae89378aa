"""enforced policy revisions

Which policy revision each service instance enforces, as each last reported it on its own topic
(issue #17: the policy owners see an adoption or a rollback reach every service).

Revision ID: f1d3e5a7c9b2
Revises: e7a1c3f90b13
Create Date: 2026-12-02 10:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "f1d3e5a7c9b2"
down_revision = "e7a1c3f90b13"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "enforced_revisions",
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("instance", sa.String(length=253), nullable=False),
        sa.Column("revision", sa.String(length=128), nullable=False),
        sa.Column("enforced_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("service", "instance"),
    )


def downgrade() -> None:
    op.drop_table("enforced_revisions")
