"""The migration that lets ListInformingTasks page in SQL (9c3f1a7e5d20, issue #16): the reviews
get the informing status beside the sealed record and the index one party's open tasks are read
by; a review sealed before keeps NULL (the migration holds no case key) and its sealed record is
untouched; the downgrade drops both and keeps the reviews."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, inspect, select

from tests.integration.disclosure.conftest import database_at

pytestmark = pytest.mark.integration

BEFORE = "4d9e2b7a1c63"
INDEX = ["party", "client_informed_status", "created_at", "review_id"]


@pytest.fixture
def before(database_url, tmp_path):
    with database_at(database_url, tmp_path, BEFORE, "informing") as (engine, cfg, schema, base):
        yield engine, cfg, schema, base


def _reviews(base, schema):
    return Table("reviews", MetaData(), autoload_with=base, schema=schema)


def test_the_status_column_and_its_index_are_added_old_rows_unknown_and_dropped_again(before):
    engine, cfg, schema, base = before
    sealed = b"\x01sealed under the case key"
    with base.begin() as conn:
        conn.execute(
            insert(_reviews(base, schema)).values(
                review_id="rev-1",
                decision_id="dec-1",
                case_id="case-1",
                item_id="item-1",
                provider="00000099000000000045",
                party="00000099000000000038",
                person="person-1",
                consulted_colleague="person-9",
                justification_sealed=b"j",
                client_informed_sealed=sealed,
                created_at=datetime(2026, 12, 1, tzinfo=timezone.utc),
            )
        )

    command.upgrade(cfg, "head")

    indexes = {i["name"]: i["column_names"] for i in inspect(base).get_indexes("reviews", schema)}
    assert indexes["ix_reviews_party_informing"] == INDEX
    table = _reviews(base, schema)
    with base.connect() as conn:
        row = conn.execute(select(table)).one()
    assert row.client_informed_status is None and row.client_informed_sealed == sealed

    command.downgrade(cfg, BEFORE)

    assert "client_informed_status" not in {
        c["name"] for c in inspect(base).get_columns("reviews", schema)
    }
    assert "ix_reviews_party_informing" not in {
        i["name"] for i in inspect(base).get_indexes("reviews", schema)
    }
    with base.connect() as conn:
        assert (
            conn.execute(select(_reviews(base, schema).c.client_informed_sealed)).scalar_one()
            == sealed
        )
