"""The access log can be pruned at the end of its retention period (issue #14, kind
``access_log``): one frozen schema step that every service's migration runs after
``access_log_v2``.

``pruned_leaf`` keeps the leaf hash (32 bytes) of a record whose content was emptied, so the
Merkle tree and the signed checkpoints over it stay verifiable; NULL while the record is whole,
so every record written before is unchanged. Frozen like v1 and v2: a later change of the tables
is a new step."""

import sqlalchemy as sa
from alembic import context, op


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("access_log", schema=_schema()) as batch_op:
        batch_op.add_column(sa.Column("pruned_leaf", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("access_log", schema=_schema()) as batch_op:
        batch_op.drop_column("pruned_leaf")
