"""Alerts about the access-log checkpoints governance keeps (issue #15): a log line (the log's
id, size and the kind of alert; never a record's content) and a Prometheus counter on the
service's ops server (``/metrics/access-log``)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)


class CheckpointAlerts:
    def __init__(self) -> None:
        # One registry per running service (no process-global state: tests run several).
        self.registry = CollectorRegistry()
        self.forks = Counter(
            "zorgtafel_access_log_fork",
            "Access-log checkpoints contradicting an earlier one: kind=fork (another root for "
            "a signed size) or shrink (smaller than a checkpoint signed no later)",
            ["log_id", "kind"],
            registry=self.registry,
        )
        self.rejected = Counter(
            "zorgtafel_access_log_checkpoint_rejected",
            "Access-log checkpoints whose signature did not verify, by reason",
            ["reason"],
            registry=self.registry,
        )

    def contradiction(self, log_id: str, size: int, kind: str) -> None:
        self.forks.labels(log_id=log_id, kind=kind).inc()
        log.error("access_log_checkpoint_contradiction", log_id=log_id, size=size, kind=kind)

    def rejection(self, log_id: str, size: int, reason: str) -> None:
        # The log id as received may be anything: the metric's label is the reason only.
        self.rejected.labels(reason=reason).inc()
        log.warning("access_log_checkpoint_rejected", log_id=log_id[:100], size=size, reason=reason)

    def count(self, kind: str, log_id: str) -> float:
        value = self.registry.get_sample_value(
            "zorgtafel_access_log_fork_total", {"log_id": log_id, "kind": kind}
        )
        return value or 0.0
