"""What the unit tests of a service's migrations share: its SQLite database at a revision
before the one under test, and rows stored there as an older version stored them, then upgraded
to the head. The migrations themselves stay each service's own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Table, create_engine, insert
from sqlalchemy.engine import Engine

from zorgtafel.kernel import migrate
from zorgtafel.kernel.registry import definition


def sqlite_at(tmp_path: Path, service: str, revision: str) -> tuple[Engine, Config]:
    """``service``'s database on a SQLite file under ``tmp_path``, migrated up to ``revision``:
    (the engine, the Alembic config to go on from there)."""
    d = definition(service)
    engine = create_engine(f"sqlite:///{tmp_path}/{service}.db")
    cfg = migrate._config(engine, d.metadata, d.versions_dir, None)
    command.upgrade(cfg, revision)
    return engine, cfg


def upgraded_with(
    tmp_path: Path, service: str, before: str, table: str, rows: Iterable[Mapping[str, Any]]
) -> tuple[Engine, Table]:
    """``service``'s database at revision ``before`` with ``rows`` (the columns of that
    revision) stored in ``table``, then upgraded to the head: (the engine, the table as the
    head has it)."""
    engine, cfg = sqlite_at(tmp_path, service, before)
    t = definition(service).metadata.tables[table]
    with engine.begin() as conn:
        for row in rows:
            conn.execute(insert(t), dict(row))
    command.upgrade(cfg, "head")
    return engine, t


def old_nomination(case_id: str, at: datetime, **columns: Any) -> dict[str, Any]:
    """A row of intake's ``nominations`` as the revisions before the usage terms' and the
    restriction's columns stored it (placeholders for the sealed columns), ``columns`` laid
    over it."""
    return {
        "case_id": case_id,
        "subject_pseudonym": "p",
        "nominating_party": "0" * 20,
        "nominated_by": "worker-1",
        "status": "nominated",
        "age_band": "16_plus",
        "consent_status": "given",
        "chains": "[]",
        "life_domains": "[]",
        "safety_flags": "{}",
        "usage_terms": "{}",
        "sealed_identity": b"x",
        "sealed_details": b"x",
        "nominated_at": at,
        "updated_at": at,
        "version": 0,
        **columns,
    }
