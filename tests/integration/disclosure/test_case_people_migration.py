"""The migration that keeps who has a part in a case as a relation of its own (5c792a4ca960):
the cases held before it get a ``case_people`` row for their process director, their case
director and each party's delegate, as ``case_facts`` names them (a malformed delegates value,
or an id longer than any token's, gives none), so a worker's notice lists keep their scope
across the upgrade; the repository then finds a person's cases through the index. The
downgrade drops the relation."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, inspect, select
from sqlalchemy.orm import Session

from services.disclosure.adapters.case_facts import CaseFactsRepository
from tests.integration.disclosure.conftest import CELLO, GGZ, database_at

pytestmark = pytest.mark.integration

BEFORE = "e2f7a9c4b6d1"
REVISION = "5c792a4ca960"
ALL = ("process_director", "case_director", "delegate")


@pytest.fixture
def before(database_url, tmp_path):
    """A disclosure database at the revision before (engine, Alembic config, schema)."""
    with database_at(database_url, tmp_path, BEFORE, "people") as (engine, cfg, schema, base):
        yield engine, cfg, schema


def _case(case_id: str, **values) -> dict:
    # Every key in every row: an insert of several rows takes its columns from the first.
    row = {
        "case_id": case_id,
        "age_band": "16_plus",
        "opened": True,
        "roles": "{}",
        "updated_at": datetime(2026, 12, 1, tzinfo=timezone.utc),
        "process_director_party": None,
        "process_director_person": None,
        "case_director_party": None,
        "case_director_person": None,
        "delegates": None,
    }
    return {**row, **values}


def test_the_cases_held_before_keep_who_has_a_part_in_them(before):
    engine, cfg, schema = before
    facts = Table("case_facts", MetaData(schema=schema), autoload_with=engine)
    with engine.begin() as conn:
        conn.execute(
            insert(facts),
            [
                _case(
                    "case-a",
                    process_director_party=GGZ,
                    process_director_person="pd-1",
                    case_director_party=CELLO,
                    case_director_person="p-1",
                    delegates=json.dumps({GGZ: ["p-1", "p-10"], CELLO: ["p-1"]}, sort_keys=True),
                ),
                _case("case-b", delegates=json.dumps({GGZ: ["p-10"]})),
                _case("case-c", delegates=json.dumps({GGZ: "p-1"})),  # malformed: no row
                _case("case-d", delegates="{}"),
                _case("case-f", delegates=json.dumps({GGZ: ["p" * 129]})),  # no one's: no row
                _case("case-e"),
            ],
        )
    assert "case_people" not in inspect(engine).get_table_names(schema=schema)

    command.upgrade(cfg, REVISION)

    people = Table("case_people", MetaData(schema=schema), autoload_with=engine)
    with engine.connect() as conn:
        rows = {tuple(r) for r in conn.execute(select(people)).all()}
    assert rows == {
        ("case-a", "process_director", GGZ, "pd-1"),
        ("case-a", "case_director", CELLO, "p-1"),
        ("case-a", "delegate", GGZ, "p-1"),
        ("case-a", "delegate", GGZ, "p-10"),
        ("case-a", "delegate", CELLO, "p-1"),
        ("case-b", "delegate", GGZ, "p-10"),
    }
    indexes = {
        i["name"]: i["column_names"]
        for i in inspect(engine).get_indexes("case_people", schema=schema)
    }
    assert indexes["ix_case_people_party_person"] == ["party", "person", "part", "case_id"]
    with Session(engine) as session:
        cases = CaseFactsRepository(session)
        assert cases.cases_of_person(GGZ, "p-10", ALL) == ["case-a", "case-b"]
        assert cases.cases_of_person(GGZ, "p-1", ALL) == ["case-a"]
        assert cases.cases_of_person(CELLO, "p-1", ["case_director"]) == ["case-a"]
        assert cases.cases_of_person(GGZ, "pd-1", ["delegate"]) == []

    command.downgrade(cfg, BEFORE)
    assert "case_people" not in inspect(engine).get_table_names(schema=schema)
