"""Alembic environment shared by every service: the service's metadata, engine and schema
arrive through ``config.attributes`` (see ``zorgtafel.kernel.migrate``), so each service keeps
only its own ``versions/`` folder."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import text

from zorgtafel.kernel.types import UtcDateTime

config = context.config
metadata = config.attributes["metadata"]
engine = config.attributes["engine"]
schema = config.attributes.get("schema")


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Our TypeDecorators are plain columns in DDL: render them so revisions need no import.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


MIGRATION_LOCK = (
    0x7A7467  # any constant: serialises concurrent migrators (replicas' init containers)
)

with engine.connect() as connection:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        connection.commit()
    if schema:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
        connection.commit()
