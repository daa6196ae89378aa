"""access log of the kernel, as in every service

Revision ID: 5a8a7a707a3d
Revises: 3ae00de71d46
Create Date: 2026-12-02 06:58:25.072802
"""

from zorgtafel.kernel.alembic import access_log_v1


revision = "5a8a7a707a3d"
down_revision = "3ae00de71d46"
branch_labels = None
depends_on = None


def upgrade() -> None:
    access_log_v1.upgrade()


def downgrade() -> None:
    access_log_v1.downgrade()
