"""The retention scheduler: every service purges what its retention period says is due, on
its own clock (Bijlage 3 "houdbaarheid", art. 1.2), and reports it without personal data.

A service declares ``RetentionTask``s in its ``ServiceParts``: for one kind of record, which ids
are due (``due``) and how one is removed through the service's own handler and unit of work
(``apply``: True when it removed it now, False when it was already gone or is no longer due, so
running a purge twice removes once and emits one event). The scheduler runs them every
``ZORGTAFEL_RETENTION_INTERVAL_S`` seconds on its own thread:

* **one active replica at a time**: on PostgreSQL a session advisory lock per service and schema
  (a replica that does not get it skips the tick; advisory locks are per database, so the schema
  is in the key, or two deployments sharing a database would take each other's turns); on SQLite
  (one process per file) a lock in the process;
* **safe with several**: ``apply`` re-reads the record in its own transaction and locks it, so
  two replicas that both think a record is due purge it once;
* **fail closed towards keeping**: no period from the policy (engine down, a malformed
  period) means nothing of that kind is purged this tick;
* **never in the way**: the first tick runs one interval after start (readiness never waits on
  it); a database that is away fails the tick, which is logged and retried next interval.

What it did goes to the metrics (``zorgtafel_retention_*``) and one log line per tick with
counts by kind: ids and kinds only, never a name, a date of birth or an identifier.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.retention import RetentionPeriods, read_periods

log = get_logger(__name__)

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RetentionTask:
    """One kind of record a service removes (or updates) on its own clock.

    ``kind`` names the retention period it needs (``policies/rego/retention/data.json``); a
    task with ``kind=""`` needs none (the age band that follows the birthday). ``due(period,
    now)`` lists ids (never personal data); ``apply(id, period, now)`` does the work in its own
    transaction and answers whether it did anything."""

    name: str
    kind: str
    due: Callable[[timedelta | None, datetime], Sequence[str]]
    apply: Callable[[str, timedelta | None, datetime], bool]


@dataclass(frozen=True)
class TaskReport:
    name: str
    kind: str
    due: tuple[str, ...] = ()
    done: tuple[str, ...] = ()
    failed: int = 0
    skipped: str = ""  # why the task did not run ("no_period"), never personal data


@dataclass(frozen=True)
class TickReport:
    service: str
    ran: bool  # False when another replica holds the lock
    dry_run: bool = False
    revision: str = ""
    tasks: tuple[TaskReport, ...] = ()
    error: str = ""

    def counts(self) -> dict[str, int]:
        return {t.name: len(t.due if self.dry_run else t.done) for t in self.tasks}

    def to_dict(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "ran": self.ran,
            "dry_run": self.dry_run,
            "policy_revision": self.revision,
            "error": self.error,
            "tasks": [
                {
                    "name": t.name,
                    "kind": t.kind,
                    "due": list(t.due),
                    "done": list(t.done),
                    "failed": t.failed,
                    "skipped": t.skipped,
                }
                for t in self.tasks
            ],
        }


# -- one active replica ----------------------------------------------------------------------
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _lock_key(service: str, schema: str | None) -> int:
    """A stable signed 64-bit advisory-lock key per service and schema (the same in every replica
    of one deployment; another deployment's schema in the same database gets another key)."""
    digest = hashlib.sha256(f"zorgtafel.retention.{schema or ''}.{service}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class LeaderLock:
    """Who runs this tick: a PostgreSQL session advisory lock (released with the connection, so a
    replica that dies holding it frees it), or a process lock for SQLite."""

    def __init__(self, engine: Engine, service: str, *, schema: str | None) -> None:
        # ``schema`` is required (None on SQLite) so no caller can forget the deployment's scope.
        self.engine = engine
        self.service = service
        self.schema = schema
        self.postgres = engine.dialect.name == "postgresql"
        with _PROCESS_LOCKS_GUARD:
            self._local = _PROCESS_LOCKS.setdefault(
                f"{engine.url}|{schema}|{service}", threading.Lock()
            )

    def run_if_leader(self, work: Callable[[], TickReport]) -> TickReport | None:
        if not self._local.acquire(blocking=False):
            return None
        try:
            if not self.postgres:
                return work()
            key = _lock_key(self.service, self.schema)
            with self.engine.connect() as conn:
                got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar()
                conn.commit()
                if not got:
                    return None
                try:
                    return work()
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                    conn.commit()
        finally:
            self._local.release()


# -- the scheduler ---------------------------------------------------------------------------
@dataclass
class RetentionScheduler:
    service: str
    tasks: tuple[RetentionTask, ...]
    policy: Any  # a PolicyGate (evaluate raises UNAVAILABLE on an engine failure)
    lock: LeaderLock
    interval_s: float
    overrides: Mapping[str, int] = field(default_factory=dict)
    metrics: Any = None
    clock: Clock = utcnow
    # Owners besides the service whose kinds its tasks need: "kernel" for the access log every
    # service keeps (kernel/accesslog/prune.py).
    also_owners: tuple[str, ...] = ()
    _thread: threading.Thread | None = None

    def periods(self) -> RetentionPeriods:
        own = read_periods(self.policy, self.service, self.overrides)
        if not self.also_owners:
            return own
        merged: dict[str, timedelta] = {}
        invalid = list(own.invalid)
        for owner in self.also_owners:
            other = read_periods(self.policy, owner)
            merged.update(other.periods)
            invalid.extend(other.invalid)
        merged.update(own.periods)  # the service's own, test overrides included, win
        return RetentionPeriods(merged, tuple(invalid), own.revision)

    def plan(self) -> TickReport:
        """What would go now (``zorgtafel purge --dry-run``): ids by task, nothing changed."""
        return self._tick(dry_run=True)

    def tick(self) -> TickReport:
        """Run every task once, if this replica is the active one."""
        report = self.lock.run_if_leader(lambda: self._tick(dry_run=False))
        if report is None:
            report = TickReport(self.service, ran=False)
            self._count_tick("standby")
            return report
        self._record(report)
        return report

    def _tick(self, *, dry_run: bool) -> TickReport:
        now = self.clock()
        periods = self.periods()
        reports = [self._run_task(task, periods, now, dry_run) for task in self.tasks]
        return TickReport(
            self.service, ran=True, dry_run=dry_run, revision=periods.revision, tasks=tuple(reports)
        )

    def _run_task(
        self, task: RetentionTask, periods: RetentionPeriods, now: datetime, dry_run: bool
    ) -> TaskReport:
        period = periods.of(task.kind) if task.kind else None
        if task.kind and period is None:
            return TaskReport(task.name, task.kind, skipped="no_period")
        due = tuple(task.due(period, now))
        if dry_run:
            return TaskReport(task.name, task.kind, due=due)
        done: list[str] = []
        failed = 0
        for record_id in due:
            try:
                if task.apply(record_id, period, now):
                    done.append(record_id)
            except Exception as exc:  # noqa: BLE001 - one record must not stop the others
                failed += 1
                log.warning(
                    "retention_apply_failed",
                    service=self.service,
                    task=task.name,
                    record_id=record_id,
                    error_type=type(exc).__name__,
                )
        return TaskReport(task.name, task.kind, due=due, done=tuple(done), failed=failed)

    def _record(self, report: TickReport) -> None:
        failed = sum(t.failed for t in report.tasks)
        self._count_tick("failed" if failed else "ran")
        if self.metrics is not None:
            for t in report.tasks:
                if t.done:
                    self.metrics.retention_purged.labels(task=t.name).inc(len(t.done))
                if t.failed:
                    self.metrics.retention_failed.labels(task=t.name).inc(t.failed)
            self.metrics.purge_overdue.set(
                sum(len(t.due) - len(t.done) for t in report.tasks if t.kind)
            )
            self.metrics.retention_last_tick.set(self.clock().timestamp())
        # Counts by task and ids only: never personal data in the log.
        log.info(
            "retention_tick",
            service=self.service,
            policy_revision=report.revision,
            done=report.counts(),
            failed=failed,
            skipped=sorted(t.name for t in report.tasks if t.skipped),
        )

    def _count_tick(self, outcome: str) -> None:
        if self.metrics is not None:
            self.metrics.retention_ticks.labels(outcome=outcome).inc()

    # -- the thread ---------------------------------------------------------------------------
    def start(self, stopped: threading.Event) -> None:
        if self.interval_s <= 0 or not self.tasks:
            return
        self._thread = threading.Thread(
            target=self._loop, args=(stopped,), name=f"{self.service}-retention", daemon=True
        )
        self._thread.start()

    def join(self, timeout: float) -> None:
        if self._thread is not None:
            self._thread.join(timeout=timeout)

    def _loop(self, stopped: threading.Event) -> None:
        # The first tick after one interval: start-up and readiness never wait on a purge.
        while not stopped.wait(self.interval_s):
            try:
                self.tick()
            except Exception as exc:  # noqa: BLE001 - the database or the policy may be away
                self._count_tick("error")
                log.warning(
                    "retention_tick_failed", service=self.service, error_type=type(exc).__name__
                )
