"""The console's own Alembic migrations (its sessions table), with the suite's shared Alembic
environment (``zorgtafel/kernel/alembic/env.py``) but only the console's revisions: the console
keeps none of the services' kernel tables.

``python -m services.console.migrations`` migrates the database of
``ZORGTAFEL_CONSOLE_DATABASE_URL`` (or ``_FILE``) to head and exits; ``zorgtafel serve console``
runs it at start in a child process, so Alembic and Mako never load in the serving process."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

VERSIONS = Path(__file__).resolve().parent / "versions"


def upgrade(engine: Engine, schema: str | None) -> None:
    from alembic import command
    from alembic.config import Config

    from services.console.adapters.sessions import metadata
    from zorgtafel.kernel.migrate import SCRIPT_LOCATION

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option("version_locations", str(VERSIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes.update(metadata=metadata, engine=engine, schema=schema)
    command.upgrade(cfg, "head")


def main() -> int:
    from services.console.adapters.sessions import make_engine
    from services.console.settings import ConsoleSettings

    settings = ConsoleSettings.from_env()
    if settings.effective_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url, settings.effective_schema)
    try:
        upgrade(engine, settings.effective_schema)
    finally:
        engine.dispose()
    return 0
