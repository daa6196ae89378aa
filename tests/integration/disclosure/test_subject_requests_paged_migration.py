"""The migration that lets ListSubjectRequests page in SQL (b6d41e9a2c57, issue #16): requests
stored before it get the two values the list now filters on and older code computed on read:
their controller (the submitter, as ``request_controller`` reads it) and their due time (one
calendar month, as ``one_month_after`` computes it); values already stored stay; the list's
index replaces the one on the controller alone, and the downgrade puts that one back."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, inspect, select

from services.disclosure.domain.subject_rights import one_month_after
from tests.integration.disclosure.conftest import CELLO, GGZ, database_at
from zorgtafel.kernel.types import UtcDateTime

pytestmark = pytest.mark.integration

BEFORE = "e7a1c3f90b14"


@pytest.fixture
def before(database_url, tmp_path):
    """A disclosure database at the revision before (engine, Alembic config, schema)."""
    with database_at(database_url, tmp_path, BEFORE, "paged") as (
        engine,
        cfg,
        schema,
        base,
    ):
        yield engine, cfg, schema


def _table(engine, schema):
    table = Table("subject_requests", MetaData(schema=schema), autoload_with=engine)
    # Read and written as the service does (aware UTC on SQLite too).
    for name in ("submitted_at", "due_at"):
        table.c[name].type = UtcDateTime()
    return table


def _row(n: int, submitted_at: datetime, controller=None, due_at=None) -> dict:
    # Every key in every row: an insert of several rows takes its columns from the first.
    return {
        "controller": controller,
        "due_at": due_at,
        "subject_request_id": f"sr-old-{n}",
        "kind": "objection",
        "subject_pseudonym": "d" * 64,
        "wrapped_key": b"\0",
        "submitted_by_party": CELLO,
        "submitted_at": submitted_at,
    }


def _indexes(engine, schema) -> dict[str, list[str]]:
    found = inspect(engine).get_indexes("subject_requests", schema=schema)
    return {i["name"]: list(i["column_names"]) for i in found}


def test_older_requests_get_their_controller_and_due_time_and_the_list_its_index(before):
    engine, cfg, schema = before
    jan31 = datetime(2027, 1, 31, 9, 30, tzinfo=timezone.utc)
    dec15 = datetime(2026, 12, 15, 23, 59, 59, 999999, tzinfo=timezone.utc)
    kept_due = datetime(2027, 3, 1, tzinfo=timezone.utc)
    old = _table(engine, schema)
    with engine.begin() as conn:
        conn.execute(
            insert(old),
            [
                _row(0, jan31),  # neither stored: computed on read before
                _row(1, dec15),
                _row(2, jan31, controller=GGZ, due_at=kept_due),  # both stored: they stay
            ],
        )
    assert "ix_subject_requests_controller" in _indexes(engine, schema)

    command.upgrade(cfg, "head")

    new = _table(engine, schema)
    with engine.connect() as conn:
        rows = {
            r.subject_request_id: (r.controller, r.due_at) for r in conn.execute(select(new)).all()
        }
    assert rows == {
        "sr-old-0": (CELLO, datetime(2027, 2, 28, 9, 30, tzinfo=timezone.utc)),
        "sr-old-1": (CELLO, one_month_after(dec15)),
        "sr-old-2": (GGZ, kept_due),
    }
    indexes = _indexes(engine, schema)
    assert indexes["ix_subject_requests_controller_submitted"] == [
        "controller",
        "submitted_at",
        "subject_request_id",
    ]
    assert "ix_subject_requests_controller" not in indexes

    command.downgrade(cfg, BEFORE)
    indexes = _indexes(engine, schema)
    assert indexes["ix_subject_requests_controller"] == ["controller"]
    assert "ix_subject_requests_controller_submitted" not in indexes
    with engine.connect() as conn:  # the stored values stay: what older code computed
        table = _table(engine, schema)
        kept = conn.execute(select(table.c.subject_request_id, table.c.controller)).all()
    assert sorted(map(tuple, kept)) == [("sr-old-0", CELLO), ("sr-old-1", CELLO), ("sr-old-2", GGZ)]
