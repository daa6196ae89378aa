"""processing register maintained over gRPC, with history

The register of processing activities (Bijlage 3, GDPR art. 30) was a static seed. Its entries
now live in ``processing_activities`` and every change in ``processing_activity_changes``
(issue #14). The service seeds both from ``seed/processing_register.json`` at start when the
register is empty; nothing to copy here.

Revision ID: d4b2f86a0e31
Revises: c5e1d7a20b04
Create Date: 2026-12-02 10:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "d4b2f86a0e31"
down_revision = "c5e1d7a20b04"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processing_activities",
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("maintainers", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("activity_id"),
    )
    op.create_table(
        "processing_activity_changes",
        sa.Column("change_id", sa.String(length=64), nullable=False),
        sa.Column("activity_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.Column("changed_fields", sa.Text(), nullable=False),
        sa.Column("party", sa.String(length=32), nullable=False),
        sa.Column("person", sa.String(length=128), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_index(
        op.f("ix_processing_activity_changes_activity_id"),
        "processing_activity_changes",
        ["activity_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_processing_activity_changes_changed_at"),
        "processing_activity_changes",
        ["changed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_processing_activity_changes_changed_at"), table_name="processing_activity_changes"
    )
    op.drop_index(
        op.f("ix_processing_activity_changes_activity_id"), table_name="processing_activity_changes"
    )
    op.drop_table("processing_activity_changes")
    op.drop_table("processing_activities")
