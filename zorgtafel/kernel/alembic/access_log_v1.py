"""The access log's tables as the kernel first gave them to every service (issue #15): one
frozen schema step that intake, casework and governance's migrations run (disclosure had the
same tables already, by its own migration). Frozen: a later change of the tables is a new
step, never an edit of this one (migrations that ran must stay what they were)."""

import sqlalchemy as sa
from alembic import op


def upgrade() -> None:
    op.create_table(
        "access_log",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("party", sa.String(length=64), nullable=False),
        sa.Column("person", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=64), nullable=False),
        sa.Column("rpc", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("resource", sa.String(length=256), nullable=False),
        sa.Column("case_id", sa.String(length=64), nullable=False),
        sa.Column("subject_pseudonym", sa.String(length=128), nullable=False),
        sa.Column("provider", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("processing_activity", sa.String(length=128), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("decision_id", sa.String(length=64), nullable=False),
        sa.Column("policy_revision", sa.String(length=128), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=False),
        sa.Column("span_id", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=64), nullable=False),
        sa.Column("emergency", sa.Boolean(), nullable=False),
        sa.Column("input_digest", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.create_index("ix_access_log_decision", ["decision_id"], unique=False)
        batch_op.create_index("ix_access_log_party", ["party", "seq"], unique=False)
        batch_op.create_index("ix_access_log_provider", ["provider", "seq"], unique=False)
        batch_op.create_index("ix_access_log_subject", ["subject_pseudonym", "seq"], unique=False)

    op.create_table(
        "access_log_checkpoints",
        sa.Column("size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("batch", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("size"),
    )
    op.create_table(
        "access_log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("frontier", sa.Text(), nullable=False),
        sa.Column("root", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("access_log_head")
    op.drop_table("access_log_checkpoints")
    with op.batch_alter_table("access_log", schema=None) as batch_op:
        batch_op.drop_index("ix_access_log_subject")
        batch_op.drop_index("ix_access_log_provider")
        batch_op.drop_index("ix_access_log_party")
        batch_op.drop_index("ix_access_log_decision")

    op.drop_table("access_log")
