"""Alembic environment shared by every service: the service's metadata, engine and schema
arrive through ``config.attributes`` (see ``zorgtafel.kernel.migrate``), so each service keeps
only its own ``versions/`` folder."""

from alembic import context
from sqlalchemy import text

from zorgtafel.kernel.types import UtcDateTime

config = context.config
metadata = config.attributes["metadata"]
engine = config.attributes["engine"]
schema = config.attributes.get("schema")



def render_item(type_, obj, autogen_context):
    # Our TypeDecorators are plain columns in DDL: render them so revisions need no import.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


with engine.connect() as connection:
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
