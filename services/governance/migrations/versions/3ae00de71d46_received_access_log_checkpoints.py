"""received access log checkpoints

Every service's signed access-log checkpoints as governance receives them (issue #15): verified
or rejected, a fork or a shrinking log flagged.

Revision ID: 3ae00de71d46
Revises: a080f308d9d6
Create Date: 2026-12-02 05:31:15.600261
"""

import sqlalchemy as sa
from alembic import op

revision = "3ae00de71d46"
down_revision = "a080f308d9d6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "log_checkpoints",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("log_id", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=True),
        sa.Column("alert", sa.String(length=10), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("log_id", "size", "root", "signature", name="uq_log_checkpoint"),
    )
    with op.batch_alter_table("log_checkpoints", schema=None) as batch_op:
        batch_op.create_index("ix_log_checkpoints_log_size", ["log_id", "size"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("log_checkpoints", schema=None) as batch_op:
        batch_op.drop_index("ix_log_checkpoints_log_size")
    op.drop_table("log_checkpoints")
