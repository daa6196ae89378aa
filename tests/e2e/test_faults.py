"""Faults while commands stream in: the broker frozen and resumed, the broker killed and
restarted empty (it keeps records in memory only), PostgreSQL connections dropped, services
killed with SIGKILL mid-flight and restarted, consumers redelivering. Over at least 100 injected
faults: every accepted command's event is applied exactly once.

Services run as separate processes (``zorgtafel serve``). Commands are governance registering
parties (handler, unit of work, outbox, in the same database the governance process relays
from); the effect is disclosure's party projection. The counts are printed."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter

import pytest
from sqlalchemy import create_engine, func, select, text

from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.launcher import Suite

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

COMMANDS = 120


def consumer_log_counts(path) -> tuple[Counter, int]:
    applied, duplicates = Counter(), 0
    for line in path.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("event") == "event_applied":
            applied[rec["event_id"]] += 1
        elif rec.get("event") == "event_duplicate":
            duplicates += 1
    return applied, duplicates


def test_no_event_lost_none_applied_twice_under_injected_faults(tmp_path, pg_url):
    from functools import partial

    from services.governance.domain.commands import RegisterParty
    from services.governance.service_layer import handlers
    from zorgtafel.kernel import db
    from zorgtafel.kernel.config import Settings
    from zorgtafel.kernel.registry import definition
    from zorgtafel.testing import drop_schema

    prefix = f"f{uuid.uuid4().hex[:8]}_"
    broker = LocalBroker(free_port(), log_file=tmp_path / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in ("governance", "disclosure")}
    suite = Suite(
        tmp_path,
        services=("governance", "disclosure"),
        database_url=pg_url,
        schema_prefix=prefix,
        ports=ports,
        broker=broker,
    )
    faults = Counter()
    try:
        suite.start()
        gov_def = definition("governance")
        gov_engine = db.make_engine(
            Settings(
                service="governance",
                data_dir=tmp_path,
                database_url=pg_url,
                database_schema=f"{prefix}governance",
            )
        )
        uow = partial(
            gov_def.uow_class,
            db.make_session_factory(gov_engine),
            dict(gov_def.tables),
            topic="zorgtafel.governance.v1",
            source="/zorgtafel/governance",
            registry=gov_def.registry,
        )
        admin = create_engine(pg_url)
        accepted = []
        for i in range(COMMANDS):
            oin = f"0000009977{i:010d}"
            for _attempt in range(20):
                try:
                    with uow() as u:
                        handlers.register_party(u, RegisterParty(oin, f"fault party {i}", "other"))
                    accepted.append(oin)
                    break
                except Exception:  # noqa: BLE001 - the command failed visibly; retry it
                    time.sleep(0.2)
            # 100+ faults: every command drops the services' database connections; every
            # 20th also freezes the broker or kills a service mid-flight.
            with admin.begin() as conn:
                conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE pid <> pg_backend_pid() AND application_name LIKE :mine"
                    ),
                    {"mine": f"zorgtafel:{prefix}%"},
                )
            faults["database connections dropped"] += 1
            if i % 20 == 5 and (i // 20) % 2 == 0:
                broker.pause()
                time.sleep(2.0)
                broker.resume()
                faults["broker frozen and resumed"] += 1
            elif i % 20 == 5:
                # A real restart: the in-memory broker comes back empty, so records it had
                # acknowledged are gone; the relays notice and publish them again.
                broker.kill()
                time.sleep(1.0)
                broker.start()
                faults["broker killed and restarted (records lost)"] += 1
            elif i % 20 == 10:
                suite.kill("disclosure")
                suite.spawn("disclosure")
                faults["disclosure killed (SIGKILL) and restarted"] += 1
            elif i % 20 == 15:
                suite.kill("governance")
                suite.spawn("governance")
                faults["governance killed (SIGKILL) and restarted"] += 1
        assert len(accepted) == COMMANDS
        suite.wait_ready("governance", 120)
        suite.wait_ready("disclosure", 120)

        dis_engine = create_engine(pg_url).execution_options(
            schema_translate_map={None: f"{prefix}disclosure"}
        )
        table = definition("disclosure").tables["party_directory"]
        outbox = gov_def.tables["outbox"]
        deadline = time.monotonic() + 150
        present = 0
        while time.monotonic() < deadline:
            with dis_engine.connect() as conn:
                present = conn.execute(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.party_id.like("0000009977%"))
                ).scalar_one()
            if present == COMMANDS:
                break
            time.sleep(1)
        with gov_engine.connect() as conn:
            published = conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_not(None))
            ).scalar_one()
        applied, redeliveries = consumer_log_counts(tmp_path / "disclosure.log")
        twice = {k: v for k, v in applied.items() if v > 1}
        report = {
            "commands accepted": len(accepted),
            "events published": published,
            "effects applied": present,
            "lost": COMMANDS - present,
            "applied twice": len(twice),
            "redeliveries skipped": redeliveries,
            "faults injected": sum(faults.values()),
            **faults,
        }
        print("\nfault run:", json.dumps(report, indent=1))
        assert sum(faults.values()) >= 100
        assert present == COMMANDS, report
        assert not twice, report
        gov_engine.dispose()
        dis_engine.dispose()
        admin.dispose()
    finally:
        suite.stop()
        broker.stop()
        for s in ("governance", "disclosure"):
            drop_schema(pg_url, f"{prefix}{s}")
