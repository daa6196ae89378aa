"""The revision that keeps a nomination's process director as its person key lowers the ids of
those taken up before: what "PD-1" took up is listed to pd-1 in any case (12.3)."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from tests.unit.migrating import old_nomination, upgraded_with

BEFORE = "b5d2e8a41c07"


def test_the_upgrade_lowers_the_process_director_taken_up_before(tmp_path):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    party = "0" * 20
    rows = [
        old_nomination("typed", at, process_director_party=party, process_director_person="PD-1"),
        old_nomination("queued", at),
    ]
    engine, n = upgraded_with(tmp_path, "intake", BEFORE, "nominations", rows)
    with engine.connect() as conn:
        held = dict(conn.execute(select(n.c.case_id, n.c.process_director_person)).all())
    assert held == {"typed": "pd-1", "queued": None}
