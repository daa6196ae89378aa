"""Prometheus metrics, one registry per service instance (no process-global state, so tests
can run several services in one process)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector


class Metrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.rpc_total = Counter(
            "zorgtafel_rpcs",
            "RPCs by method and status code",
            ["method", "code"],
            registry=self.registry,
        )
        self.rpc_seconds = Histogram(
            "zorgtafel_rpc_seconds", "RPC latency", ["method"], registry=self.registry
        )
        self.events_published = Counter(
            "zorgtafel_events_published",
            "Outbox events acknowledged by the broker",
            registry=self.registry,
        )
        self.events_consumed = Counter(
            "zorgtafel_events_consumed",
            "Inbound events by outcome",
            ["outcome"],
            registry=self.registry,
        )
        self.outbox_backlog = Gauge(
            "zorgtafel_outbox_backlog", "Outbox rows not yet sent", registry=self.registry
        )
        self.ready = Gauge(
            "zorgtafel_ready", "1 when database and broker are reachable", registry=self.registry
        )
        self.policy_revision = Gauge(
            "zorgtafel_policy_revision_info",
            "1 for the policy revision this service enforces (issue #17)",
            ["revision"],
            registry=self.registry,
        )
        self.policy_decisions = Counter(
            "zorgtafel_policy_decisions",
            "Policy decisions by policy and result (allow, deny; unavailable: the engine gave"
            " none and the request was refused, fail closed)",
            ["policy", "result"],
            registry=self.registry,
        )
        # Events (issue #16): relay loss checks and consumer lag.
        self.events_republished = Counter(
            "zorgtafel_events_republished",
            "Outbox rows published again because the broker lost acknowledged records",
            registry=self.registry,
        )
        self.consumer_lag = Gauge(
            "zorgtafel_consumer_lag",
            "Records in a partition after the consumer's position (high watermark - position;"
            " on tansu a lower bound: its high watermark counts batches, not records)",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.consumer_lag_alert = Gauge(
            "zorgtafel_consumer_lag_alert_threshold",
            "The consumer lag above which an alert fires (ZORGTAFEL_CONSUMER_LAG_ALERT)",
            registry=self.registry,
        )
        self.consumer_blocked = Gauge(
            "zorgtafel_consumer_blocked",
            "1 while a partition waits on a revoking fact (one that may take access away) its"
            " handler failed max_attempts times: never parked, retried in order; the service"
            " is not ready meanwhile (ADR 0012, alert ZorgtafelRevocationBlocked)",
            ["topic", "partition"],
            registry=self.registry,
        )
        self.revoking_dead_letters = Gauge(
            "zorgtafel_revoking_dead_letters",
            "Revoking facts this service consumes that sit in its dead_letters (parked as"
            " malformed, or marked by a replica blocked on one): not ready until applied,"
            " replayed or discarded (ADR 0012)",
            registry=self.registry,
        )
        self.event_delivery_seconds = Histogram(
            "zorgtafel_event_delivery_seconds",
            "From the record's timestamp (the relay's send) to the event's effect committed",
            ["topic"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
            registry=self.registry,
        )
        # Retention (issue #14): what the scheduler removed, by task; never personal data.
        self.retention_ticks = Counter(
            "zorgtafel_retention_ticks",
            "Retention scheduler ticks by outcome (ran, standby: another replica is active,"
            " failed: some record could not be removed, error: the tick could not run)",
            ["outcome"],
            registry=self.registry,
        )
        self.retention_purged = Counter(
            "zorgtafel_retention_purged",
            "Records removed (or updated) by the retention scheduler, by task",
            ["task"],
            registry=self.registry,
        )
        self.retention_failed = Counter(
            "zorgtafel_retention_failed",
            "Records the retention scheduler could not remove this tick (retried next tick)",
            ["task"],
            registry=self.registry,
        )
        self.purge_overdue = Gauge(
            "zorgtafel_purge_overdue_cases",
            "Records past their retention period that the last tick of this replica could not"
            " remove (alert ZorgtafelPurgeOverdue; 0 on a standby replica)",
            registry=self.registry,
        )
        self.retention_last_tick = Gauge(
            "zorgtafel_retention_last_tick_timestamp_seconds",
            "When this replica last ran a retention tick (Unix time)",
            registry=self.registry,
        )

    def observe_decision_caches(self, caches: Callable[[], Mapping[str, Any]]) -> None:
        """Export the policy engine's remembered answers (``caches()``: package -> a
        ``DecisionCache`` of the revision in force), read when scraped: nothing per decision."""
        self.registry.register(_DecisionCacheCollector(caches))


class _DecisionCacheCollector(Collector):
    """Hits, misses and size of each package's remembered answers. They belong to the compiled
    revision, so the counters start again at 0 when a new revision is activated (a counter
    reset, which ``rate()`` handles)."""

    def __init__(self, caches: Callable[[], Mapping[str, Any]]) -> None:
        self._caches = caches

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        hits = CounterMetricFamily(
            "zorgtafel_policy_decision_cache_hits",
            "Decisions answered from the remembered answers of the policy revision in force",
            labels=["policy"],
        )
        misses = CounterMetricFamily(
            "zorgtafel_policy_decision_cache_misses",
            "Decisions the engine evaluated because no answer was remembered",
            labels=["policy"],
        )
        size = GaugeMetricFamily(
            "zorgtafel_policy_decision_cache_answers",
            "Answers remembered now (bounded; least recently used dropped first)",
            labels=["policy"],
        )
        for policy, cache in sorted(self._caches().items()):
            hits.add_metric([policy], cache.hits)
            misses.add_metric([policy], cache.misses)
            size.add_metric([policy], len(cache))
        yield hits
        yield misses
        yield size
