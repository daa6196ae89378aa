"""The kernel's access log (NEN 7513, issue #15): RFC 6962 Merkle math, signed checkpoints,
group commit, and verification that names the first bad record even after an attacker with
write access to the database recomputed every hash with the project's own code."""

from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import create_engine, delete, insert, select, text, update
from sqlalchemy.orm import sessionmaker

from zorgtafel.kernel.accesslog import merkle, store
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey, Signer, write_key_file
from zorgtafel.kernel.accesslog.group import GroupCommitLog
from zorgtafel.kernel.accesslog.records import ROW_FIELDS, AccessRecord, leaf_of_values
from zorgtafel.kernel.accesslog.verify import leaves_of
from zorgtafel.kernel.events import EventRegistry
from zorgtafel.kernel.schema import service_metadata
from zorgtafel.kernel.uow import UnitOfWork
from zorgtafel.testing import wait_for

LOG_ID = "test"
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


def reference_root(hashes: list[bytes]) -> bytes:
    """MTH straight from RFC 6962 2.1, recursively."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return merkle.node_hash(reference_root(hashes[:k]), reference_root(hashes[k:]))


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(f"leaf {i}".encode()) for i in range(n)]


# --- Merkle math ------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33])
def test_the_tree_head_is_rfc_6962s(n):
    assert merkle.root_of(leaves(n)) == reference_root(leaves(n))


def test_every_inclusion_proof_verifies_and_a_wrong_leaf_or_place_does_not():
    for n in range(1, 34):
        hs = leaves(n)
        root = reference_root(hs)
        for i in range(n):
            proof = merkle.inclusion_proof(i, hs)
            assert merkle.verify_inclusion(hs[i], i, n, proof, root)
            assert not merkle.verify_inclusion(merkle.leaf_hash(b"forged"), i, n, proof, root)
            if n > 1:
                assert not merkle.verify_inclusion(hs[i], (i + 1) % n, n, proof, root)


def test_every_consistency_proof_verifies_and_a_rewritten_prefix_does_not():
    for n in range(1, 34):
        hs = leaves(n)
        for m in range(1, n + 1):
            proof = merkle.consistency_proof(m, hs)
            old = reference_root(hs[:m])
            assert merkle.verify_consistency(m, n, old, reference_root(hs), proof)
            if m < n:
                forged = reference_root([merkle.leaf_hash(b"x")] + hs[1:m])
                assert not merkle.verify_consistency(m, n, forged, reference_root(hs), proof)


def test_a_checkpoint_verifies_with_the_public_key_alone_and_not_when_altered():
    signer = Signer.generate()
    cp = signer.sign(LOG_ID, 3, merkle.root_of(leaves(3)), "2026-01-01T00:00:00.000000Z")
    key = PublicKey.from_text(signer.public_key().text())
    assert key.verifies(cp)
    assert not key.verifies(Checkpoint(LOG_ID, 4, cp.root, cp.signed_at, cp.key_id, cp.signature))
    assert not key.verifies(
        Checkpoint(LOG_ID, 3, merkle.root_of(leaves(2)), cp.signed_at, cp.key_id, cp.signature)
    )
    assert not Signer.generate().public_key().verifies(cp)


def test_a_signing_key_file_round_trips_and_its_pub_file_verifies(tmp_path):
    path = tmp_path / "svc-log-signing.key"
    write_key_file(path)
    signer = Signer.from_file(path)
    cp = signer.sign(LOG_ID, 1, leaves(1)[0], "2026-01-01T00:00:00.000000Z")
    assert PublicKey.from_file(path.with_suffix(".pub")).verifies(cp)
    assert oct(path.stat().st_mode & 0o777) == "0o600"


# --- the stored log -----------------------------------------------------------------------------


class Log:
    """A log on SQLite or in a PostgreSQL schema of its own (where leaves are hashed by the
    server: the same tests hold for both paths)."""

    def __init__(self, tmp_path, database_url: str = "") -> None:
        metadata, tables = service_metadata(party_directory=False)
        self.url, self.schema = database_url, f"t_accesslog_{uuid.uuid4().hex[:10]}"
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

    def record(self, i: int, **kw) -> AccessRecord:
        return AccessRecord(
            recorded_at=datetime(2026, 1, 1, 12, 0, i % 60, 123456, tzinfo=timezone.utc),
            party="00000099000000000038",
            person=f"person-{i}",
            role="care_provider",
            rpc="RequestDisclosure",
            action="read",
            result="allowed",
            resource=f"item-{i}",
            case_id="case-1",
            subject_pseudonym="psn-1",
            reasons=("need to know", "Zoë’s consent"),
            decision_id=f"dec-{i}",
            **kw,
        )

    def fill(self, n: int) -> None:
        for i in range(1, n + 1):
            self.log.append([self.record(i)])

    def verify(self, trusted=()):
        with self.engine.connect() as conn:
            return store.verify(conn, self.t, [self.key], log_id=LOG_ID, trusted=trusted)

    def rows(self) -> list:
        with self.engine.connect() as conn:
            return list(store.iter_values(conn, self.t))

    def latest_checkpoint(self) -> Checkpoint:
        with self.engine.connect() as conn:
            cp = store.latest_checkpoint(conn, self.t, LOG_ID)
        assert cp is not None
        return cp

    # -- the attacker: write access to the database and this repository's code, not the key --
    def rewrite(self, conn, rows: list[tuple], *, checkpoints: bool) -> None:
        """Replace the whole log by ``rows`` (value tuples, renumbered 1..n) and recompute the
        head, and optionally every checkpoint's root and leaf batch, with the project's code."""
        conn.execute(delete(self.t.log))
        rows = [(i + 1, *r[1:]) for i, r in enumerate(rows)]
        if rows:
            conn.execute(insert(self.t.log), [dict(zip(ROW_FIELDS, r, strict=True)) for r in rows])
        hashes = [merkle.leaf_hash(leaf_of_values(r)) for r in rows]
        acc = merkle.CompactRange()
        acc.extend(hashes)
        conn.execute(
            update(self.t.head).values(
                size=acc.size,
                frontier=",".join(h.hex() for h in acc.hashes),
                root=acc.root().hex(),
            )
        )
        if checkpoints:
            prev = 0
            for (size,) in conn.execute(
                select(self.t.checkpoints.c.size).order_by(self.t.checkpoints.c.size)
            ).all():
                conn.execute(
                    update(self.t.checkpoints)
                    .where(self.t.checkpoints.c.size == size)
                    .values(
                        root=merkle.root_of(hashes[:size]).hex(),
                        batch=b"".join(hashes[prev:size]),
                    )
                )
                prev = size


@pytest.fixture
def log(tmp_path, database_url):
    lg = Log(tmp_path, database_url)
    yield lg
    lg.log.close()
    if database_url:
        with lg.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{lg.schema}" CASCADE'))
    lg.engine.dispose()


def test_the_database_hashes_leaves_exactly_as_python_does(log):
    """On PostgreSQL the leaves are hashed by the server (verification speed): the encoding
    must be the Python one byte for byte, Unicode, separators and both booleans included."""
    awkward = [
        log.record(1, provider="Zoë 𝄞 ‏عربى‏ \u00a0", emergency=True),
        log.record(2, purpose="a\x1fb"),  # the separator is cleaned on append
        AccessRecord(
            recorded_at=datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
            party="p",
            person="",
            role="r",
            rpc="X",
            action="read",
            result="denied",
        ),
    ]
    log.log.append(awkward)
    with log.engine.connect() as conn:
        by_store = list(store.hashed_leaves(conn, log.t))
        by_python = list(leaves_of(store.iter_values(conn, log.t)))
    assert by_store == by_python and len(by_store) == 3


def test_appended_records_are_numbered_signed_and_verify_intact(log):
    log.fill(5)
    report = log.verify()
    assert report.intact, report.problems
    assert report.records == 5 and report.signed_size == 5 and report.unsigned_records == 0
    assert [r[0] for r in log.rows()] == [1, 2, 3, 4, 5]
    assert log.latest_checkpoint().root == report.root


def _edit(rows, at):
    rows[at - 1] = tuple(
        "00000099000000000042" if name == "party" else v
        for name, v in zip(ROW_FIELDS, rows[at - 1], strict=True)
    )
    return rows


def _delete(rows, at):
    del rows[at - 1]
    return rows


def _insert(rows, at):
    forged = tuple(
        f"forged-{name}" if name == "person" else v
        for name, v in zip(ROW_FIELDS, rows[0], strict=True)
    )
    rows.insert(at - 1, forged)
    return rows


def _reorder(rows, at):
    rows[at - 1], rows[at] = rows[at], rows[at - 1]
    return rows


@pytest.mark.parametrize("tamper", [_edit, _delete, _insert, _reorder])
@pytest.mark.parametrize("checkpoints", [False, True], ids=["records", "records+checkpoints"])
def test_tampering_with_recomputed_hashes_is_detected_naming_the_first_bad_record(
    log, tamper, checkpoints
):
    log.fill(6)
    assert log.verify().intact
    with log.engine.begin() as conn:
        log.rewrite(conn, tamper(log.rows(), 3), checkpoints=checkpoints)
    report = log.verify()
    assert not report.intact
    assert report.first_bad_seq == 3, report.problems
    assert report.problems


def test_a_tail_truncated_after_a_checkpoint_is_detected(log):
    log.fill(6)
    published = log.latest_checkpoint()  # what governance holds (published on Kafka)
    with log.engine.begin() as conn:
        log.rewrite(conn, log.rows()[:4], checkpoints=False)
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 5, report.problems
    # The attacker deletes the checkpoints that cover the removed records too: the published
    # checkpoint, held outside the database, still shows the truncation.
    with log.engine.begin() as conn:
        conn.execute(delete(log.t.checkpoints).where(log.t.checkpoints.c.size > 4))
    assert log.verify().intact  # the database alone can no longer tell...
    report = log.verify(trusted=[published])
    assert not report.intact and report.first_bad_seq == 5, report.problems


def test_a_checkpoint_signed_by_another_key_does_not_vouch_for_the_log(log):
    log.fill(3)
    other = GroupCommitLog(log.uow_factory, log_id=LOG_ID, signer=Signer.generate())
    try:
        other.append([log.record(4)])
    finally:
        other.close()
    report = log.verify()
    assert not report.intact and report.first_bad_seq == 4, report.problems


def test_an_inclusion_proof_verifies_with_the_public_key_alone_and_a_forged_one_fails(log):
    log.fill(7)
    with log.engine.connect() as conn:
        proof = store.inclusion(conn, log.t, 5, LOG_ID)
    assert proof is not None and proof.record["decision_id"] == "dec-5"
    # What a party receives: the record's leaf, its index, the path and the checkpoint. It
    # checks with the published public key only.
    key = PublicKey.from_text(log.key.text())
    cp = proof.checkpoint

    def holds(leaf: bytes, index: int, path, checkpoint: Checkpoint) -> bool:
        return key.verifies(checkpoint) and merkle.verify_inclusion(
            merkle.leaf_hash(leaf), index, checkpoint.size, path, checkpoint.root
        )

    assert holds(proof.leaf, proof.index, proof.path, cp)
    assert not holds(proof.leaf.replace(b"dec-5", b"dec-6"), proof.index, proof.path, cp)
    assert not holds(proof.leaf, proof.index + 1, proof.path, cp)
    forged_root = Checkpoint(cp.log_id, cp.size, bytes(32), cp.signed_at, cp.key_id, cp.signature)
    assert not holds(proof.leaf, proof.index, proof.path, forged_root)


def test_consistency_between_two_checkpoints_is_provable(log):
    log.fill(3)
    old = log.latest_checkpoint()
    log.fill(5)
    new = log.latest_checkpoint()
    with log.engine.connect() as conn:
        proof = store.consistency(conn, log.t, old.size, new.size)
    assert merkle.verify_consistency(old.size, new.size, old.root, new.root, proof)
    assert not merkle.verify_consistency(old.size, new.size, bytes(32), new.root, proof)


def test_concurrent_appends_share_one_transaction(log):
    """Group commit: the requests that queue while a batch commits go into the next one."""
    entered = threading.Event()

    def first_work(uow):
        # Hold the first batch open until the seven others have queued behind it.
        entered.set()
        wait_for(lambda: log.log._queue.qsize() == 7)

    seqs: list[list[int]] = []
    first = threading.Thread(
        target=lambda: seqs.append(log.log.append([log.record(0)], first_work))
    )
    first.start()
    wait_for(entered.is_set)
    others = [
        threading.Thread(target=lambda i=i: seqs.append(log.log.append([log.record(i)])))
        for i in range(1, 8)
    ]
    for t in others:
        t.start()
    for t in [first, *others]:
        t.join(60)
    assert log.log.batches == 2
    assert sorted(s for group in seqs for s in group) == list(range(1, 9))
    assert log.verify().intact


def test_two_writers_of_one_log_take_turns_without_a_gap_or_a_fork(log):
    """Replicas: a writer moves the head on from where its last batch left it only while no
    other writer has moved it since; otherwise it reads the head again. One numbering, one
    tree, whoever appends."""
    other = GroupCommitLog(log.uow_factory, log_id=LOG_ID, signer=log.signer)
    seqs: list[int] = []
    try:
        for i in range(1, 7):
            seqs += (log.log if i % 3 else other).append([log.record(i)])
        seqs += log.log.append([log.record(7)])
    finally:
        other.close()
    assert seqs == list(range(1, 8))
    report = log.verify()
    assert report.intact and report.records == 7 and report.signed_size == 7, report.problems


def test_a_failing_request_in_a_batch_fails_alone(log):
    entered = threading.Event()
    results: dict[str, object] = {}

    def hold(uow):
        entered.set()
        wait_for(lambda: log.log._queue.qsize() == 2)

    def boom(uow):
        raise RuntimeError("this request's own write failed")

    def run(name, work):
        try:
            results[name] = log.log.append([log.record(len(results) + 1)], work)
        except RuntimeError as exc:
            results[name] = exc

    threads = [threading.Thread(target=run, args=("hold", hold))]
    threads[0].start()
    wait_for(entered.is_set)
    threads += [
        threading.Thread(target=run, args=("bad", boom)),
        threading.Thread(target=run, args=("good", None)),
    ]
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(30)
    assert isinstance(results["bad"], RuntimeError)
    assert isinstance(results["good"], list) and len(results["good"]) == 1
    report = log.verify()
    assert report.intact and report.records == 2


def test_a_batch_on_the_head_its_writer_left_is_written_in_two_statements_on_postgresql(log):
    """The head's move and its signed checkpoint are one statement on PostgreSQL, the records
    the other (issue #16: a round trip fewer per batch); a writer whose head another writer
    moved meanwhile writes no checkpoint with the move that did not happen, and the log stays
    one signed tree."""
    from zorgtafel.testing.statements import statements

    with log.uow_factory() as uow:
        first = store.append_batch(
            uow.session, log.t, [log.record(1)], signer=log.signer, log_id=LOG_ID, now=NOW
        )
        uow.commit()
    with log.uow_factory() as uow, statements() as sent:
        second = store.append_batch(
            uow.session,
            log.t,
            [log.record(2)],
            signer=log.signer,
            log_id=LOG_ID,
            now=NOW,
            known=first.head,
        )
        uow.commit()
    assert (first.seqs, second.seqs) == ([1], [2])
    assert len(sent) == (2 if log.url else 3), sent
    with log.uow_factory() as uow:  # a hint another writer has moved on from since
        stale = store.append_batch(
            uow.session,
            log.t,
            [log.record(3)],
            signer=log.signer,
            log_id=LOG_ID,
            now=NOW,
            known=first.head,
        )
        uow.commit()
    assert stale.seqs == [3]
    report = log.verify()
    assert report.intact and report.records == 3 and report.signed_size == 3, report.problems
    with log.engine.connect() as conn:
        sizes = conn.execute(select(log.t.checkpoints.c.size)).scalars().all()
    assert sorted(sizes) == [1, 2, 3]
