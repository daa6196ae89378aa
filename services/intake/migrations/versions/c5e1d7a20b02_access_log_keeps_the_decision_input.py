"""access log keeps the decision input (replayable decision records)

Revision ID: c5e1d7a20b02
Revises: 4bfc888c508c
Create Date: 2026-12-02 10:20:00.000000
"""

from zorgtafel.kernel.alembic import access_log_v2

revision = "c5e1d7a20b02"
down_revision = "4bfc888c508c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v2.upgrade()


def downgrade() -> None:
    access_log_v2.downgrade()
