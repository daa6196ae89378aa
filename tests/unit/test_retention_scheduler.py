"""The retention scheduler's own behaviour (kernel/scheduler.py), without a service: it does not
run at start, survives a database that is away, reports counts in the metrics, keeps what has
no period, and one process runs one tick at a time."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from zorgtafel.kernel.metrics import Metrics
from zorgtafel.kernel.scheduler import LeaderLock, RetentionScheduler, RetentionTask
from zorgtafel.testing.services import wait_for

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


class Policy:
    revision = "rev-1"

    def __init__(self, periods: dict[str, int]) -> None:
        self.periods = periods

    def evaluate(self, policy: str, facts: dict) -> dict:
        assert policy == "zorgtafel.retention" and facts == {"service": "intake"}
        return {"periods": self.periods, "invalid": [], "choices": {}}


def make(tasks, periods=None, interval_s=0.0, name="x") -> tuple[RetentionScheduler, Metrics]:
    metrics = Metrics("intake")
    engine = create_engine(f"sqlite:///file:{name}?mode=memory&uri=true")
    s = RetentionScheduler(
        service="intake",
        tasks=tuple(tasks),
        policy=Policy(periods if periods is not None else {"k": 10}),
        lock=LeaderLock(engine, "intake", schema=None),
        interval_s=interval_s,
        metrics=metrics,
        clock=lambda: NOW,
    )
    return s, metrics


def value(metric, **labels) -> float:
    return (metric.labels(**labels) if labels else metric)._value.get()


def test_a_tick_removes_what_is_due_and_reports_counts_not_content():
    removed: list[str] = []

    def apply(record_id: str, period, now) -> bool:
        assert period == timedelta(seconds=10) and now == NOW
        if record_id == "broken":
            raise RuntimeError("no")
        removed.append(record_id)
        return record_id != "gone"  # another replica was first

    task = RetentionTask("things", "k", lambda p, n: ["a", "gone", "broken", "b"], apply)
    s, metrics = make([task])
    report = s.tick()
    assert report.ran and report.revision == "rev-1"
    assert report.tasks[0].done == ("a", "b") and report.tasks[0].failed == 1
    assert value(metrics.retention_purged, task="things") == 2
    assert value(metrics.retention_failed, task="things") == 1
    assert value(metrics.purge_overdue) == 2  # "gone" and "broken" were due, not removed here
    assert value(metrics.retention_ticks, outcome="failed") == 1


def test_without_a_period_nothing_of_that_kind_is_touched():
    def never(*_args):
        raise AssertionError("asked without a period")

    s, _ = make([RetentionTask("things", "k", never, never)], periods={}, name="np")
    assert s.tick().tasks[0].skipped == "no_period"
    assert s.plan().tasks[0].skipped == "no_period"


def test_dry_run_lists_and_changes_nothing():
    def never(*_args):
        raise AssertionError("applied in a dry run")

    s, metrics = make([RetentionTask("things", "k", lambda p, n: ["a"], never)], name="dry")
    plan = s.plan()
    assert plan.dry_run and plan.tasks[0].due == ("a",) and plan.counts() == {"things": 1}
    assert value(metrics.retention_purged, task="things") == 0


def test_one_tick_at_a_time_in_a_process():
    entered, release = threading.Event(), threading.Event()

    def due(_p, _n):
        entered.set()
        release.wait(30)
        return []

    s, metrics = make([RetentionTask("slow", "k", due, lambda *_: True)], name="one")
    first = threading.Thread(target=s.tick)
    first.start()
    entered.wait(30)
    assert s.tick().ran is False  # the other tick holds the lock
    release.set()
    first.join(30)
    assert value(metrics.retention_ticks, outcome="standby") == 1


def test_the_thread_waits_an_interval_before_its_first_tick_and_survives_a_database_away():
    calls = []

    def due(_p, _n):
        calls.append(1)
        raise OperationalError("select", {}, Exception("database away"))

    stopped = threading.Event()
    slow, slow_metrics = make([RetentionTask("t", "k", due, lambda *_: True)], interval_s=60)
    slow.start(stopped)
    assert calls == [] and value(slow_metrics.retention_ticks, outcome="error") == 0
    fast, metrics = make([RetentionTask("t", "k", due, lambda *_: True)], interval_s=0.05, name="f")
    fast.start(stopped)
    try:
        wait_for(lambda: value(metrics.retention_ticks, outcome="error") >= 2, timeout=30)
    finally:
        stopped.set()
        fast.join(5)
        slow.join(5)
    assert not fast._thread.is_alive()  # type: ignore[union-attr]
