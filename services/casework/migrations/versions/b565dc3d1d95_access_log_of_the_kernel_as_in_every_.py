"""access log of the kernel, as in every service

Revision ID: b565dc3d1d95
Revises: 36d66ea11d42
Create Date: 2026-12-02 06:58:23.939665
"""

from zorgtafel.kernel.alembic import access_log_v1


revision = "b565dc3d1d95"
down_revision = "36d66ea11d42"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v1.upgrade()


def downgrade() -> None:
    access_log_v1.downgrade()
