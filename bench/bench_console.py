"""The web console as ``zorgtafel up`` runs it: the four services and the console as separate
processes, a person signed in with the development login, then each page requested ``samples``
times in a row over HTTP (after ``warmup``): the console's own RSS once ready and at its peak
(VmHWM), and per page p50/p95/p99 with the p95 as a ratio to ``/healthz`` measured in the same
run (the console's cheapest route: no session, no template, no service). Targets (issue #19):
RSS <= 150 MB, a page's p95 <= 200 ms.

Pages: ``/login`` (a template, no session), ``/`` (the session from its database, the start
page), ``/worklist`` (the session, one intake ``ListNominations`` with the person's token, the
worklist template)."""

from __future__ import annotations

import re
import statistics
import tempfile
import time
import uuid
from pathlib import Path

PAGES = ("/healthz", "/login", "/", "/worklist")


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _quantile(sorted_ms: list[float], q: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(q * len(sorted_ms)))]


def run(database_url: str = "", samples: int = 300, warmup: int = 30) -> dict:
    import requests

    from zorgtafel.demo import actors
    from zorgtafel.kernel.broker import LocalBroker, free_port
    from zorgtafel.kernel.config import SERVICES
    from zorgtafel.launcher import Suite
    from zorgtafel.testing import Keys, drop_schema

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-console-"))
    Keys(data_dir)
    prefix = f"b{uuid.uuid4().hex[:8]}_"
    console_env = (
        {
            "ZORGTAFEL_CONSOLE_DATABASE_URL": database_url,
            "ZORGTAFEL_CONSOLE_DATABASE_SCHEMA": f"{prefix}console",
        }
        if database_url
        else {}
    )
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    suite = Suite(
        data_dir,
        database_url=database_url,
        schema_prefix=prefix,
        broker=broker,
        ports={s: (free_port(), free_port()) for s in SERVICES},
        extra_env=console_env,
    )
    result: dict = {}
    try:
        suite.start(timeout=300)  # a loaded machine starts the services slowly
        port = free_port()
        t0 = time.perf_counter()
        suite.spawn_console(port)
        suite.wait_ready("console", timeout=180)
        result["console_start_s"] = round(time.perf_counter() - t0, 2)
        pid = suite.procs["console"].pid
        result["console_ready_rss_mb"] = round(_status_mb(pid, "VmRSS"), 1)
        base = f"http://127.0.0.1:{port}"
        http = requests.Session()
        form = http.get(f"{base}/login", timeout=10).text
        match = re.search(r'name="csrf_token" value="([^"]+)"', form)
        if match is None:
            raise RuntimeError("the console's login page has no CSRF token")
        r = http.post(
            f"{base}/login/dev",
            data={"person": actors.PROCESS_DIRECTOR.person, "csrf_token": match.group(1)},
            allow_redirects=False,
            timeout=10,
        )
        if r.status_code != 302:
            raise RuntimeError(f"development sign-in answered {r.status_code}")
        # Ready means the worklist is served: the services have compiled their policies and
        # know the parties (a fact, not a pause).
        deadline = time.monotonic() + 180
        while http.get(f"{base}/worklist", allow_redirects=False, timeout=30).status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("the worklist was not served within 180 s")
            time.sleep(1)
        timings: dict[str, list[float]] = {}
        errors = 0
        for page in PAGES:
            for _ in range(warmup):
                http.get(f"{base}{page}", timeout=30)
            ms = []
            for _ in range(samples):
                t = time.perf_counter()
                r = http.get(f"{base}{page}", allow_redirects=False, timeout=30)
                ms.append((time.perf_counter() - t) * 1000)
                errors += r.status_code != 200
            timings[page] = sorted(ms)
        result["non_200_answers"] = errors
        baseline_p95 = _quantile(timings["/healthz"], 0.95)
        for page, ms in timings.items():
            name = page.strip("/") or "home"
            p95 = _quantile(ms, 0.95)
            result[f"{name}_p50_ms"] = round(statistics.median(ms), 2)
            result[f"{name}_p95_ms"] = round(p95, 2)
            result[f"{name}_p99_ms"] = round(_quantile(ms, 0.99), 2)
            if page != "/healthz":
                result[f"{name}_p95_ratio_to_healthz"] = round(p95 / baseline_p95, 1)
        result["samples_per_page"] = samples
        result["console_rss_mb_after_load"] = round(_status_mb(pid, "VmRSS"), 1)
        result["console_peak_rss_mb"] = round(_status_mb(pid, "VmHWM"), 1)
        result["target_rss_mb"] = 150
        result["target_page_p95_ms"] = 200
        result["worst_page_p95_ms"] = max(
            result[f"{(p.strip('/') or 'home')}_p95_ms"] for p in PAGES if p != "/healthz"
        )
    finally:
        suite.stop()
        broker.stop()
        if database_url:
            for s in (*SERVICES, "console"):
                drop_schema(database_url, f"{prefix}{s}")
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
