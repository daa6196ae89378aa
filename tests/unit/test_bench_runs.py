"""The benchmarks are code too: each runs at a tiny size here, so ``make bench`` cannot rot
between the runs that measure (nothing is timed or compared in this test)."""

from __future__ import annotations


def test_the_access_log_benchmark_runs_and_verifies_what_it_appended():
    from bench import bench_accesslog

    result = bench_accesslog.run(database_url="", records=300, appends=16)
    assert result["verify"]["intact"] and result["verify"]["records"] >= 300
    assert result["verify_records_in_memory"]["intact"]
    assert result["append_8_clients"]["records_per_batch"] >= 1


def test_the_disclosure_benchmark_reports_the_cpu_of_a_call_beside_the_echos():
    from bench import bench_disclosure

    result = bench_disclosure.run(database_url="", seconds=0.6, threads=2, echo_seconds=0.3)
    assert result["log_intact"]
    assert result["concurrent"]["cpu_ms_per_call"] > 0
    assert result["grpc_echo_concurrent"]["cpu_ms_per_call"] > 0
    assert result["concurrent_cpu_ratio_to_echo"] > 0


def test_a_lists_last_page_of_500_is_reported_beside_its_first_of_500_with_the_cpu():
    """bench_lists' last pages are 500 rows, its first pages the default 100: read against
    each other they show five times the rows, not the cost of the place in the list."""
    from bench import bench_lists
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb

    held = [f"brc-{i:04d}" for i in range(1200)]

    def ask(request: pb.ListBreachesRequest) -> pb.ListBreachesResponse:
        start = int(request.page_token or 0)
        end = start + (request.page_size or 100)
        return pb.ListBreachesResponse(
            breaches=[pb.Breach(breach_id=b) for b in held[start:end]],
            next_page_token=str(end) if end < len(held) else "",
        )

    out = bench_lists._first_and_last(
        "breaches", ask, pb.ListBreachesRequest(), lambda r: len(r.breaches), 0.05
    )
    assert out["breaches_first_page"]["rows_shown"] == 100
    assert out["breaches_first_page_of_500"]["rows_shown"] == 500
    assert out["breaches_pages_of_500"] == 3
    assert out["breaches_last_page"]["rows_shown"] == 200
    assert all(out[f"breaches_{p}"]["cpu_p50_ms"] >= 0 for p in ("first_page", "last_page"))


def test_the_12_thread_disclosure_soak_runs_and_reports_memory_and_tail():
    from bench import bench_soak

    result = bench_soak.run(database_url="", threads=3, seconds=1.0, warmup_s=0.5, one_client_s=0.5)
    assert result["log_intact"]
    assert result["many_clients"]["threads"] == 3
    assert result["rss_mb_at_end"] > 0 and "rss_growth_mb" in result


def test_the_idle_cpu_benchmark_reads_the_kafka_wait_and_the_autoscaler_target_it_compares():
    import os

    from bench import idle_cpu

    assert int(idle_cpu.strimzi_fetch_wait_ms()) > 10  # not the local broker's wait
    assert 0 < idle_cpu.autoscaler_threshold_pct() < 100  # percent of one core
    assert idle_cpu.cpu_seconds(os.getpid()) > 0


def test_a_benchmark_process_loads_regopy_before_grpc():
    """Whatever benchmark module is run first (``python -m bench.bench_soak`` imports grpc
    through bench.baseline), regopy is loaded before grpc, or every decision leaks."""
    import subprocess
    import sys

    order = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, bench.baseline; m = list(sys.modules); "
            "print(m.index('regopy') < m.index('grpc'))",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()
    assert order == "True"


def test_a_policy_decisions_samples_report_its_cpu_beside_its_wall_time():
    """On a shared machine a wall-clock p99 is mostly other processes' turns: the policy
    benchmark also reports the CPU per decision, comparable between runs."""
    from bench import bench_policy

    row = bench_policy._samples(lambda: sum(range(2000)), n=200)
    assert row["samples"] == 200
    assert 0 < row["cpu_p50_ms"] <= row["cpu_p99_ms"]
