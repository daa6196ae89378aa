"""The revision that keeps when an item restriction's last grant or lifting was decided
(``items.restriction_changed_at``) fills it in from what is stored: the latest granted
restriction or lifting of the item, lifting of its case, or the restriction in force, so that
after upgrading the next decision about the item is decided after it (GDPR art. 18)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from alembic import command
from sqlalchemy import insert, select

from tests.unit.migrating import sqlite_at
from zorgtafel.kernel.registry import definition

BEFORE = "5c792a4ca960"
AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _item(item_id: str, case_id: str, restricted_at: datetime | None = None) -> dict:
    return {
        "item_id": item_id,
        "case_id": case_id,
        "provider": "0" * 20,
        "provided_by_person": "p-1",
        "category": "health",
        "classification": "confidential",
        "legal_basis": "consent",
        "content_type": "application/json",
        "terms": "{}",
        "retracted": False,
        "erased": False,
        "provided_at": AT,
        "updated_at": AT,
        "restricted_at": restricted_at,
    }


def _request(ref: str, kind: str, case_id: str, item_id: str | None, at: datetime, **kw) -> dict:
    return {
        "subject_request_id": ref,
        "kind": kind,
        "subject_pseudonym": "s",
        "case_id": case_id,
        "item_id": item_id,
        "wrapped_key": b"k",
        "submitted_by_party": "0" * 20,
        "submitted_at": AT,
        "controller": "0" * 20,
        "due_at": AT + timedelta(days=31),
        "outcome": kw.get("outcome", "granted"),
        "decided_at": at,
    }


def test_the_upgrade_takes_the_latest_restriction_decision_of_each_item(tmp_path):
    day = [AT + timedelta(days=n) for n in range(6)]
    engine, cfg = sqlite_at(tmp_path, "disclosure", BEFORE)
    tables = definition("disclosure").metadata.tables
    with engine.begin() as conn:
        for row in (
            _item("lifted", "case-1"),
            _item("again", "case-1", restricted_at=day[4]),
            _item("case-lifted", "case-2"),
            _item("untouched", "case-3"),
        ):
            conn.execute(insert(tables["items"]), row)
        for row in (
            _request("r1", "restriction", "case-1", "lifted", day[1]),
            _request("r2", "lift_restriction", "case-1", "lifted", day[2]),
            _request("r3", "lift_restriction", "case-1", "again", day[3]),
            _request("r4", "restriction", "case-1", "again", day[4]),
            _request("r5", "lift_restriction", "case-2", None, day[5]),
            _request("r6", "lift_restriction", "case-3", "untouched", day[5], outcome="refused"),
        ):
            conn.execute(insert(tables["subject_requests"]), row)
    command.upgrade(cfg, "head")
    items = tables["items"]
    with engine.connect() as conn:
        held = dict(conn.execute(select(items.c.item_id, items.c.restriction_changed_at)).all())
    assert held == {"lifted": day[2], "again": day[4], "case-lifted": day[5], "untouched": None}
