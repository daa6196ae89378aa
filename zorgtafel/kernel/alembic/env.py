"""Alembic environment shared by every service: the service's metadata, engine and schema
arrive through ``config.attributes`` (see ``zorgtafel.kernel.migrate``), so each service keeps
only its own ``versions/`` folder."""

from alembic import context
from sqlalchemy import text

config = context.config
metadata = config.attributes["metadata"]
engine = config.attributes["engine"]
schema = config.attributes.get("schema")

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
    )
    with context.begin_transaction():
        context.run_migrations()
