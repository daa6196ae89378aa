"""outbox's acknowledged rows indexed: the broker check seeks, it no longer reads the week

The relay's broker check (every few seconds) read every sent row the outbox keeps (a week) to
find each partition's lowest and highest acknowledged offset; ``ix_outbox_acknowledged`` lets
it seek them (issue #16).

Revision ID: 1033ab206a61
Revises: 5e0c2d9a7f41
Create Date: 2026-12-07 20:10:00.000000
"""

from zorgtafel.kernel.alembic import outbox_acknowledged_v1

revision = "1033ab206a61"
down_revision = "5e0c2d9a7f41"
branch_labels = None
depends_on = None


def upgrade() -> None:
    outbox_acknowledged_v1.upgrade()


def downgrade() -> None:
    outbox_acknowledged_v1.downgrade()
