"""Group commit: concurrent appends share one transaction.

A request hands its records (and, optionally, ``work``: the other writes of its transaction,
such as outbox events) to the committer and waits. The committer thread takes everything that
queued up while the previous batch committed, writes it in ONE transaction (one head lock, one
signed checkpoint, one commit) and wakes every waiter with its sequence numbers. A caller
returns only after its records are durable; no caller waits on a lock held by another caller's
transaction, so a burst of requests costs about one commit, not one commit each (no convoy).

When a batch fails, each of its requests is retried alone, so one bad request fails only
itself.
"""

from __future__ import annotations

import contextvars
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from zorgtafel.kernel.accesslog import merkle, store
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, Signer
from zorgtafel.kernel.accesslog.records import AccessRecord
from zorgtafel.kernel.uow import UnitOfWork, utcnow

Work = Callable[[Any], None]  # writes in the batch's unit of work (its session, its outbox)
OnCheckpoint = Callable[[Any, Checkpoint], None]


@dataclass
class _Pending:
    records: Sequence[AccessRecord]
    work: Work | None
    # The caller's context (its trace): a batch of one commits in it, so its outbox rows carry
    # the caller's traceparent. A shared batch carries none rather than another caller's.
    context: contextvars.Context = field(default_factory=contextvars.copy_context)
    done: threading.Event = field(default_factory=threading.Event)
    seqs: list[int] = field(default_factory=list)
    error: BaseException | None = None


class LogClosed(RuntimeError):
    pass


class GroupCommitLog:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        *,
        log_id: str,
        signer: Signer | None,
        on_checkpoint: OnCheckpoint | None = None,
        max_batch: int = 256,
    ) -> None:
        self._uow_factory = uow_factory
        self.log_id = log_id
        self.signer = signer
        self._on_checkpoint = on_checkpoint
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._closed = False
        self.batches = 0  # committed batches (tests and the bench read it)
        # The head as the last committed batch left it (the committer thread's alone): the
        # next batch moves it without reading it first, unless a replica moved it meanwhile.
        self._head: merkle.CompactRange | None = None

    @property
    def tables(self) -> store.LogTables:
        with self._uow_factory() as uow:
            return store.LogTables.of(uow.tables)

    def append(
        self, records: Sequence[AccessRecord], work: Work | None = None, timeout: float = 30.0
    ) -> list[int]:
        """Append durably (with ``work`` in the same transaction); the records' seqs."""
        if self._closed:
            raise LogClosed("the access log is closed")
        self._ensure_thread()
        pending = _Pending(records, work)
        self._queue.put(pending)
        if not pending.done.wait(timeout):
            # Whether it committed is unknown here: fail closed (the caller releases nothing).
            raise TimeoutError("the access log did not confirm the append in time")
        if pending.error is not None:
            raise pending.error
        return pending.seqs

    def close(self) -> None:
        self._closed = True
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(10)

    def _ensure_thread(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                t = threading.Thread(target=self._run, name=f"accesslog-{self.log_id}", daemon=True)
                t.start()
                self._thread = t

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self._max_batch:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            self._commit_batch(batch)
            if stop:
                return

    def _commit_batch(self, batch: list[_Pending]) -> None:
        try:
            if len(batch) == 1:
                batch[0].context.run(self._commit, batch)
            else:
                self._commit(batch)
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting callers
            if len(batch) == 1:
                batch[0].error = exc
            else:
                for p in batch:  # one bad request must not fail the others
                    try:
                        p.context.run(self._commit, [p])
                    except BaseException as single:  # noqa: BLE001
                        p.error = single
        for p in batch:
            p.done.set()

    def _commit(self, batch: list[_Pending]) -> None:
        with self._uow_factory() as uow:
            t = store.LogTables.of(uow.tables)
            records: list[AccessRecord] = []
            for p in batch:
                records.extend(p.records)
            # The head lock is the transaction's first write (SQLite's write lock); the
            # requests' own writes follow in the same transaction.
            known, self._head = self._head, None  # kept again only once this one commits
            appended = store.append_batch(
                uow.session,
                t,
                records,
                signer=self.signer,
                log_id=self.log_id,
                now=utcnow(),
                known=known,
            )
            for p in batch:
                if p.work is not None:
                    p.work(uow)
            if appended.checkpoint is not None and self._on_checkpoint is not None:
                self._on_checkpoint(uow, appended.checkpoint)
            uow.commit()
        self._head = appended.head
        self.batches += 1
        i = 0
        for p in batch:
            p.seqs = appended.seqs[i : i + len(p.records)]
            i += len(p.records)
