"""Casework's migration 2f6a9c1d8e47 (12.3): the cases opened before it with no process director
person (intake named none) and not closed await a director from their opening, as a case opened
so now does, so a designated process director finds them and may take one over; a case someone
directs, one whose director left, and a closed one keep what they hold. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import insert, select

from services.casework.adapters import orm
from tests.integration.disclosure.conftest import database_at

pytestmark = pytest.mark.integration

BEFORE, REVISION = "1033ab206a61", "2f6a9c1d8e47"
LUMENS = "00000099000000000053"


def _case(case_id: str, state: str, person: str, opened_at: datetime, left_at=None) -> dict:  # noqa: ANN001
    return {
        "case_id": case_id,
        "state": state,
        "process_director_party": LUMENS,
        "process_director_person": person,
        "process_director_left_at": left_at,
        "nominating_party": LUMENS,
        "subject_pseudonym_sealed": b"\0",
        "age_band": "16_plus",
        "goal_code": "stabilise",
        "themes": ["safety"],
        "decision_types": ["plan"],
        "triage_invitees": [],
        "plan_version": 0,
        "criteria": {},
        "opened_at": opened_at,
    }


def test_an_open_case_opened_without_a_process_director_awaits_one_after_the_migration(
    database_url, tmp_path
):
    opened = datetime(2026, 11, 2, 9, 0, tzinfo=timezone.utc)
    left = opened + timedelta(days=3)
    rows = [
        _case("never-directed", "plan_active", "", opened),
        _case("never-directed-closed", "closed", "", opened),
        _case("directed", "open", "pd-1", opened),
        _case("left", "open", "", opened, left),
    ]
    with database_at(database_url, tmp_path, BEFORE, "pd_open", "casework") as (
        engine,
        cfg,
        _schema,
        _,
    ):
        with engine.begin() as conn:
            conn.execute(insert(orm.cases), rows)
        command.upgrade(cfg, REVISION)
        with engine.connect() as conn:
            held = dict(
                conn.execute(select(orm.cases.c.case_id, orm.cases.c.process_director_left_at))
                .tuples()
                .all()
            )

    def same(a, b) -> bool:  # noqa: ANN001 - SQLite gives its times back without a zone
        return a is b or (
            a is not None and b is not None and a.replace(tzinfo=None) == b.replace(tzinfo=None)
        )

    assert same(held["never-directed"], opened)
    assert held["never-directed-closed"] is None and held["directed"] is None
    assert same(held["left"], left)
