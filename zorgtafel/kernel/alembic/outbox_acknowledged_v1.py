"""The outbox's sent rows by where the broker placed them (``ix_outbox_acknowledged``: topic,
partition, offset, of the rows with an offset): the relay's broker check seeks each
partition's lowest and highest acknowledged offset there instead of reading the week of sent
rows the outbox keeps, every few seconds (issue #16). One frozen schema step that every
service's migration runs; a later change is a new step, never an edit of this one."""

import sqlalchemy as sa
from alembic import context, op

_ACKNOWLEDGED = sa.text('"offset" IS NOT NULL')


def _schema() -> str | None:
    # Plain DDL does not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_acknowledged",
        "outbox",
        ["topic", "partition", "offset"],
        unique=False,
        schema=_schema(),
        postgresql_where=_ACKNOWLEDGED,
        sqlite_where=_ACKNOWLEDGED,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_acknowledged", table_name="outbox", schema=_schema())
