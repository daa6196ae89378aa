"""The request ids whose stored answer went with a purged or erased case (``purged_requests``):
a replay of one is refused (``request_purged`` / ``request_erased``), never carried out again.
One frozen schema step that every service's migration runs; a later change of the table is a
new step, never an edit of this one."""

import sqlalchemy as sa
from alembic import context, op


def _schema() -> str | None:
    # Plain DDL does not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    op.create_table(
        "purged_requests",
        sa.Column("party_id", sa.String(length=32), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("party_id", "request_key"),
        schema=_schema(),
    )
    op.create_index(
        "ix_purged_requests_purged_at",
        "purged_requests",
        ["purged_at"],
        unique=False,
        schema=_schema(),
    )


def downgrade() -> None:
    op.drop_index("ix_purged_requests_purged_at", table_name="purged_requests", schema=_schema())
    op.drop_table("purged_requests", schema=_schema())
