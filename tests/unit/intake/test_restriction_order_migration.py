"""The revision that keeps when the restriction's last grant or lifting was decided
(``restriction_changed_at``) fills it in from a restriction in force: after upgrading, a
lifting older than that grant, arriving late, still changes nothing (GDPR art. 18)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from tests.unit.migrating import old_nomination, upgraded_with

BEFORE = "d2c6a8e4f1b3"


def test_the_upgrade_takes_the_time_of_the_restriction_in_force(tmp_path):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    granted = datetime(2026, 2, 1, 9, 30, tzinfo=timezone.utc)
    rows = [
        old_nomination(case_id, at, restricted_at=restricted_at)
        for case_id, restricted_at in (("restricted", granted), ("free", None))
    ]
    engine, n = upgraded_with(tmp_path, "intake", BEFORE, "nominations", rows)
    with engine.connect() as conn:
        held = dict(conn.execute(select(n.c.case_id, n.c.restriction_changed_at)).all())
    assert held == {"restricted": granted, "free": None}
