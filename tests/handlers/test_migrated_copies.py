"""The handler tier's databases are copies of one migrated per test process
(zorgtafel.testing.migrated): each copy must be what running the migrations gives, table by
table (columns, keys, indexes, constraints, rows), on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from zorgtafel.testing import drop_schema
from zorgtafel.testing.migrated import _migrate, copy_migrated
from zorgtafel.testing.services import settings_for

SERVICES = ("intake", "casework", "governance", "disclosure")


def described(url: str, schema: str | None) -> dict:
    """Everything a test could meet in the database: its tables' definitions and rows."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            insp = inspect(conn)
            out: dict = {}
            for table in sorted(insp.get_table_names(schema=schema)):

                def plain(items, drop=("dialect_options",)):
                    return sorted(
                        repr(sorted((k, v) for k, v in dict(i).items() if k not in drop))
                        for i in items
                    )

                columns = [
                    {**c, "type": str(c["type"])} for c in insp.get_columns(table, schema=schema)
                ]
                fks = [
                    {**fk, "referred_schema": None}
                    for fk in insp.get_foreign_keys(table, schema=schema)
                ]
                named = f'"{schema}"."{table}"' if schema else f'"{table}"'
                rows = conn.execute(text(f"SELECT * FROM {named}")).all()  # noqa: S608
                out[table] = {
                    "columns": plain(columns),
                    "pk": insp.get_pk_constraint(table, schema=schema),
                    "fks": plain(fks),
                    "indexes": plain(insp.get_indexes(table, schema=schema)),
                    "unique": plain(insp.get_unique_constraints(table, schema=schema)),
                    "checks": plain(insp.get_check_constraints(table, schema=schema)),
                    "rows": sorted(map(repr, rows)),
                }
            if schema:
                out["sequences"] = sorted(insp.get_sequence_names(schema=schema))
            return out
    finally:
        engine.dispose()


def defaults_named(description: dict, schema: str) -> dict:
    """A column default names its sequence with the schema (nextval('s.t_id_seq'))."""
    return eval(repr(description).replace(schema, "<schema>"))  # noqa: S307 - our own repr


@pytest.mark.parametrize("service", SERVICES)
def test_a_copied_database_is_what_the_migrations_make(service, database_url, tmp_path):
    if not database_url:
        fresh = settings_for(service, tmp_path / "fresh", "127.0.0.1:1")
        _migrate(fresh)
        copy = settings_for(service, tmp_path / "copy", "127.0.0.1:1")
        assert copy_migrated(copy)
        want = described(fresh.effective_database_url, None)
        assert want  # the service has tables at all
        assert described(copy.effective_database_url, None) == want
        # A database already there is left alone: the caller migrates it.
        assert not copy_migrated(copy)
        return
    a, b = (f"c_{uuid.uuid4().hex[:10]}_{service}" for _ in range(2))
    fresh = settings_for(service, tmp_path, "127.0.0.1:1", database_url, a)
    copy = settings_for(service, tmp_path, "127.0.0.1:1", database_url, b)
    try:
        _migrate(fresh)
        assert copy_migrated(copy)
        want = defaults_named(described(database_url, a), a)
        assert want["sequences"] and len(want) > 2
        assert defaults_named(described(database_url, b), b) == want
        assert not copy_migrated(copy)
    finally:
        drop_schema(database_url, a)
        drop_schema(database_url, b)
