"""The access log (NEN 7513, Logboek Dataverwerkingen; ARCHITECTURE.md, issue #15): every
decision is logged before anything is released, in a Merkle tree whose heads are signed with a
key the database does not hold, so that an edited, deleted, inserted or reordered record, or a
cut-off tail, is named by VerifyLog and ``zorgtafel verify-log`` even after an attacker
recomputed every hash; a party proves a read of its own with the public key alone; concurrent
writers share commits and never fork the tree; a request id is answered once and logged once;
never holding content. Queries per subject, per provider, per party and per decision."""

from __future__ import annotations

import json
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import grpc
import pytest
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import delete, insert, select, text, update
from structlog.testing import capture_logs

from tests.integration.disclosure.conftest import (
    ASTEN,
    CELLO,
    FARENT,
    GGZ,
    denial,
    provide,
    reasons_of,
    request,
    terms,
    wait_for,
)
from zorgtafel.cli import main as cli_main
from zorgtafel.contracts import events as ev
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.accesslog import merkle
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey
from zorgtafel.kernel.accesslog.records import ROW_FIELDS, leaf_of_values
from zorgtafel.testing.cli import printed_json

pytestmark = pytest.mark.integration

AUDITOR = (GGZ, "auditor")


def verify(env, trusted=()) -> pb.VerifyLogResponse:
    return env.stub.VerifyLog(pb.VerifyLogRequest(trusted=trusted), metadata=env.md(*AUDITOR))


def public_key(env) -> Path:
    return env.app.settings.data_dir / "dev-keys" / "disclosure-log-signing.pub"


def verify_cli(env, capsys, *extra: str) -> tuple[int, dict]:
    settings = env.app.settings
    args = ["verify-log", "--service-db", settings.effective_database_url]
    if settings.effective_schema:
        args += ["--schema", settings.effective_schema]
    args += ["--public-key", str(public_key(env)), *extra]
    capsys.readouterr()
    code = cli_main(args)
    report = printed_json(capsys.readouterr().out, lambda v: isinstance(v, dict) and "intact" in v)
    return code, report


def _some_decisions(env, n: int = 3) -> list[str]:
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    return [request(env, CELLO, [item]).items[0].decision_id for _ in range(n)]


LOG_TABLES = ("access_log", "access_log_head", "access_log_checkpoints")


@contextmanager
def tampering(env):
    """The attacker's changes are undone afterwards: the package shares one service."""
    with env.app.engine.connect() as conn:
        saved = {
            n: [dict(r._mapping) for r in conn.execute(select(env.tables[n]))] for n in LOG_TABLES
        }
    try:
        yield
    finally:
        with env.app.engine.begin() as conn:
            for name in LOG_TABLES:
                conn.execute(delete(env.tables[name]))
                if saved[name]:
                    conn.execute(insert(env.tables[name]), saved[name])


def rows_of(env) -> list[tuple]:
    t = env.tables["access_log"]
    with env.app.engine.connect() as conn:
        return [
            tuple(r) for r in conn.execute(select(*[t.c[n] for n in ROW_FIELDS]).order_by(t.c.seq))
        ]


def rewrite(env, rows: list[tuple], *, checkpoints: bool = True) -> None:
    """What a database administrator can do with this repository's code but without the
    signing key: replace the records, renumber them, and recompute the tree's head and every
    stored checkpoint's root and leaf batch."""
    log, head, cps = (env.tables[n] for n in LOG_TABLES)
    rows = [(i + 1, *r[1:]) for i, r in enumerate(rows)]
    hashes = [merkle.leaf_hash(leaf_of_values(r)) for r in rows]
    acc = merkle.CompactRange()
    acc.extend(hashes)
    with env.app.engine.begin() as conn:
        conn.execute(delete(log))
        conn.execute(insert(log), [dict(zip(ROW_FIELDS, r, strict=True)) for r in rows])
        conn.execute(
            update(head).values(
                size=acc.size,
                frontier=",".join(h.hex() for h in acc.hashes),
                root=acc.root().hex(),
            )
        )
        if checkpoints:
            prev = 0
            for (size,) in conn.execute(select(cps.c.size).order_by(cps.c.size)).all():
                conn.execute(
                    update(cps)
                    .where(cps.c.size == size)
                    .values(
                        root=merkle.root_of(hashes[:size]).hex(), batch=b"".join(hashes[prev:size])
                    )
                )
                prev = size


