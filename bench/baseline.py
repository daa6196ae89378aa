"""The baselines every benchmark is reported against, measured in the same run: a bare Python
function call and a bare gRPC unary echo (client and server on this machine)."""

from __future__ import annotations

import statistics
import time
from concurrent import futures

import grpc


def percentiles(samples_s: list[float]) -> dict:
    ordered = sorted(samples_s)
    n = len(ordered)
    return {
        "n": n,
        "p50_ms": ordered[n // 2] * 1000,
        "p99_ms": ordered[min(n - 1, int(n * 0.99))] * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
    }


def timed_loop(call, *, seconds: float = 3.0, max_calls: int = 20000) -> dict:
    samples = []
    start = time.perf_counter()
    deadline = start + seconds
    while len(samples) < max_calls and time.perf_counter() < deadline:
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    return {"per_second": len(samples) / elapsed, **percentiles(samples)}


def bare_function_call(seconds: float = 1.0) -> dict:
    def f(x):
        return x

    return timed_loop(lambda: f(1), seconds=seconds, max_calls=200000)


def grpc_echo(seconds: float = 3.0) -> dict:
    """A unary echo server with no interceptors, policy or database."""
    identity = lambda b: b  # noqa: E731
    handler = grpc.method_handlers_generic_handler(
        "bench.Echo",
        {"Echo": grpc.unary_unary_rpc_method_handler(lambda req, ctx: req, identity, identity)},
    )
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        echo = channel.unary_unary("/bench.Echo/Echo", identity, identity)
        for _ in range(50):
            echo(b"warm")
        return timed_loop(lambda: echo(b"x" * 64), seconds=seconds)
    finally:
        server.stop(0)
