"""The access log (NEN 7513, Logboek Dataverwerkingen; ARCHITECTURE.md): every decision is
logged before anything is released, hash-chained so that a changed or removed record is
detected (VerifyLog and ``zorgtafel verify-log``), never forked by concurrent writers, and
never holding content. Queries per subject, per provider and per party."""

from __future__ import annotations

import json
import threading
import uuid

import grpc
import pytest
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import delete, insert, select, text, update

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

pytestmark = pytest.mark.integration

AUDITOR = (GGZ, "auditor")


def verify(env) -> pb.VerifyLogResponse:
    return env.stub.VerifyLog(pb.VerifyLogRequest(), metadata=env.md(*AUDITOR))


def verify_cli(env, capsys) -> tuple[int, dict]:
    settings = env.app.settings
    args = ["verify-log", "--service-db", settings.effective_database_url]
    if settings.effective_schema:
        args += ["--schema", settings.effective_schema]
    capsys.readouterr()
    code = cli_main(args)
    return code, json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def _some_decisions(env, n: int = 3) -> list[str]:
    case_id, _ = env.open_case()
    item = provide(env, case_id)
    return [request(env, CELLO, [item]).items[0].decision_id for _ in range(n)]


# --- tamper evidence ------------------------------------------------------------------------------


def test_an_altered_log_record_is_detected_by_verify_log_and_the_cli(env, capsys):
    _some_decisions(env)
    assert verify(env).intact
    log = env.tables["access_log"]
    victim = env.log_rows()[-2]
    with env.app.engine.begin() as conn:
        conn.execute(
            update(log).where(log.c.seq == victim.seq).values(result="allowed", party=FARENT)
        )
    try:
        report = verify(env)
        assert not report.intact and report.first_bad_seq == victim.seq
        assert any("altered" in p for p in report.problems)
        code, out = verify_cli(env, capsys)
        assert code == 1 and out["first_bad_seq"] == victim.seq
    finally:
        with env.app.engine.begin() as conn:
            conn.execute(
                update(log)
                .where(log.c.seq == victim.seq)
                .values(result=victim.result, party=victim.party)
            )
    assert verify(env).intact
    assert verify_cli(env, capsys) == (
        0,
        {"intact": True, "records": len(env.log_rows()), "first_bad_seq": 0, "problems": []},
    )


def test_a_removed_log_record_is_detected_in_the_middle_and_at_the_end(env, capsys):
    _some_decisions(env)
    log = env.tables["access_log"]
    rows = env.log_rows()
    for victim in (rows[-2], rows[-1]):
        with env.app.engine.begin() as conn:
            conn.execute(delete(log).where(log.c.seq == victim.seq))
        try:
            report = verify(env)
            assert not report.intact
            assert report.first_bad_seq == victim.seq
            assert verify_cli(env, capsys)[0] == 1
        finally:
            with env.app.engine.begin() as conn:
                conn.execute(insert(log).values(**victim._mapping))
        assert verify(env).intact


def test_concurrent_decisions_never_fork_the_chain(env):
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
    assert len({r.prev_hash for r in rows}) == len(rows)  # no two records share a parent
    assert verify(env).intact


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
        with pytest.raises(grpc.RpcError) as err:
            request(env, CELLO, [item])
        assert err.value.code() == grpc.StatusCode.UNAVAILABLE
        assert "log before release" in err.value.details()
        assert marker not in err.value.details()
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
    # Oversight sees what concerns its own party: FARENT's officer its own people's attempt.
    farent = env.stub.AccessLog(
        pb.AccessLogRequest(subject_pseudonym=pseudonym), metadata=env.md(FARENT, "auditor")
    ).entries
    assert [(e.decision_id, e.party) for e in farent] == [(info["decision_id"], FARENT)]
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
    code, _ = denial(lambda: request(env, CELLO, [item]))
    assert code == grpc.StatusCode.NOT_FOUND
    reviews = env.stub.ListReviews(
        pb.ListReviewsRequest(case_id=case_id), metadata=env.md(GGZ, "privacy_officer")
    ).reviews
    assert [r.justification for r in reviews] == ["[erased]"]
