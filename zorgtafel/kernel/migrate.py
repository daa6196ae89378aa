"""Alembic migrations per service, run by ``zorgtafel migrate <service>`` (a Kubernetes Job)
or at start in the embedded default. ``zorgtafel makemigration <service> -m ...`` writes a new
revision into the service's own ``versions/`` folder by comparing against its metadata."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine

SCRIPT_LOCATION = Path(__file__).resolve().parent / "alembic"
# The kernel's own tables (outbox, inbox, command results, dead letters, forgotten cases) are
# created once, by the kernel's revisions; each service's first revision builds on them.
KERNEL_VERSIONS = SCRIPT_LOCATION / "versions"


def _config(engine: Engine, metadata: MetaData, versions_dir: Path, schema: str | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.set_main_option(
        "version_locations", os.pathsep.join(str(p) for p in (KERNEL_VERSIONS, versions_dir))
    )
    cfg.set_main_option("path_separator", "os")
    cfg.attributes.update(metadata=metadata, engine=engine, schema=schema)
    return cfg


def upgrade(engine: Engine, metadata: MetaData, versions_dir: Path, schema: str | None) -> None:
    command.upgrade(_config(engine, metadata, versions_dir, schema), "head")


def make_revision(metadata: MetaData, versions_dir: Path, message: str) -> None:
    """Autogenerate a revision against a scratch SQLite database at head."""
    from sqlalchemy import create_engine

    versions_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/scratch.db")
        cfg = _config(engine, metadata, versions_dir, None)
        command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True, version_path=str(versions_dir))
