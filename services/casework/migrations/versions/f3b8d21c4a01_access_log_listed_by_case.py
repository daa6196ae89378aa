"""access log listed by case: an index on (case_id, seq)

Revision ID: f3b8d21c4a01
Revises: e7a1c3f90b11
Create Date: 2026-12-05 22:00:00.000000
"""

from zorgtafel.kernel.alembic import access_log_v4

revision = "f3b8d21c4a01"
down_revision = "e7a1c3f90b11"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v4.upgrade()


def downgrade() -> None:
    access_log_v4.downgrade()
