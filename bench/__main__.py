"""``make bench``: every benchmark of the suite, each reported as a ratio to a baseline measured
in the same run, plus peak memory; the report is printed and written to bench/results/."""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import baseline, bench_accesslog, bench_soak, event_latency, suite_rss

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import os

    return {
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": platform.platform(),
    }


def main() -> int:
    from zorgtafel.testing import postgres_url

    pg = postgres_url() or ""
    report: dict = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": "postgresql" if pg else "sqlite",
    }
    print(
        f"zorgtafel benchmarks on {report['machine']['cpu']} ({report['machine']['cores']} "
        f"cores), database {report['database']}"
    )
    report["bare_call"] = baseline.bare_function_call()
    report["grpc_echo"] = baseline.grpc_echo()
    echo = report["grpc_echo"]
    print(
        f"baseline gRPC echo: {echo['per_second']:.0f}/s p50 {echo['p50_ms']:.2f} ms "
        f"p99 {echo['p99_ms']:.2f} ms"
    )

    parts = {}
    try:
        from bench import bench_policy

        parts["policy"] = bench_policy.run
    except ImportError:
        pass
    try:
        from bench import bench_disclosure

        parts["disclosure"] = lambda: bench_disclosure.run(database_url=pg)
        parts["disclosure_regorus"] = lambda: bench_disclosure.run(
            database_url=pg, evaluator="regorus"
        )
    except ImportError:
        pass
    parts["accesslog"] = lambda: bench_accesslog.run(database_url=pg)
    parts["disclosure_12_threads_60s"] = lambda: bench_soak.run(database_url=pg)
    from bench import bench_lists

    parts["lists"] = lambda: bench_lists.run(database_url=pg)
    parts["event_latency"] = lambda: event_latency.run(database_url=pg)
    parts["suite_under_load"] = lambda: suite_rss.run(database_url=pg)
    from bench import idle_cpu

    parts["idle_cpu"] = lambda: idle_cpu.run(database_url=pg)
    from bench import bench_console

    parts["console_pages"] = lambda: bench_console.run(database_url=pg)
    for name, fn in parts.items():
        t0 = time.perf_counter()
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001 - report a failed benchmark, keep the others
            result = {"error": f"{type(exc).__name__}: {exc}"}
        result["wall_s"] = round(time.perf_counter() - t0, 1)
        report[name] = result
        if "p50_ms" in result:
            result["p50_ratio_to_echo"] = result["p50_ms"] / echo["p50_ms"]
            result["p99_ratio_to_echo"] = result["p99_ms"] / echo["p99_ms"]
        if "per_second" in result:
            result["throughput_ratio_to_echo"] = result["per_second"] / echo["per_second"]
        print(
            f"{name}: "
            + ", ".join(
                f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                for k, v in result.items()
                if not isinstance(v, dict)
            )
        )
    report["peak_rss_mb_bench_process"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak RSS of the benchmark process (services in-process): "
        f"{report['peak_rss_mb_bench_process']:.0f} MB"
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, default=str))
    print(f"written: {RESULTS / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
