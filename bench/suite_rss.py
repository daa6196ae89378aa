"""Memory of each service as a separate process under load: the four services started as
``zorgtafel serve`` processes, the demo's whole case played ``cases`` times over (every RPC kind,
events between all services, access-log writes), then per process its peak RSS (VmHWM), its RSS
once ready (before the first case) and the growth of its RSS across the last ``tail`` cases
(RSS after the last case minus RSS after case ``cases - tail``): a leak shows there, a
one-off warm-up does not. Target (issue #16): peak <= 150 MB and no growth after 20 cases."""

from __future__ import annotations

import time

from bench.processes import status_mb, suite_processes


def run(database_url: str = "", cases: int = 20, tail: int = 10) -> dict:
    from zorgtafel.demo import Story
    from zorgtafel.kernel.config import SERVICES

    tail = min(tail, cases)
    # The same persons replay the story back to back: one of them is refused about 120 times a
    # minute, a flood by the refusal budget's measure (kernel/refusals.py), so it is off here.
    with suite_processes(database_url, "suite", env={"ZORGTAFEL_REFUSAL_BURST": "0"}) as (
        suite,
        keys,
    ):
        t0 = time.perf_counter()
        suite.start(timeout=600)  # a busy machine migrates slowly
        start_s = time.perf_counter() - t0
        pids = {s: suite.procs[s].pid for s in SERVICES}
        ready = {s: status_mb(pid, "VmRSS") for s, pid in pids.items()}
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
                after[s].append(status_mb(pid, "VmRSS"))
        took = time.perf_counter() - started
        result = {
            "cases": cases,
            "steps": steps,
            "failed_steps": failures,
            "steps_per_second": steps / took,
            "start_s": round(start_s, 1),
            "cases_s": round(took, 1),
            **{f"peak_rss_mb_{s}": round(status_mb(pid, "VmHWM"), 1) for s, pid in pids.items()},
            **{f"ready_rss_mb_{s}": round(ready[s], 1) for s in SERVICES},
            **{
                f"growth_last{tail}_mb_{s}": round(
                    after[s][-1] - (after[s][-tail - 1] if tail < cases else ready[s]), 1
                )
                for s in SERVICES
            },
            "rss_mb_after_each_case": {s: [round(v, 1) for v in after[s]] for s in SERVICES},
        }
    return result


if __name__ == "__main__":  # `python -m bench.suite_rss [CASES]`: this benchmark alone
    import json
    import sys

    from zorgtafel.testing import postgres_url

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(json.dumps(run(database_url=postgres_url() or "", cases=n), indent=2))