# --- tamper evidence ------------------------------------------------------------------------------


def test_an_edited_record_is_named_by_verify_log_and_the_cli_even_with_every_hash_recomputed(
    env, capsys
):
    _some_decisions(env)
    assert verify(env).intact
    rows = rows_of(env)
    victim = len(rows) - 1
    edited = dict(zip(ROW_FIELDS, rows[victim - 1], strict=True), result="allowed", party=FARENT)
    with tampering(env):
        rewrite(env, rows[: victim - 1] + [tuple(edited.values())] + rows[victim:])
        report = verify(env)
        assert not report.intact and report.first_bad_seq == victim, report.problems
        code, out = verify_cli(env, capsys)
        assert code == 1 and out["first_bad_seq"] == victim
    assert verify(env).intact
    code, out = verify_cli(env, capsys)
    assert code == 0 and out["intact"] and out["records"] == len(env.log_rows())
    assert out["problems"] == [] and out["unsigned_records"] == 0


def _delete(rows, at):
    return rows[: at - 1] + rows[at:]


def _insert(rows, at):
    forged = dict(zip(ROW_FIELDS, rows[at - 1], strict=True), person="someone-else")
    return rows[: at - 1] + [tuple(forged.values())] + rows[at - 1 :]


def _reorder(rows, at):
    return rows[: at - 1] + [rows[at], rows[at - 1]] + rows[at + 1 :]


@pytest.mark.parametrize("tamper", [_delete, _insert, _reorder])
def test_a_deleted_inserted_or_reordered_record_is_named_even_with_every_hash_recomputed(
    env, tamper
):
    _some_decisions(env)
    rows = rows_of(env)
    at = len(rows) - 2
    with tampering(env):
        rewrite(env, tamper(rows, at))
        report = verify(env)
        assert not report.intact and report.first_bad_seq == at, report.problems
    assert verify(env).intact


def test_a_tail_cut_off_with_its_checkpoints_is_caught_by_a_checkpoint_held_elsewhere(
    env, capsys, tmp_path
):
    _some_decisions(env)
    held = verify(env).latest  # what governance keeps (published on Kafka)
    assert held.size == len(env.log_rows())
    rows = rows_of(env)
    with tampering(env):
        cps = env.tables["access_log_checkpoints"]
        with env.app.engine.begin() as conn:
            conn.execute(delete(cps).where(cps.c.size > len(rows) - 2))
        rewrite(env, rows[:-2], checkpoints=False)
        report = verify(env, trusted=[held])
        assert not report.intact and report.first_bad_seq == len(rows) - 1, report.problems
        published = tmp_path / "checkpoint.json"
        published.write_text(
            json.dumps(
                {
                    "log_id": held.log_id,
                    "size": held.size,
                    "root": held.root.hex(),
                    "signed_at": held.signed_at,
                    "key_id": held.key_id,
                    "signature": held.signature.hex(),
                }
            )
        )
        code, out = verify_cli(env, capsys, "--checkpoint", str(published))
        assert code == 1 and out["first_bad_seq"] == len(rows) - 1
    assert verify(env, trusted=[held]).intact


def test_a_forged_checkpoint_does_not_vouch_for_the_log(env):
    _some_decisions(env, 1)
    held = verify(env).latest
    forged = pb.SignedCheckpoint()
    forged.CopyFrom(held)
    forged.size += 5
    report = verify(env, trusted=[forged])
    assert not report.intact and any("not signed" in p for p in report.problems)


