"""The access log keeps each decision's input (issue #17): one frozen schema step that every
service's migration runs after ``access_log_v1`` (disclosure after its own access-log steps).

``decision_input`` holds the decision's input as pseudonymous canonical JSON (free text replaced
by its digest), so a past decision can be explained and replayed. Records written before keep
``""`` and their version 1 leaf: the signed tree over them is unchanged. Frozen like v1: a later
change of the tables is a new step."""

import sqlalchemy as sa
from alembic import context, op


def _schema() -> str | None:
    # Plain ALTERs do not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    with op.batch_alter_table("access_log", schema=_schema()) as batch_op:
        batch_op.add_column(
            sa.Column("decision_input", sa.Text(), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("access_log", schema=_schema()) as batch_op:
        batch_op.drop_column("decision_input")
