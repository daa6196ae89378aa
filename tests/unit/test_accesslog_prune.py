"""Pruning the access log at the end of its retention period (issue #14, kind ``access_log``;
kernel/accesslog/prune.py), on SQLite and PostgreSQL (where leaves are hashed by the server):
a pruned prefix loses its content but keeps its leaf hash, so the log still verifies intact
with the pruned records counted, the proofs of the records that remain still verify, and a
tampered kept hash or a tampered remaining record is still found by the signed checkpoints."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import sessionmaker

from zorgtafel.kernel.accesslog import merkle, prune, store
from zorgtafel.kernel.accesslog.checkpoint import Signer
from zorgtafel.kernel.accesslog.group import GroupCommitLog
from zorgtafel.kernel.accesslog.records import PRUNED_FIELDS, AccessRecord, leaf_of_row
from zorgtafel.kernel.accesslog.verify import hashes_of
from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.scheduler import LeaderLock, RetentionScheduler
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.testing.services import wait_for

LOG_ID = "test"
BASE = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)
PARTY = "00000099000000000038"
INPUT = '{"input":{"case":"case-%d","subject":"psn-%d"},"policy":"zorgtafel.disclosure"}'


def at(i: int) -> datetime:
    return BASE + timedelta(minutes=i)


def record(i: int) -> AccessRecord:
    """Record i, recorded at BASE + i minutes, naming its own person, item, case, subject and
    decision (odd ones keep a decision input: version 2 leaves are pruned alike)."""
    return AccessRecord(
        recorded_at=at(i),
        party=PARTY,
        person=f"person-{i}",
        role="care_provider",
        rpc="RequestDisclosure",
        action="read",
        result="allowed",
        resource=f"item-{i}",
        case_id=f"case-{i}",
        subject_pseudonym=f"psn-{i}",
        provider="00000099000000000042",
        purpose="care",
        reasons=("need to know",),
        decision_id=f"dec-{i}",
        trace_id=f"trace{i:027d}",
        input_digest=f"{i:064d}",
        emergency=i % 3 == 0,
        decision_input=INPUT % (i, i) if i % 2 else "",
    )


def names_of(i: int) -> list[str]:
    return [f"person-{i}", f"item-{i}", f"case-{i}", f"psn-{i}", f"dec-{i}", PARTY]


class Log:
    def __init__(self, tmp_path, database_url: str = "") -> None:
        metadata, tables = service_metadata(party_directory=False)
        self.url, self.schema = database_url, f"t_prune_{uuid.uuid4().hex[:10]}"
        if database_url:
            engine = create_engine(database_url)
            with engine.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{self.schema}"'))
            self.engine = engine.execution_options(schema_translate_map={None: self.schema})
        else:
            self.engine = create_engine(f"sqlite:///{tmp_path / 'log.db'}")
        metadata.create_all(self.engine)
        self.t = store.LogTables.of(tables)
        factory = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.uow_factory = lambda: UnitOfWork(
            factory, tables, topic="t", source="/t", registry=EventRegistry([])
        )
        with self.uow_factory() as uow:
            store.ensure_head(uow.session, self.t)
            uow.commit()
        self.signer = Signer.generate()
        self.key = self.signer.public_key()
        self.log = GroupCommitLog(self.uow_factory, log_id=LOG_ID, signer=self.signer)

    def fill(self, n: int, start: int = 1) -> None:
        for i in range(start, start + n):  # one batch, one signed checkpoint each
            self.log.append([record(i)])

    def verify(self):
        with self.engine.connect() as conn:
            return store.verify(conn, self.t, [self.key], log_id=LOG_ID)

    def due(self, cutoff: datetime) -> list[int]:
        with self.engine.connect() as conn:
            return prune.due(conn, self.t, cutoff)

    def prune(self, seq: int, cutoff: datetime) -> bool:
        with self.uow_factory() as uow:
            done = prune.prune(uow.session, self.t, seq, cutoff)
            uow.commit()
            return done

    def prune_due(self, cutoff: datetime) -> list[int]:
        seqs = self.due(cutoff)
        assert all(self.prune(s, cutoff) for s in seqs)
        return seqs

    def raw(self, seq: int) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(select(self.t.log).where(self.t.log.c.seq == seq)).mappings().one()
        return dict(row)

    def set(self, seq: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(self.t.log).where(self.t.log.c.seq == seq).values(**values))

    def checkpoint(self):
        with self.engine.connect() as conn:
            cp = store.latest_checkpoint(conn, self.t, LOG_ID)
        assert cp is not None
        return cp


@pytest.fixture
def log(tmp_path, database_url):
    lg = Log(tmp_path, database_url)
    yield lg
    lg.log.close()
    if database_url:
        with lg.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{lg.schema}" CASCADE'))
    lg.engine.dispose()


def test_a_pruned_prefix_keeps_the_log_intact_and_counts_the_pruned_records(log):
    log.fill(10)
    before = log.verify()
    assert before.intact and before.pruned == 0
    # Records 1..6 were recorded before the cutoff (BASE + 6.5 minutes).
    assert log.prune_due(at(6) + timedelta(seconds=30)) == [1, 2, 3, 4, 5, 6]
    report = log.verify()
    assert report.intact, report.problems
    assert report.records == 10 and report.signed_size == 10
    assert report.pruned == 6 and report.pruned_ranges == [(1, 6)]
    assert report.root == before.root == log.checkpoint().root
    # Nothing more is due at the same cutoff; a later cutoff continues the prefix.
    assert log.due(at(6) + timedelta(seconds=30)) == []
    assert log.prune_due(at(8) + timedelta(seconds=30)) == [7, 8]
    again = log.verify()
    assert again.intact and again.pruned == 8 and again.pruned_ranges == [(1, 8)]


def test_the_database_and_python_hash_pruned_and_whole_records_alike(log):
    log.fill(6)
    log.prune_due(at(3) + timedelta(seconds=1))
    with log.engine.connect() as conn:
        by_store = list(store.hashed_records(conn, log.t))
        cols = [*log.t.columns(), log.t.log.c.pruned_leaf]
        rows = conn.execute(select(*cols).order_by(log.t.log.c.seq)).all()
    by_python = list(hashes_of(rows))
    assert by_store == by_python
    assert [p for _, _, p in by_store] == [True, True, True, False, False, False]


def test_a_pruned_record_holds_none_of_its_ids_or_pseudonyms(log):
    log.fill(5)
    log.prune_due(at(3) + timedelta(seconds=1))
    for seq in (1, 2, 3):
        row = log.raw(seq)
        values = " ".join(str(v) for k, v in row.items() if k != "pruned_leaf")
        for name in names_of(seq):
            assert name not in values, (seq, name)
        assert all(not row[f] for f in PRUNED_FIELDS)
        assert row["seq"] == seq and len(row["pruned_leaf"]) == 32
    whole = log.raw(4)
    assert whole["person"] == "person-4" and whole["pruned_leaf"] is None
    # Nor does a listing find them any more.
    with log.uow_factory() as uow:
        assert store.of_subject(uow.session, log.t, "psn-2") == []
        assert store.latest(uow.session, log.t, "decision_id", "dec-1") == []
        assert [r["seq"] for r in store.of_subject(uow.session, log.t, "psn-4")] == [4]


def test_proofs_of_the_remaining_records_verify_and_a_pruned_record_has_none(log):
    log.fill(9)
    with log.engine.connect() as conn:
        old = store.latest_checkpoint(conn, log.t, LOG_ID, at_least=3)
        first = store.stored_checkpoints(conn, log.t, LOG_ID)[2].checkpoint  # size 3
    assert old is not None and first.size == 3
    log.prune_due(at(5) + timedelta(seconds=1))
    cp = log.checkpoint()
    with log.engine.connect() as conn:
        for seq in (6, 7, 8, 9):
            proof = store.inclusion(conn, log.t, seq, LOG_ID)
            assert proof is not None and proof.record["seq"] == seq
            assert merkle.verify_inclusion(
                merkle.leaf_hash(proof.leaf),
                proof.index,
                proof.checkpoint.size,
                proof.path,
                proof.checkpoint.root,
            )
        assert store.inclusion(conn, log.t, 2, LOG_ID) is None  # nothing left to prove
        # Consistency from a checkpoint signed before the pruning (inside the pruned prefix).
        path = store.consistency(conn, log.t, first.size, cp.size)
    assert merkle.verify_consistency(first.size, cp.size, first.root, cp.root, path)


def test_a_tampered_kept_hash_is_found_by_the_signed_checkpoints(log):
    log.fill(8)
    log.prune_due(at(5) + timedelta(seconds=1))
    log.set(3, pruned_leaf=merkle.leaf_hash(b"another record"))
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 3, report.problems


def test_a_tampered_remaining_record_is_found_after_pruning(log):
    log.fill(8)
    log.prune_due(at(5) + timedelta(seconds=1))
    log.set(7, party="00000099000000000099")
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 7, report.problems


def test_a_kept_hash_never_vouches_for_content_that_is_still_there(log):
    """An attacker who stores a record's genuine hash as its kept hash and then edits it gains
    nothing: the kept hash counts only for an emptied record."""
    log.fill(6)
    genuine = merkle.leaf_hash(leaf_of_row(record(5).row(5)))
    log.set(5, pruned_leaf=genuine, person="someone-else")
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 5 and report.pruned == 0


def test_a_record_that_no_longer_matches_its_signed_hash_is_kept_whole(log):
    log.fill(6)
    log.set(2, person="rewritten")
    cutoff = at(4) + timedelta(seconds=1)
    assert log.prune(1, cutoff)
    with pytest.raises(prune.PruneRefused) as refused:
        log.prune(2, cutoff)
    assert "rewritten" not in str(refused.value)
    assert log.raw(2)["person"] == "rewritten" and log.raw(2)["pruned_leaf"] is None
    assert not log.prune(3, cutoff)  # whole prefixes only: 2 is still whole
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 2


def test_only_whole_prefixes_under_a_signed_checkpoint_are_pruned_and_only_once(log):
    log.fill(4)
    unsigned = GroupCommitLog(log.uow_factory, log_id=LOG_ID, signer=None)
    try:
        unsigned.append([record(5)])
        unsigned.append([record(6)])
    finally:
        unsigned.close()
    cutoff = at(10)
    assert not log.prune(3, cutoff)  # 1 and 2 still whole
    assert log.due(cutoff) == [1, 2, 3, 4]  # 5 and 6: no signed checkpoint covers them
    assert log.prune(1, cutoff) and not log.prune(1, cutoff)  # once
    assert not log.prune(5, cutoff)
    assert log.prune_due(cutoff) == [2, 3, 4]
    report = log.verify()
    assert report.pruned == 4 and report.unsigned_records == 2 and report.intact


def test_two_pruners_at_once_prune_each_record_once(log):
    log.fill(12)
    cutoff = at(12) + timedelta(seconds=1)
    results: list[list[int]] = [[], []]

    def run(i: int) -> None:
        for seq in range(1, 13):
            try:
                if log.prune(seq, cutoff):
                    results[i].append(seq)
            except Exception:  # noqa: BLE001 - SQLite's lock: the other one goes on
                pass

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    # Whatever the interleaving, no record was pruned twice and the log is a clean prefix.
    assert not set(results[0]) & set(results[1])
    leftover = log.prune_due(cutoff)
    assert sorted(results[0] + results[1] + leftover) == list(range(1, 13))
    report = log.verify()
    assert report.intact and report.pruned == 12


class Policy:
    """The retention policy as the engine answers it: the kernel's kinds asked as "kernel"."""

    revision = "rev-1"

    def __init__(self, kernel_seconds: int) -> None:
        self.kernel_seconds = kernel_seconds
        self.asked: list[str] = []

    def evaluate(self, policy: str, facts: dict) -> dict:
        assert policy == "zorgtafel.retention"
        self.asked.append(facts["service"])
        periods = {"access_log": self.kernel_seconds} if facts["service"] == "kernel" else {}
        return {"periods": periods, "invalid": [], "choices": {}}