def test_checkpoints_are_published_on_the_outbox_and_verify_with_the_public_key_alone(env):
    _some_decisions(env, 1)
    key = PublicKey.from_file(public_key(env))
    published = [json.loads(r.data) for r in env.outbox() if r.type == ev.ACCESS_LOG_CHECKPOINTED]
    assert published
    for data in published:
        cp = Checkpoint(
            data["log_id"],
            data["size"],
            bytes.fromhex(data["root"]),
            data["signed_at"],
            data["key_id"],
            bytes.fromhex(data["signature"]),
        )
        assert key.verifies(cp)


def test_an_inclusion_proof_of_a_read_verifies_with_the_public_key_alone(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    decision = request(env, CELLO, [item]).items[0].decision_id
    entries = env.stub.AccessLog(
        pb.AccessLogRequest(decision_id=decision, include_proof=True),
        metadata=env.md(CELLO, "privacy_officer"),
    ).entries
    assert [(e.decision_id, e.party, e.recipient) for e in entries] == [(decision, CELLO, CELLO)]
    proof = entries[0].proof
    key = PublicKey.from_file(public_key(env))  # what the party holds: the public key, no more

    def holds(leaf: bytes, index: int, cp: pb.SignedCheckpoint) -> bool:
        checkpoint = Checkpoint(cp.log_id, cp.size, cp.root, cp.signed_at, cp.key_id, cp.signature)
        return key.verifies(checkpoint) and merkle.verify_inclusion(
            merkle.leaf_hash(leaf), index, cp.size, list(proof.audit_path), cp.root
        )

    assert decision.encode() in proof.leaf and proof.leaf_index == entries[0].seq - 1
    assert holds(proof.leaf, proof.leaf_index, proof.checkpoint)
    forged_leaf = proof.leaf.replace(CELLO.encode(), FARENT.encode())
    assert not holds(forged_leaf, proof.leaf_index, proof.checkpoint)
    forged_cp = pb.SignedCheckpoint()
    forged_cp.CopyFrom(proof.checkpoint)
    forged_cp.root = bytes(32)
    assert not holds(proof.leaf, proof.leaf_index, forged_cp)


def test_another_partys_privacy_officer_gets_no_record_and_no_proof_of_a_read(env):
    """The inclusion proof carries the record's leaf: only the controller's oversight sees it.
    A party outside the case and the read (FARENT), whose privacy officer names the decision id,
    is refused without learning whose read it was; a caseworker of the reading party gets no proof either."""
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    decision = request(env, CELLO, [item]).items[0].decision_id
    asked = pb.AccessLogRequest(decision_id=decision, include_proof=True)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.AccessLog(asked, metadata=env.md(FARENT, "privacy_officer"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert "own party as controller" in err.value.details() and CELLO not in err.value.details()
    with pytest.raises(grpc.RpcError) as err:
        env.stub.AccessLog(asked, metadata=env.md(CELLO, "caseworker"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_concurrent_decisions_share_commits_and_never_fork_the_tree(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    before = len(env.log_rows())
    errors: list[BaseException] = []

    def worker():
        try:
            for _ in range(3):
                request(env, CELLO, [item])
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    rows = env.log_rows()
    assert len(rows) == before + 24
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    report = verify(env)
    assert report.intact and report.unsigned_records == 0


# --- idempotent requests -------------------------------------------------------------------------


def _ask(env, item, request_id, person="person-1", party=CELLO):
    return env.stub.RequestDisclosure(
        pb.RequestDisclosureRequest(
            item_ids=[item],
            purpose="care_coordination",
            action=pb.DISCLOSURE_ACTION_READ,
            request_id=request_id,
        ),
        metadata=env.md(party, "caseworker", person),
    )


def test_a_repeated_request_id_is_decided_again_and_logged_again(env):
    """No release without a decision on the current facts and its log record: a repeat gets
    the same content under a new decision, each decision logged once with its event."""
    case_id, _ = env.open_case()
    item = provide(
        env,
        case_id,
        content=json.dumps({"note": "weekly", "diag": "x"}).encode(),
        usage=terms(summary_only_fields=["diag"]),
        summaries={"diag": "summary"},
    )
    request_id = f"req-{uuid.uuid4().hex}"
    first = _ask(env, item, request_id)
    again = _ask(env, item, request_id)
    assert again.items[0].content == first.items[0].content
    assert first.items[0].redacted_fields == again.items[0].redacted_fields == ["diag"]
    decisions = [first.items[0].decision_id, again.items[0].decision_id]
    assert decisions[0] != decisions[1]
    logged = [r.decision_id for r in env.log_rows()]
    outbox = [r for r in env.outbox() if r.type == ev.DISCLOSURE_DECIDED]
    for decision in decisions:
        assert logged.count(decision) == 1
        assert len([r for r in outbox if decision in r.data]) == 1


def test_a_repeated_denied_request_id_is_denied_again_by_a_logged_decision(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    request_id = f"req-{uuid.uuid4().hex}"
    code, first = denial(lambda: _ask(env, item, request_id, party=FARENT))
    code_again, again = denial(lambda: _ask(env, item, request_id, party=FARENT))
    assert code == code_again == grpc.StatusCode.PERMISSION_DENIED
    assert first["decision_id"] != again["decision_id"]
    logged = [r.decision_id for r in env.log_rows()]
    assert logged.count(first["decision_id"]) == logged.count(again["decision_id"]) == 1


def test_a_colleague_replaying_a_request_id_is_refused_not_answered(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    request_id = f"req-{uuid.uuid4().hex}"
    _ask(env, item, request_id)
    logged = len(env.log_rows())
    with pytest.raises(grpc.RpcError) as err:
        _ask(env, item, request_id, person="colleague-7")
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "request_id" in err.value.details()
    assert len(env.log_rows()) == logged


# --- log before release ---------------------------------------------------------------------------


def test_when_the_log_cannot_be_written_nothing_is_released(env):
    marker = f"MARKER-{uuid.uuid4().hex}"
    case_id, _ = env.open_case()
    item = provide(env, case_id, content=json.dumps({"note": marker}).encode())
    decided_before = sum(1 for r in env.outbox() if r.type == ev.DISCLOSURE_DECIDED)
    schema = env.app.settings.effective_schema
    name = f'"{schema}".access_log' if schema else "access_log"
    with env.app.engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {name} RENAME TO access_log_gone"))
    try:
        with pytest.raises(grpc.RpcError) as err, capture_logs() as logged:
            request(env, CELLO, [item])
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "log before release" in err.value.details()
        assert marker not in err.value.details()
        # The line says what the database refused, by its own error's class and code (a
        # ProgrammingError alone does not tell a missing table from a value it cannot store),
        # never by its message, which may quote a value.
        (failed,) = [e for e in logged if e["event"] == "access_log_write_failed"]
        if env.app.engine.dialect.name == "postgresql":
            assert (failed["db_error"], failed["sqlstate"]) == ("UndefinedTable", "42P01")
        else:
            assert (failed["db_error"], failed["sqlstate"]) == ("OperationalError", "SQLITE_ERROR")
        assert not any(m in json.dumps(failed) for m in ("does not exist", "no such table"))
    finally:
        gone = f'"{schema}".access_log_gone' if schema else "access_log_gone"
        with env.app.engine.begin() as conn:
            conn.execute(text(f"ALTER TABLE {gone} RENAME TO access_log"))
    assert sum(1 for r in env.outbox() if r.type == ev.DISCLOSURE_DECIDED) == decided_before
    assert json.loads(request(env, CELLO, [item]).items[0].content) == {"note": marker}
    assert verify(env).intact


# --- never content --------------------------------------------------------------------------------


def test_content_never_appears_in_logs_events_errors_or_the_database(env, broker, capfd):
    marker = f"MARKER-{uuid.uuid4().hex}"
    secret_reason = f"JUSTIFY-{uuid.uuid4().hex}"
    case_id, _ = env.open_case(age_band="16_plus")
    item = provide(
        env,
        case_id,
        content=json.dumps({"note": marker, "diag": marker}).encode(),
        usage=terms(summary_only_fields=["diag"]),
        summaries={"diag": "summary"},
    )
    consent_item = provide(
        env,
        case_id,
        legal_basis=pb.LEGAL_BASIS_CONSENT,
        content=json.dumps({"note": marker}).encode(),
    )
    assert marker in request(env, CELLO, [item]).items[0].content.decode()
    code, info = denial(lambda: request(env, FARENT, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as err:
        request(env, CELLO, [item], purpose="research")
    env.stub.BreakGlass(
        pb.BreakGlassRequest(
            item_ids=[consent_item],
            purpose="care_coordination",
            justification=secret_reason,
            consulted_colleague="person-9",
            client_informed="told in person",
            client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
        ),
        metadata=env.md(CELLO),
    )
    with pytest.raises(grpc.RpcError) as bad:
        provide(env, case_id, content=marker.encode(), content_type="application/json")
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    wait_for(lambda: env.app.relay.pending_count() == 0)

    haystacks = [err.value.details(), bad.value.details(), json.dumps(info)]
    haystacks += [err.value.debug_error_string(), bad.value.debug_error_string()]
    for row in env.outbox():
        haystacks.append(json.dumps({k: str(v) for k, v in row._mapping.items()}))
    for row in env.log_rows():
        haystacks.append(json.dumps({k: str(v) for k, v in row._mapping.items()}))
    items = env.tables["items"]
    with env.app.engine.connect() as conn:
        for row in conn.execute(select(items)).all():
            haystacks.append(repr(tuple(row)))  # ciphertexts: encrypted at rest
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap, consumer_timeout_ms=1000)
    try:
        topic = ev.TOPIC["disclosure"]
        consumer.assign([TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)])
        consumer.seek_to_beginning()
        for msg in consumer:
            haystacks.append(repr(msg.value) + repr(msg.headers))
    finally:
        consumer.close()
    captured = capfd.readouterr()
    assert "RequestDisclosure" in captured.out + captured.err  # the service's logs were captured
    haystacks += [captured.out, captured.err]
    assert len(haystacks) > 10
    for text_ in haystacks:
        assert marker not in text_
        assert secret_reason not in text_


# --- queries ----------------------------------------------------------------------------------------


def test_subject_sees_who_saw_what_through_the_privacy_officer(env):
    case_id, pseudonym = env.open_case()
    item = provide(env, case_id)
    seen = request(env, CELLO, [item]).items[0].decision_id
    _, info = denial(lambda: request(env, FARENT, [item]))
    entries = env.stub.AccessLog(
        pb.AccessLogRequest(subject_pseudonym=pseudonym), metadata=env.md(GGZ, "privacy_officer")
    ).entries
    assert {(e.decision_id, e.party, e.result) for e in entries} == {
        (seen, CELLO, "allowed"),
        (info["decision_id"], FARENT, "denied"),
    }
    # Oversight sees what concerns its own party: FARENT's officer its own people's attempt, in
    # the listing of its own party and without what the refusal withheld (whose item, which
    # subject, which case); asked by the subject, nothing there concerns FARENT: the match
    # itself would tell it the refused item was this subject's.
    code, _ = denial(
        lambda: env.stub.AccessLog(
            pb.AccessLogRequest(subject_pseudonym=pseudonym), metadata=env.md(FARENT, "auditor")
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    farent = env.stub.AccessLog(
        pb.AccessLogRequest(party=FARENT), metadata=env.md(FARENT, "auditor")
    ).entries
    (attempt,) = [e for e in farent if e.decision_id == info["decision_id"]]
    assert (attempt.party, attempt.result) == (FARENT, "denied")
    assert (attempt.subject_pseudonym, attempt.provider, attempt.case_id, attempt.resource) == (
        "",
        "",
        "",
        "",
    )
    code, info = denial(
        lambda: env.stub.AccessLog(
            pb.AccessLogRequest(subject_pseudonym=pseudonym), metadata=env.md(CELLO)
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED and "privacy_officer" in reasons_of(info)


def test_the_privacy_officer_of_a_party_not_concerned_reads_nothing_of_the_subjects_log(env):
    """Issue #13 point 2: ASTEN is involved in the case but neither provided nor received any
    of the subject's items; its privacy officer sees nothing of the log (Bijlage 3)."""
    case_id, pseudonym = env.open_case()
    request(env, CELLO, [provide(env, case_id)])
    code, info = denial(
        lambda: env.stub.AccessLog(
            pb.AccessLogRequest(subject_pseudonym=pseudonym),
            metadata=env.md(ASTEN, "privacy_officer"),
        )
    )
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "own party as controller" in reasons_of(info) and "Bijlage 3" in reasons_of(info)


def test_the_providers_privacy_officer_sees_who_used_its_information_and_its_workers_do_not(env):
    """Oversight is scoped to the controller (ADR 0005): the provider's privacy officer reads
    who used its items; a worker of the provider, with no part in the case, reads no log."""
    case_id, _ = env.open_case()
    item = provide(env, case_id, provider=CELLO)
    decision = request(env, GGZ, [item]).items[0].decision_id
    entries = env.stub.AccessLog(
        pb.AccessLogRequest(provider=CELLO), metadata=env.md(CELLO, "privacy_officer")
    ).entries
    assert decision in {e.decision_id for e in entries}
    assert all(e.provider == CELLO for e in entries)
    for md in (env.md(CELLO), env.md(GGZ)):  # workers: the provider's and the recipient's
        assert (
            denial(
                lambda md=md: env.stub.AccessLog(pb.AccessLogRequest(provider=CELLO), metadata=md)
            )[0]
            == grpc.StatusCode.PERMISSION_DENIED
        )
    own = env.stub.AccessLog(
        pb.AccessLogRequest(party=GGZ), metadata=env.md(GGZ, "privacy_officer")
    ).entries
    assert decision in {e.decision_id for e in own} and all(e.party == GGZ for e in own)


def test_log_records_carry_the_callers_trace_ids(env):
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    trace, span = uuid.uuid4().hex, uuid.uuid4().hex[:16]
    reply = request(env, CELLO, [item], extra_md=(("traceparent", f"00-{trace}-{span}-01"),))
    row = [r for r in env.log_rows() if r.decision_id == reply.items[0].decision_id][0]
    assert row.trace_id == trace and len(row.span_id) == 16


# --- purge (art. 1.2) -------------------------------------------------------------------------------


def test_purge_erases_items_consents_and_the_case_key_but_keeps_the_access_log(env):
    case_id, pseudonym = env.open_case(age_band="16_plus")
    item = provide(env, case_id, legal_basis=pb.LEGAL_BASIS_CONSENT)
    env.stub.BreakGlass(
        pb.BreakGlassRequest(
            item_ids=[item],
            purpose="care_coordination",
            justification="acute danger",
            consulted_colleague="person-9",
            client_informed="told in person",
            client_informed_status=pb.CLIENT_INFORMED_STATUS_INFORMED,
        ),
        metadata=env.md(CELLO),
    )
    logged = [r.seq for r in env.log_rows() if r.case_id == case_id]
    assert logged
    env.pub.publish("casework", ev.CASE_PURGED, case_id, {"case_id": case_id})
    t = env.tables

    def purged():
        with env.app.engine.connect() as conn:
            return all(
                conn.execute(select(t[name]).where(t[name].c.case_id == case_id)).first() is None
                for name in ("items", "consents", "case_facts", "case_keys")
            )

    wait_for(purged)
    assert [r.seq for r in env.log_rows() if r.case_id == case_id] == logged
    assert verify(env).intact
    # Gone: asked by its id alone, it is refused as an item of a case the reader has no part in
    # (no oracle of what exists or existed, art. 8.4c).
    code, info = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.PERMISSION_DENIED
    assert "has no part in the case" in reasons_of(info)
    reviews = env.stub.ListReviews(
        pb.ListReviewsRequest(case_id=case_id), metadata=env.md(GGZ, "privacy_officer")
    ).reviews
    assert [r.justification for r in reviews] == ["[erased]"]
