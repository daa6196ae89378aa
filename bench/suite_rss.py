"""Memory of each service as a separate process under load: the four services started as
``zorgtafel serve`` processes, the demo's whole case played ``cases`` times over (every RPC kind,
events between all services, access-log writes), then per process its peak RSS (VmHWM), its RSS
once ready (before the first case) and the growth of its RSS across the last ``tail`` cases
(RSS after the last case minus RSS after case ``cases - tail``): a leak shows there, a
one-off warm-up does not. Target (issue #16): peak <= 150 MB and no growth after 20 cases."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path


def _status_mb(pid: int, field: str) -> float:
    """A ``/proc/<pid>/status`` memory field (``VmHWM``: peak RSS, ``VmRSS``: now) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


def run(database_url: str = "", cases: int = 20, tail: int = 10) -> dict:
    from zorgtafel.demo import Story
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.kernel.config import SERVICES
    from zorgtafel.launcher import Suite
    from zorgtafel.testing import Keys, drop_schema

    tail = min(tail, cases)
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
        t0 = time.perf_counter()
        suite.start(timeout=600)  # a busy machine migrates slowly
        start_s = time.perf_counter() - t0
        pids = {s: suite.procs[s].pid for s in SERVICES}
        ready = {s: _status_mb(pid, "VmRSS") for s, pid in pids.items()}
        endpoints = {s: f"127.0.0.1:{suite.envs[s]['ZORGTAFEL_GRPC_PORT']}" for s in SERVICES}
        # RSS of each service after each case: after[s][i] is after case i + 1.
        after: dict[str, list[float]] = {s: [] for s in SERVICES}
        started = time.perf_counter()
        steps = failures = 0
        for _ in range(cases):
            story = Story(endpoints, keys.private, out=lambda _line: None)
            story.run()
            steps += story.steps
            failures += len(story.failures)
            for s, pid in pids.items():
                after[s].append(_status_mb(pid, "VmRSS"))
        took = time.perf_counter() - started
        result = {
            "cases": cases,
            "steps": steps,
            "failed_steps": failures,
            "steps_per_second": steps / took,
            "start_s": round(start_s, 1),
            "cases_s": round(took, 1),
            **{f"peak_rss_mb_{s}": round(_peak_rss_mb(pid), 1) for s, pid in pids.items()},
            **{f"ready_rss_mb_{s}": round(ready[s], 1) for s in SERVICES},
            **{
                f"growth_last{tail}_mb_{s}": round(
                    after[s][-1] - (after[s][-tail - 1] if tail < cases else ready[s]), 1
                )
                for s in SERVICES
            },
            "rss_mb_after_each_case": {s: [round(v, 1) for v in after[s]] for s in SERVICES},
        }
    finally:
        suite.stop()
        broker.stop()
        if database_url:
            for s in SERVICES:
                drop_schema(database_url, f"{prefix}{s}")
    return result


if __name__ == "__main__":  # `python -m bench.suite_rss [CASES]`: this benchmark alone
    import json
    import sys

    from zorgtafel.testing import postgres_url

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(json.dumps(run(database_url=postgres_url() or "", cases=n), indent=2))
