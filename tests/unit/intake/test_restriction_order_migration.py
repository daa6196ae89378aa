"""The revision that keeps when the restriction's last grant or lifting was decided
(``restriction_changed_at``) fills it in from a restriction in force: after upgrading, a
lifting older than that grant, arriving late, still changes nothing (GDPR art. 18)."""

from __future__ import annotations

from datetime import datetime, timezone

from alembic import command
from sqlalchemy import create_engine, insert, select

from zorgtafel.kernel import migrate
from zorgtafel.kernel.registry import definition

BEFORE = "d2c6a8e4f1b3"


def test_the_upgrade_takes_the_time_of_the_restriction_in_force(tmp_path):
    d = definition("intake")
    engine = create_engine(f"sqlite:///{tmp_path}/intake.db")
    cfg = migrate._config(engine, d.metadata, d.versions_dir, None)
    command.upgrade(cfg, BEFORE)
    at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    granted = datetime(2026, 2, 1, 9, 30, tzinfo=timezone.utc)
    n = d.metadata.tables["nominations"]
    with engine.begin() as conn:
        for case_id, restricted_at in (("restricted", granted), ("free", None)):
            row = {
                "case_id": case_id,
                "subject_pseudonym": "p",
                "nominating_party": "0" * 20,
                "nominated_by": "worker-1",
                "status": "nominated",
                "age_band": "16_plus",
                "consent_status": "given",
                "chains": "[]",
                "life_domains": "[]",
                "safety_flags": "{}",
                "usage_terms": "{}",
                "sealed_identity": b"x",
                "sealed_details": b"x",
                "nominated_at": at,
                "updated_at": at,
                "version": 0,
                "restricted_at": restricted_at,
            }
            conn.execute(insert(n), row)  # the columns of the revision before
    command.upgrade(cfg, "head")
    with engine.connect() as conn:
        held = dict(conn.execute(select(n.c.case_id, n.c.restriction_changed_at)).all())
    assert held == {"restricted": granted, "free": None}
