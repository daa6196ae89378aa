"""outbox's acknowledged rows indexed: the broker check seeks, it no longer reads the week

The relay's broker check (every few seconds) read every sent row the outbox keeps (a week) to
find each partition's lowest and highest acknowledged offset; ``ix_outbox_acknowledged`` lets
it seek them (issue #16).

Revision ID: 4d38df36480e
Revises: 6d56e67762d6
Create Date: 2026-12-07 20:10:00.000000
"""

from zorgtafel.kernel.alembic import outbox_acknowledged_v1

revision = "4d38df36480e"
down_revision = "6d56e67762d6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    outbox_acknowledged_v1.upgrade()


def downgrade() -> None:
    outbox_acknowledged_v1.downgrade()
