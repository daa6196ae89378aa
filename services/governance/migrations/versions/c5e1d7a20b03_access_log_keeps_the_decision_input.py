"""access log keeps the decision input (replayable decision records)

Revision ID: c5e1d7a20b03
Revises: b7c1e0d2a9f4
Create Date: 2026-12-02 10:20:00.000000
"""

from zorgtafel.kernel.alembic import access_log_v2

revision = "c5e1d7a20b03"
down_revision = "b7c1e0d2a9f4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v2.upgrade()


def downgrade() -> None:
    access_log_v2.downgrade()
