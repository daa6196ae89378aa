"""Disclosure under 12 client threads for 60 s (issue #16): the service's memory must not grow
(RSS growth <= 20 MB after the warm-up) and the tail must stay near the one-client tail
(p99 <= 10x the one-client p99, both measured here in the same run, same process).

RSS is the benchmark process's own (the service runs in it, beside its clients), read from
/proc at the end of a 10 s warm-up under the same load and at the end of the run."""

from __future__ import annotations

import time
from pathlib import Path

from bench.baseline import timed_loop
from bench.bench_disclosure import audited_disclosure, clients


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run(
    database_url: str = "",
    threads: int = 12,
    seconds: float = 60.0,
    warmup_s: float = 10.0,
    one_client_s: float = 8.0,
) -> dict:
    started = time.perf_counter()
    with audited_disclosure(database_url) as call:
        one = timed_loop(call, seconds=one_client_s, max_calls=5000)
        clients(call, threads, warmup_s)
        rss_before = rss_mb()
        many = clients(call, threads, seconds)
        rss_after = rss_mb()
        verified = call.verify()  # type: ignore[attr-defined]
    return {
        "threads": threads,
        "seconds": seconds,
        "one_client": one,
        "many_clients": many,
        "p99_ms": many["p99_ms"],
        "p99_ratio_to_one_client": many["p99_ms"] / one["p99_ms"],
        "failed": many["failed"],
        "rss_mb_after_warmup": round(rss_before, 1),
        "rss_mb_at_end": round(rss_after, 1),
        "rss_growth_mb": round(rss_after - rss_before, 1),
        "log_intact": verified.intact,
        "database": "postgresql" if database_url else "sqlite",
        "elapsed_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    import json

    from zorgtafel.testing import postgres_url

    print(json.dumps(run(database_url=postgres_url() or ""), indent=2))
