"""Event latency: from a command committed in one service (governance registers a party) to
its effect stored in another (disclosure's party projection), through the outbox, the relay,
the real broker and the idempotent consumer. Reported as p50/p99 milliseconds."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench.baseline import percentiles


def run(database_url: str = "", events: int = 60, timeout_s: float = 60.0) -> dict:
    from services.governance.domain.commands import RegisterParty
    from services.governance.service_layer import handlers
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.testing import Keys, running_service

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-"))
    Keys(data_dir)
    samples: list[float] = []
    with LocalBroker(free_port(), log_file=data_dir / "broker.log") as broker, \
            running_service("disclosure", data_dir, broker.bootstrap, database_url) as dis, \
            running_service("governance", data_dir, broker.bootstrap, database_url) as gov:
        table = dis.definition.tables["party_directory"]
        deadline = time.monotonic() + 40
        while not dis.consumer.assigned.is_set() and time.monotonic() < deadline:
            time.sleep(0.1)
        stop_at = time.monotonic() + timeout_s
        for i in range(events):
            oin = f"000000998{i:011d}"
            t0 = time.perf_counter()
            with gov.uow_factory() as uow:
                handlers.register_party(uow, RegisterParty(oin, f"bench party {i}", "other"))
            gov.relay.wake()
            while time.monotonic() < stop_at:
                with dis.engine.connect() as conn:
                    if conn.execute(select(table.c.party_id).where(
                            table.c.party_id == oin)).first():
                        break
                time.sleep(0.002)
            else:
                break
            samples.append(time.perf_counter() - t0)
    if not samples:
        return {"n": 0}
    return percentiles(samples)
