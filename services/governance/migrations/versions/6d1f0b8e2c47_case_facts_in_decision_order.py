"""case facts in decision order: when casework decided each fact governance holds of a case

Casework's membership events (DIRECTOR_APPOINTED, DELEGATE_NAMED, DELEGATE_RELEASED, ROLES_SET)
carry ``changed_at``, when casework decided them, and consumers apply them in that order, not in
the order they arrive (the outbox relay re-sends a batch on a suspected broker loss). Governance
applied them as they came, so a naming re-sent after the release left the person a delegate. It
now keeps the time of the roles, of the case director and of each person's naming or release,
and ignores an older change. Rows before this revision hold no times: the next timed change of
each fact applies (``in_decision_order``).

Revision ID: 6d1f0b8e2c47
Revises: b9fc3d9bf985
Create Date: 2026-12-07 04:45:00.000000
"""

import sqlalchemy as sa
from alembic import context, op

revision = "6d1f0b8e2c47"
down_revision = "b9fc3d9bf985"
branch_labels = None
depends_on = None


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("roles_changed_at", sa.DateTime(timezone=True)))
        batch_op.add_column(sa.Column("case_director_changed_at", sa.DateTime(timezone=True)))
        batch_op.add_column(
            sa.Column("delegates_changed_at", sa.Text(), server_default="{}", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("case_facts", schema=_schema()) as batch_op:
        batch_op.drop_column("delegates_changed_at")
        batch_op.drop_column("case_director_changed_at")
        batch_op.drop_column("roles_changed_at")
