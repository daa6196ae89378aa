"""The revision that keeps when casework decided each fact governance holds of a case
(6d1f0b8e2c47): a row from before it holds no times, so the next timed change of each fact
applies, and nothing else of the row changes."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from tests.unit.migrating import upgraded_with

BEFORE = "b9fc3d9bf985"


def test_a_row_from_before_holds_no_decision_times(tmp_path):
    at = datetime(2026, 12, 6, 23, 0, tzinfo=timezone.utc)
    row = {
        "case_id": "case-1",
        "opened": True,
        "process_director_party": "0" * 20,
        "process_director_person": "pd-1",
        "invited": "[]",
        "roles": '["00000099000000000061"]',
        "delegates": '{"00000099000000000061": ["del-1"]}',
        "updated_at": at,
    }
    engine, t = upgraded_with(tmp_path, "governance", BEFORE, "case_facts", [row])
    with engine.connect() as conn:
        got = conn.execute(select(t)).mappings().one()
    assert got["roles_changed_at"] is None
    assert got["case_director_changed_at"] is None
    assert got["delegates_changed_at"] == "{}"
    assert {k: got[k] for k in row} == row
