"""The revision that keeps when the case restriction's last grant or lifting was decided
(``case_facts.restriction_changed_at``) fills it in from a restriction in force: after
upgrading, a grant or lifting decided before it still changes nothing (GDPR art. 18)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from tests.unit.migrating import upgraded_with

BEFORE = "a8d3f5c1e2b9"


def test_the_upgrade_takes_the_time_of_the_restriction_in_force(tmp_path):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    granted = datetime(2026, 2, 1, 9, 30, tzinfo=timezone.utc)
    rows = [
        {
            "case_id": case_id,
            "age_band": "unknown",
            "opened": True,
            "roles": "{}",
            "updated_at": at,
            "restricted_at": restricted_at,
        }
        for case_id, restricted_at in (("restricted", granted), ("free", None))
    ]
    engine, facts = upgraded_with(tmp_path, "disclosure", BEFORE, "case_facts", rows)
    with engine.connect() as conn:
        held = dict(conn.execute(select(facts.c.case_id, facts.c.restriction_changed_at)).all())
    assert held == {"restricted": granted, "free": None}
