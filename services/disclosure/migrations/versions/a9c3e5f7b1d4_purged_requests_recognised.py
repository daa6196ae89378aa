"""purged requests recognised: a replay after the case's purge or erasure is refused

The stored answer of a command goes with its case (a purge, a forgotten nomination, an erasure);
the request id stays recognised in the kernel's ``purged_requests`` (the party and a hash of
the id, nothing of the case), so a replay is refused rather than carried out again.

Revision ID: a9c3e5f7b1d4
Revises: 8765d183e49b
Create Date: 2026-12-07 14:00:00.000000
"""

from zorgtafel.kernel.alembic import purged_requests_v1

revision = "a9c3e5f7b1d4"
down_revision = "8765d183e49b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    purged_requests_v1.upgrade()


def downgrade() -> None:
    purged_requests_v1.downgrade()
