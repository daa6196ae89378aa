"""Prometheus metrics, one registry per service instance (no process-global state, so tests
can run several services in one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


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
        self.policy_decisions = Counter(
            "zorgtafel_policy_decisions",
            "Policy decisions",
            ["policy", "result"],
            registry=self.registry,
        )
