"""Disclosure's access log moves from the hash chain onto the kernel's Merkle log (issue #15):
the records kept so far become the tree's first leaves, the service signs them at start, and a
chain already broken stops the migration instead of being laundered into an intact tree."""

from __future__ import annotations

import importlib.util
import json
from datetime import datetime, timezone

import pytest
from alembic import command
from sqlalchemy import MetaData, Table, insert, update
from sqlalchemy.orm import Session

from services.disclosure.adapters import accesslog
from services.disclosure.bootstrap import VERSIONS
from tests.unit.migrating import sqlite_at
from zorgtafel.kernel.accesslog import merkle
from zorgtafel.kernel.accesslog.checkpoint import Signer
from zorgtafel.kernel.accesslog.records import FIELDS
from zorgtafel.kernel.accesslog.verify import leaves_of

BEFORE = "114226e7f72b"
MIGRATION = next(VERSIONS.glob("c087792df0f6_*.py"))


def _migration():
    spec = importlib.util.spec_from_file_location("m_c087792df0f6", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def _old_log(tmp_path, n: int):
    engine, cfg = sqlite_at(tmp_path, "disclosure", BEFORE)
    meta = MetaData()
    log = Table("access_log", meta, autoload_with=engine)
    head = Table("access_log_head", meta, autoload_with=engine)
    old_hash = _migration().old_record_hash
    prev = "0" * 64
    with engine.begin() as conn:
        for seq in range(1, n + 1):
            row = {
                "seq": seq,
                "decision_id": f"dec-{seq}",
                "recorded_at": datetime(2026, 11, 30, 12, 0, seq, tzinfo=timezone.utc),
                "party": "00000099000000000038",
                "person": "Zoë",
                "role": "caseworker",
                "action": "read",
                "purpose": "care_coordination",
                "resource": f"itm-{seq}",
                "recipient": "00000099000000000038",
                "subject_pseudonym": "psn-1",
                "case_id": "case-1",
                "provider": "00000099000000000045",
                "result": "allowed",
                "reasons": json.dumps(["need to know"]),
                "policy_revision": "rev",
                "trace_id": "",
                "span_id": "",
                "processing_activity": "ZT-VA-03@1",
                "emergency": False,
                "prev_hash": prev,
            }
            row["hash"] = old_hash(row)
            prev = row["hash"]
            conn.execute(insert(log).values(**row))
        conn.execute(insert(head).values(id=1, seq=n, hash=prev))
    return engine, cfg, log


def test_the_chained_records_become_the_trees_first_leaves_and_are_signed_at_start(tmp_path):
    engine, cfg, _ = _old_log(tmp_path, 5)
    command.upgrade(cfg, "head")
    t = accesslog.TABLES
    with engine.connect() as conn:
        rows = conn.execute(t.log.select().with_only_columns(*t.columns()).order_by(t.log.c.seq))
        hashes = [h for _, h in leaves_of(rows)]
        head = conn.execute(t.head.select()).one()
    assert head.size == 5 and head.root == merkle.root_of(hashes).hex()
    signer = Signer.generate()
    with Session(engine) as session:
        repo = accesslog.AccessLogRepository(session)
        cp = repo.sign_head(signer)
        session.commit()
        assert cp is not None and cp.size == 5
        report = repo.verify([signer.public_key()])
    assert report.intact and report.signed_size == 5, report.problems
    assert {FIELDS[0], "rpc", "input_digest"} <= set(t.log.c.keys())


def test_a_chain_already_broken_stops_the_migration(tmp_path):
    engine, cfg, log = _old_log(tmp_path, 4)
    with engine.begin() as conn:
        conn.execute(update(log).where(log.c.seq == 2).values(party="00000099000000000042"))
    with pytest.raises(RuntimeError, match="broken at record 2"):
        command.upgrade(cfg, "head")
