"""Alembic environment shared by every service: the service's metadata, engine and schema
arrive through ``config.attributes`` (see ``zorgtafel.kernel.migrate``), so each service keeps
only its own ``versions/`` folder."""

import zlib
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


# Serialises concurrent migrators of one schema (replicas' init containers). Per schema, so
# that one service's migration never waits for another's sharing the database server.
MIGRATION_LOCK = 0x7A7467_00000000 | zlib.crc32((schema or "").encode())

with engine.connect() as connection:
    locked = connection.dialect.name == "postgresql"
    if locked:
        connection.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        connection.commit()
    try:
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
    finally:
        # A session-level lock outlives a failed migration on a pooled connection: without
        # this, one failed migrator would block every later one until its process exits.
        if locked:
            connection.rollback()
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            connection.commit()
