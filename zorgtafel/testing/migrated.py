"""A service's database at its migrations' head, made once per test process and copied for each
test: the handler tier builds a fresh database per test, and running every Alembic revision
again for each (about 70 DDL statements, one round trip each) was most of a handler test's time.

What is copied is what the real migrations made in this process, nothing written by hand:
SQLite, the migrated template file itself; PostgreSQL, the statements the migrations sent
(captured from the driver's cursor while they ran against a template schema, then replayed
in one transaction into the test's own schema with the schema's name replaced).
``tests/unit/test_migrated_copies.py`` compares each copy with a database migrated anew.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, text

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.config import Settings

_lock = threading.Lock()
_sqlite: dict[str, Path] = {}
_postgres: dict[tuple[str, str], _Script] = {}


@dataclass(frozen=True)
class _Script:
    schema: str  # the template schema's name, replaced by the test's own in every statement
    statements: tuple[tuple[str, Any, bool], ...]  # (statement, parameters, executemany)


def _migrate(settings: Settings) -> None:
    from zorgtafel.kernel import db, migrate
    from zorgtafel.kernel.registry import definition

    d = definition(settings.service)
    engine = db.make_engine(settings)
    try:
        migrate.upgrade(engine, d.metadata, d.versions_dir, settings.effective_schema)
    finally:
        engine.dispose()


def _sqlite_template(settings: Settings) -> Path:
    with _lock:
        path = _sqlite.get(settings.service)
        if path is None:
            where = Path(tempfile.mkdtemp(prefix="zorgtafel-migrated-"))
            atexit.register(shutil.rmtree, where, ignore_errors=True)
            template = replace(settings, data_dir=where, database_url="", database_schema="")
            _migrate(template)
            # Everything in the main file (WAL mode), so that copying the file copies it all.
            engine = create_engine(template.effective_database_url)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
            path = _sqlite[settings.service] = where / f"{settings.service}.db"
        return path


def _postgres_script(settings: Settings) -> _Script:
    key = (settings.service, settings.database_url)
    with _lock:
        script = _postgres.get(key)
        if script is None:
            from zorgtafel.kernel import db, migrate
            from zorgtafel.kernel.registry import definition

            schema = f"m_{uuid.uuid4().hex[:10]}_{settings.service}"
            template = replace(settings, database_schema=schema)
            d = definition(settings.service)
            engine = db.make_engine(template)
            sent: list[tuple[str, Any, bool]] = []

            def capture(
                _conn: object,
                _cursor: object,
                statement: str,
                parameters: Any,
                _context: object,
                executemany: bool,
            ) -> None:
                sent.append((statement, parameters, executemany))

            event.listen(engine.engine, "before_cursor_execute", capture)
            try:
                migrate.upgrade(engine, d.metadata, d.versions_dir, schema)
            finally:
                event.remove(engine.engine, "before_cursor_execute", capture)
                engine.dispose()
                _drop(settings.database_url, schema)
            # The migration lock (env.py) serialises migrators of one schema; the copy is one
            # transaction into a schema no one else knows yet.
            kept = tuple(s for s in sent if "pg_advisory" not in s[0])
            script = _postgres[key] = _Script(schema, kept)
        return script


def _drop(url: str, schema: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _renamed(value: Any, old: str, new: str) -> Any:
    if isinstance(value, str):
        return value.replace(old, new)
    if isinstance(value, dict):
        return {k: _renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_renamed(v, old, new) for v in value)
    return value


def copy_migrated(settings: Settings) -> bool:
    """Give ``settings``' service a database at its migrations' head, copied from this
    process's template; False (nothing done) when it already has a database there or is not
    SQLite or PostgreSQL: the caller then migrates as usual."""
    url = settings.effective_database_url
    if url.startswith("sqlite"):
        if settings.database_url:
            return False  # a SQLite URL of a test's own: it migrates
        target = settings.data_dir / f"{settings.service}.db"
        if target.exists():
            return False
        source = _sqlite_template(settings)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return True
    if not url.startswith("postgresql") or not settings.database_schema:
        return False
    script = _postgres_script(settings)
    new = settings.database_schema
    engine = create_engine(url)
    try:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            exists = "SELECT 1 FROM pg_namespace WHERE nspname = %(s)s"
            cur.execute(exists, {"s": new})
            if cur.fetchone() is not None:
                return False
            # Statements without parameters go together, one round trip (DDL mostly).
            batch: list[str] = []
            for statement, parameters, many in script.statements:
                statement = statement.replace(script.schema, new)
                if not parameters:
                    batch.append(statement)
                    continue
                if batch:
                    cur.execute(";\n".join(batch))
                    batch.clear()
                parameters = _renamed(parameters, script.schema, new)
                if many:
                    cur.executemany(statement, parameters)
                else:
                    cur.execute(statement, parameters)
            if batch:
                cur.execute(";\n".join(batch))
            raw.commit()
        finally:
            raw.close()
    finally:
        engine.dispose()
    return True