def test_the_kernels_task_prunes_on_its_own_with_the_period_from_the_policy(log):
    log.fill(6)
    # Records 1..6 lie at BASE + 1..6 minutes; "now" is BASE + 10 min and the period 5.5 min.
    policy = Policy(330)
    stopped = threading.Event()
    s = RetentionScheduler(
        service="intake",
        tasks=(prune.retention_task(log.uow_factory),),
        policy=policy,
        lock=LeaderLock(log.engine, "intake", schema=log.schema),
        interval_s=0.05,
        clock=lambda: at(10),
        also_owners=("kernel",),
    )
    plan = s.plan()
    assert plan.tasks[0].name == "access_log_prune" and plan.tasks[0].due == ("1", "2", "3", "4")
    s.start(stopped)
    try:
        wait_for(lambda: log.verify().pruned == 4, timeout=60)
    finally:
        stopped.set()
        s.join(10)
    assert "kernel" in policy.asked and "intake" in policy.asked
    report = log.verify()
    assert report.intact and report.pruned_ranges == [(1, 4)]
    # A second tick finds nothing more to do (idempotent).
    assert s.tick().tasks[0].done == ()


def test_the_test_override_in_seconds_sets_the_period_and_no_period_prunes_nothing(log):
    log.fill(3)
    base = dict(
        service="intake",
        tasks=(prune.retention_task(log.uow_factory),),
        lock=LeaderLock(log.engine, "intake", schema=log.schema),
        interval_s=0,
        clock=lambda: at(10),
    )
    # The policy gives the kernel's period only to whom asks as "kernel": none here.
    kept = RetentionScheduler(policy=Policy(1), **base).tick()
    assert kept.tasks[0].skipped == "no_period" and log.verify().pruned == 0
    pruned = RetentionScheduler(policy=Policy(10**9), overrides={"access_log": 1}, **base).tick()
    assert pruned.tasks[0].done == ("1", "2", "3") and log.verify().pruned == 3


def test_every_service_gets_the_kernels_task_with_the_adopted_period():
    """The kernel adds the task to every service's scheduler (governance declares none of its
    own) and asks the policy for the kernel's kinds: five years as adopted."""
    from zorgtafel.kernel.bootstrap import make_retention_scheduler
    from zorgtafel.kernel.config import SERVICES, Settings
    from zorgtafel.kernel.gate import PolicyGate
    from zorgtafel.testing.services import shared_policy_engine

    gate = PolicyGate(shared_policy_engine())
    engine = create_engine("sqlite://")
    for service in SERVICES:
        s = make_retention_scheduler(
            Settings(service),
            (),
            gate,
            engine,
            access_log=lambda: None,  # never called: the task is only built
        )
        assert s is not None
        assert [t.name for t in s.tasks] == ["access_log_prune", "purged_request_sweep"]
        periods = s.periods()
        assert periods.of("access_log") == timedelta(days=5 * 365), service
        assert periods.of("purged_request") == timedelta(days=90), service
