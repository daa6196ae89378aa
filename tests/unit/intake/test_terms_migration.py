"""The revision that gives the worklist's query the usage terms (16.2) fills them in from the
terms each nomination already holds: an existing nomination with expired terms or a bounded
list of recipient parties does not reappear on a process director's worklist after upgrading."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from sqlalchemy import select

from tests.unit.migrating import old_nomination, upgraded_with
from zorgtafel.kernel.registry import definition

BEFORE = "f3b8d21c4a02"


def test_the_upgrade_fills_in_the_expiry_and_the_recipient_parties_of_existing_terms(tmp_path):
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    terms = {
        "a": {"purposes": ["care_coordination"], "expires_at": "2026-06-01T12:00:00.123456789Z"},
        "b": {"purposes": ["care_coordination"], "recipient_parties": ["0" * 19 + "1"] * 2},
        "c": {"purposes": ["care_coordination"]},
    }
    rows = [old_nomination(case_id, at, usage_terms=json.dumps(t)) for case_id, t in terms.items()]
    engine, n = upgraded_with(tmp_path, "intake", BEFORE, "nominations", rows)
    rp = definition("intake").metadata.tables["nomination_recipient_parties"]
    with engine.connect() as conn:
        expiry = dict(conn.execute(select(n.c.case_id, n.c.terms_expires_at)).all())
        named = conn.execute(select(rp.c.case_id, rp.c.party)).all()
    assert expiry["a"] == datetime(2026, 6, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
    assert expiry["b"] is None and expiry["c"] is None
    assert named == [("b", "0" * 19 + "1")]
