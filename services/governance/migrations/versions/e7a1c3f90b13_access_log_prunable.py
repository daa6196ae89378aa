"""access log prunable at the end of its retention period (kept leaf hash)

Revision ID: e7a1c3f90b13
Revises: c5e1d7a20b03
Create Date: 2026-12-02 10:50:00.000000
"""

from zorgtafel.kernel.alembic import access_log_v3

revision = "e7a1c3f90b13"
down_revision = "c5e1d7a20b03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v3.upgrade()


def downgrade() -> None:
    access_log_v3.downgrade()
