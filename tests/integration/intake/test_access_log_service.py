"""Every service serves its own access log (``zorgtafel.accesslog.v1.AccessLogService``, issue
#15), here intake's over real gRPC on SQLite and PostgreSQL: the nominating party's privacy
officer lists the looks at its nomination's subject (reading the log is logged too); another
party's privacy officer and a worker are refused; the newest checkpoint verifies with the
public key alone and VerifyLog finds the log intact."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.intake.conftest import ASTEN, FARENT, POLICE
from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as al
from zorgtafel.generated.accesslog.v1 import accesslog_pb2_grpc as al_grpc
from zorgtafel.kernel.accesslog import merkle
from zorgtafel.kernel.accesslog.checkpoint import Checkpoint, PublicKey
from zorgtafel.testing.services import channel

pytestmark = pytest.mark.integration


@pytest.fixture
def logs(env) -> al_grpc.AccessLogServiceStub:
    return al_grpc.AccessLogServiceStub(channel(env.app))


def officer(env, party: str = ASTEN, person: str = "fg-1") -> tuple:
    return env.md(party, "privacy_officer", person=person)


def test_the_nominating_partys_privacy_officer_lists_the_looks_at_its_subject(env, logs):
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)  # the process director reads the nomination
    reply = logs.ListAccess(
        al.ListAccessRequest(subject_pseudonym=pseudonym), metadata=officer(env)
    )
    assert reply.service == "intake"
    assert reply.entries, "the process director's read of the nomination is not listed"
    assert {e.subject_pseudonym for e in reply.entries} == {pseudonym}
    assert all(e.case_id == case_id and e.provider == ASTEN for e in reply.entries)
    assert {e.rpc for e in reply.entries} >= {"GetNomination"}

    # Reading the log is a look too: the next listing shows the officer's own ListAccess.
    again = logs.ListAccess(
        al.ListAccessRequest(subject_pseudonym=pseudonym), metadata=officer(env)
    )
    mine = [e for e in again.entries if e.rpc == "ListAccess"]
    assert mine and mine[0].person == "fg-1" and mine[0].result == "allowed"


def test_another_partys_privacy_officer_and_a_worker_are_refused_and_logged(env, logs):
    case_id = env.in_triage(asked=(POLICE,))
    pseudonym = env.pseudonym(case_id)
    request = al.ListAccessRequest(subject_pseudonym=pseudonym)
    with pytest.raises(grpc.RpcError) as other:
        logs.ListAccess(request, metadata=officer(env, FARENT, "fg-farent"))
    assert other.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.RpcError) as worker:
        logs.ListAccess(request, metadata=env.md(ASTEN, "caseworker", person="cw-1"))
    assert worker.value.code() == grpc.StatusCode.PERMISSION_DENIED
    listed = logs.ListAccess(request, metadata=officer(env)).entries
    denied = {(e.party, e.rpc) for e in listed if e.result == "denied"}
    # The other officer's refused attempt concerns its own party, not the nominating one:
    # what the nominating party's officer sees of it is nothing; the log still holds it.
    assert (FARENT, "ListAccess") not in denied
    farent = logs.ListAccess(al.ListAccessRequest(party=FARENT), metadata=officer(env, FARENT))
    assert any(e.rpc == "ListAccess" and e.result == "denied" for e in farent.entries)


def test_a_filter_is_required_and_checked(env, logs):
    for request, field in (
        (al.ListAccessRequest(), "filter"),
        (al.ListAccessRequest(subject_pseudonym="not a pseudonym!"), "subject_pseudonym"),
        (al.ListAccessRequest(party="123"), "party"),
        (al.ListAccessRequest(case_id="x" * 65), "case_id"),
    ):
        with pytest.raises(grpc.RpcError) as err:
            logs.ListAccess(request, metadata=officer(env))
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field in (err.value.details() or "")


def test_the_newest_checkpoint_verifies_with_the_public_key_alone_and_the_log_is_intact(env, logs):
    env.pseudonym(env.in_triage(asked=(POLICE,)))  # at least one record
    md = officer(env)
    result = logs.VerifyLog(al.VerifyLogRequest(), metadata=md)
    assert result.service == "intake" and result.report.intact, list(result.report.problems)
    assert result.report.records >= 1
    cp = logs.GetCheckpoint(al.GetCheckpointRequest(), metadata=md).checkpoint
    assert cp.log_id == "zorgtafel.intake.accesslog" and cp.size >= 1
    key = PublicKey.from_file(env.app.settings.data_dir / "dev-keys" / "intake-log-signing.pub")
    signed = Checkpoint(cp.log_id, cp.size, cp.root, cp.signed_at, cp.key_id, cp.signature)
    assert key.verifies(signed)
    forged = Checkpoint(
        cp.log_id, cp.size, merkle.leaf_hash(b"forged"), cp.signed_at, cp.key_id, cp.signature
    )
    assert not key.verifies(forged)
    # A checkpoint held elsewhere that contradicts the log is reported.
    contradicting = al.VerifyLogRequest(trusted=[cp])
    contradicting.trusted[0].root = merkle.leaf_hash(b"another history")
    assert not logs.VerifyLog(contradicting, metadata=md).report.intact


def test_a_malformed_trusted_checkpoint_is_reported_not_an_internal_error(env, logs):
    bad = al.VerifyLogRequest()
    cp = bad.trusted.add()
    cp.log_id, cp.size, cp.root, cp.signature = "zorgtafel.intake.accesslog", 10**12, b"x", b"y"
    try:
        result = logs.VerifyLog(bad, metadata=officer(env))
    except grpc.RpcError as err:  # refused as the caller's mistake is fine, INTERNAL is not
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT, err.details()
    else:
        assert not result.report.intact  # a checkpoint that does not verify vouches for nothing
