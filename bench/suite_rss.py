"""Peak memory of each service as a separate process under load: the four services started as
``zorgtafel serve`` processes, the demo's whole case played several times over (every RPC kind,
events between all services, access-log writes), then each process's VmHWM (peak RSS)."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(database_url: str = "", cases: int = 4) -> dict:
    from zorgtafel.demo import Story
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.kernel.config import SERVICES
    from zorgtafel.launcher import Suite
    from zorgtafel.testing import Keys, drop_schema

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-suite-"))
    keys = Keys(data_dir)
    prefix = f"b{uuid.uuid4().hex[:8]}_"
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    suite = Suite(
        data_dir,
        database_url=database_url,
        schema_prefix=prefix,
        broker=broker,
        ports={s: (free_port(), free_port()) for s in SERVICES},
    )
    result: dict = {}
    try:
        suite.start(timeout=120)
        endpoints = {s: f"127.0.0.1:{suite.envs[s]['ZORGTAFEL_GRPC_PORT']}" for s in SERVICES}
        started = time.perf_counter()
        steps = failures = 0
        for _ in range(cases):
            story = Story(endpoints, keys.private, out=lambda _line: None)
            story.run()
            steps += story.steps
            failures += len(story.failures)
        took = time.perf_counter() - started
        result = {
            "cases": cases,
            "steps": steps,
            "failed_steps": failures,
            "steps_per_second": steps / took,
            **{f"peak_rss_mb_{s}": round(_peak_rss_mb(suite.procs[s].pid), 1) for s in SERVICES},
        }
    finally:
        suite.stop()
        broker.stop()
        if database_url:
            for s in SERVICES:
                drop_schema(database_url, f"{prefix}{s}")
    return result
