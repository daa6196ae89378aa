"""The migration that gives three disclosure lists paged in SQL by key their indexes
(4d9e2b7a1c63, issue #16): the granted corrections newest decision first and their requests by
item (ListCorrectionNotices), one party's breaches oldest first (ListBreaches) and one
provider's reviews newest first (ListOverrideNotices); the downgrade drops them and leaves the
others."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect

from tests.integration.disclosure.conftest import database_at

pytestmark = pytest.mark.integration

BEFORE = "b6d41e9a2c57"
REVISION = "4d9e2b7a1c63"

ADDED = {
    "subject_requests": {
        "ix_subject_requests_kind_outcome_decided": [
            "kind",
            "outcome",
            "decided_at",
            "subject_request_id",
        ],
        "ix_subject_requests_item": ["item_id"],
    },
    "breaches": {
        "ix_breaches_recorded_by_recorded": ["recorded_by_party", "recorded_at", "breach_id"]
    },
    "reviews": {
        "ix_reviews_provider_created": ["provider", "created_at", "review_id"],
        "ix_reviews_party_created": ["party", "created_at", "review_id"],
    },
}


@pytest.fixture
def before(database_url, tmp_path):
    """A disclosure database at the revision before (engine, Alembic config, schema)."""
    with database_at(database_url, tmp_path, BEFORE, "lists") as (
        engine,
        cfg,
        schema,
        base,
    ):
        yield engine, cfg, schema


def _indexes(engine, schema, table: str) -> dict[str, list[str]]:
    found = inspect(engine).get_indexes(table, schema=schema)
    return {i["name"]: list(i["column_names"]) for i in found}


def test_the_lists_paged_by_key_get_their_indexes_and_the_downgrade_drops_them(before):
    engine, cfg, schema = before
    kept = {table: _indexes(engine, schema, table) for table in ADDED}
    for table, added in ADDED.items():
        assert not set(added) & set(kept[table])

    command.upgrade(cfg, REVISION)

    for table, added in ADDED.items():
        assert _indexes(engine, schema, table) == {**kept[table], **added}

    command.downgrade(cfg, BEFORE)

    for table in ADDED:
        assert _indexes(engine, schema, table) == kept[table]
