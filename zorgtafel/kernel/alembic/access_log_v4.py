"""The access log is listed by case (issue #16): ``ListAccess`` by ``case_id`` in every
service, and a subject's report by a case no other filter finds, page newest first by key;
without an index on the case each page read the whole log. One frozen schema step that every
service's migration runs after ``access_log_v3``; a later change of the tables is a new step."""

from alembic import context, op


def _schema() -> str | None:
    # Plain DDL does not follow ``schema_translate_map``: name the service's PostgreSQL schema.
    return context.config.attributes.get("schema")


def upgrade() -> None:
    op.create_index(
        "ix_access_log_case", "access_log", ["case_id", "seq"], unique=False, schema=_schema()
    )


def downgrade() -> None:
    op.drop_index("ix_access_log_case", table_name="access_log", schema=_schema())
