"""access log of the kernel, as in every service

Revision ID: 4bfc888c508c
Revises: 3a65adfeffe0
Create Date: 2026-12-02 06:58:22.886546
"""

from zorgtafel.kernel.alembic import access_log_v1


revision = "4bfc888c508c"
down_revision = "3a65adfeffe0"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v1.upgrade()


def downgrade() -> None:
    access_log_v1.downgrade()
