"""What a service costs while nothing happens: the four services as ``zorgtafel serve``
processes, ready and then left alone for ``seconds``, each one's CPU time (user + system, from
``/proc/<pid>/stat``) per second of wall time.

Measured twice in one run: with the local broker's consumer fetch wait (the kernel's default,
10 ms: tansu does not answer a waiting fetch when a record comes, so the wait is the event's
latency there) and with the Strimzi component's (Kafka answers a waiting fetch as soon as a
record comes, so the wait only bounds how often an idle consumer asks). The local broker
answers an empty fetch like Kafka does, so the second figure is what a pod on Kafka pays to
wait, the first what it would pay with the local default.

Against the Kubernetes autoscaler: the service template's HorizontalPodAutoscaler adds a pod
when a service's CPU passes its target share of the app container's request. A service idling
above that runs at its maximum replicas doing nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import yaml

from bench.processes import suite_processes

DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "k8s"
FETCH_WAIT = "ZORGTAFEL_KAFKA_FETCH_MAX_WAIT_MS"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (``/proc/<pid>/stat`` fields 14 and 15)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def strimzi_fetch_wait_ms() -> str:
    """The fetch wait the Strimzi component gives every service (its ConfigMap literal)."""
    component = yaml.safe_load((DEPLOY / "components/strimzi-kafka/kustomization.yaml").read_text())
    for generator in component.get("configMapGenerator", []):
        for literal in generator.get("literals", []):
            name, _, value = literal.partition("=")
            if name == FETCH_WAIT:
                return value
    raise LookupError(f"{FETCH_WAIT} is not set by the Strimzi component")


def autoscaler_threshold_pct() -> float:
    """The CPU (percent of one core) above which the service template's autoscaler adds a pod:
    the app container's CPU request times the HPA's target utilisation."""
    template = DEPLOY / "base/service-template"
    deployment = yaml.safe_load((template / "deployment.yaml").read_text())
    app = next(
        c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "app"
    )
    request = str(app["resources"]["requests"]["cpu"])
    cores = int(request[:-1]) / 1000 if request.endswith("m") else float(request)
    hpa = yaml.safe_load((template / "horizontalpodautoscaler.yaml").read_text())
    target = next(
        m["resource"]["target"]["averageUtilization"]
        for m in hpa["spec"]["metrics"]
        if m["type"] == "Resource" and m["resource"]["name"] == "cpu"
    )
    return round(cores * target, 1)


def idle(database_url: str, env: dict[str, str], seconds: float, settle_s: float) -> dict:
    """Each service's CPU in percent of one core while idle, with ``env`` for every service."""
    from zorgtafel.kernel.config import SERVICES

    with suite_processes(database_url, "idle", env=env) as (suite, _keys):
        suite.start(timeout=600)
        pids = {s: suite.procs[s].pid for s in SERVICES}
        time.sleep(settle_s)  # what start-up left behind (first checks, the consumers' joins)
        before = {s: cpu_seconds(pid) for s, pid in pids.items()}
        t0 = time.perf_counter()
        time.sleep(seconds)  # the measurement: nothing happens, on purpose
        wall = time.perf_counter() - t0
        return {s: round(100 * (cpu_seconds(pid) - before[s]) / wall, 1) for s, pid in pids.items()}


def run(database_url: str = "", seconds: float = 15.0, settle_s: float = 5.0) -> dict:
    from zorgtafel.kernel.kafka import DEFAULTS

    kafka_wait = strimzi_fetch_wait_ms()
    local = idle(database_url, {}, seconds, settle_s)
    on_kafka = idle(database_url, {FETCH_WAIT: kafka_wait}, seconds, settle_s)
    threshold = autoscaler_threshold_pct()
    return {
        "seconds": seconds,
        "fetch_wait_ms_local": int(DEFAULTS["kafka_fetch_max_wait_ms"]),
        "fetch_wait_ms_strimzi": int(kafka_wait),
        "cpu_pct_local_fetch_wait": local,
        "cpu_pct_strimzi_fetch_wait": on_kafka,
        "autoscaler_threshold_pct": threshold,
        "max_cpu_pct_strimzi_fetch_wait": max(on_kafka.values()),
        "below_autoscaler_threshold": max(on_kafka.values()) < threshold,
    }


if __name__ == "__main__":  # `python -m bench.idle_cpu`: this benchmark alone
    import json

    from zorgtafel.testing import postgres_url

    print(json.dumps(run(postgres_url() or ""), indent=2))
