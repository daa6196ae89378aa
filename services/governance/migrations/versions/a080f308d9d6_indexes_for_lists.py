"""indexes for lists

ListParties' filters (kind, status) and ListBodies' seats, each with the list's order, so a page
is read from an index range (issue #16).

Revision ID: a080f308d9d6
Revises: a338ed6517a5
Create Date: 2026-12-02 04:22:23.597564
"""

from alembic import op

revision = "a080f308d9d6"
down_revision = "a338ed6517a5"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index("ix_parties_kind", ["kind", "party_id"])
        batch_op.create_index("ix_parties_status", ["status", "party_id"])
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.create_index("ix_seats_body_seat", ["body", "seat_id"])


def downgrade() -> None:
    with op.batch_alter_table("seats", schema=None) as batch_op:
        batch_op.drop_index("ix_seats_body_seat")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index("ix_parties_status")
        batch_op.drop_index("ix_parties_kind")
