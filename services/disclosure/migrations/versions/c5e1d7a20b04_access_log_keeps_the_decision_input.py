"""access log keeps the decision input (replayable decision records)

Revision ID: c5e1d7a20b04
Revises: a3c5e0d1b7f2
Create Date: 2026-12-02 10:20:00.000000
"""

from zorgtafel.kernel.alembic import access_log_v2

revision = "c5e1d7a20b04"
down_revision = "a3c5e0d1b7f2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v2.upgrade()


def downgrade() -> None:
    access_log_v2.downgrade()
