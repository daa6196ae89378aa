"""Open watches (``WatchCase`` with ``follow``) cannot take casework from its other callers.

A following stream holds one of the gRPC server's threads for as long as it is open. Before,
the streams shared the pool of ``ZORGTAFEL_GRPC_MAX_WORKERS`` (16) threads with every other
call, with no bound: one console's sixteen open case pages (its own bound) or a partner opening
sixteen watches left no thread for anyone, and every other call of every party waited. Now the
streams have threads of their own beside that pool, at most ``ZORGTAFEL_GRPC_MAX_STREAMS`` of
them at once, ``ZORGTAFEL_GRPC_MAX_STREAMS_PER_PARTY`` per party and
``ZORGTAFEL_GRPC_MAX_STREAMS_PER_PERSON`` per person (RESOURCE_EXHAUSTED with the time to wait
beyond), and a stream ends when its token does (UNAUTHENTICATED: call again with a fresh one)
or after ``MAX_STREAM_S`` (the client resumes with ``after_sequence``)."""

from __future__ import annotations

import threading

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status

from tests.integration.casework.conftest import (
    ACTIVE,
    DIRECTOR_PERSON,
    LUMENS,
    SHELTER,
    SOCIOM,
    Env,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.testing import service_env, wait_for

pytestmark = pytest.mark.integration


def follow(env, case_id: str, md: tuple) -> tuple[grpc.Call, threading.Event, list]:
    """A following stream, read on a thread of its own; ``opened`` is set once the service
    answered (its first message, or its refusal)."""
    stream = env.stub.WatchCase(pb.WatchCaseRequest(case_id=case_id, follow=True), metadata=md)
    opened, outcome = threading.Event(), []

    def pump() -> None:
        try:
            for _ in stream:
                opened.set()
        except grpc.RpcError as err:
            outcome.append(err)
        finally:
            opened.set()

    threading.Thread(target=pump, daemon=True).start()
    return stream, opened, outcome


TOTAL, PER_PERSON = 24, 16  # more streams than the service has threads for its calls (16)


@pytest.fixture(scope="module")
def env(broker, tmp_path_factory):
    """A casework of this module's own, with its bounds on streams set low enough to reach."""
    with service_env(
        "casework",
        Env,
        broker.bootstrap,
        tmp_path_factory.mktemp("casework-streams"),
        capture_logs=True,
        grpc_max_streams=TOTAL,
        grpc_max_streams_per_person=PER_PERSON,
        grpc_max_streams_per_party=TOTAL,  # the party's share: tests/unit/test_stream_bounds.py
    ) as e:
        e.register_parties(ACTIVE, (SOCIOM,))
        e.appoint(LUMENS, DIRECTOR_PERSON)
        yield e


def turned_away(streams: list) -> list[grpc.RpcError]:
    errors = [outcome[0] for _, _, outcome in streams if outcome]
    for err in errors:
        assert err.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, err
        retry = error_details_pb2.RetryInfo()
        details = rpc_status.from_call(err).details
        assert any(d.Unpack(retry) for d in details) and retry.retry_delay.seconds > 0
    return errors


def test_open_watches_leave_the_service_to_its_other_callers(env):
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id, invitees=(SHELTER,))
    env.roles(case_id, meeting_id, {SHELTER: ("shelter", ["case_meetings"])})
    director, delegate = [], []
    try:
        for _ in range(PER_PERSON + 1):
            director.append(follow(env, case_id, env.director()))
        for _, opened, _ in director:
            assert opened.wait(30), "a watch got no answer at all: the service's threads ran out"
        (share,) = turned_away(director)
        assert "this person's share" in share.details()

        for _ in range(TOTAL - PER_PERSON + 2):
            delegate.append(follow(env, case_id, env.md(SHELTER)))
        for _, opened, _ in delegate:
            assert opened.wait(30), "a watch got no answer at all: the service's threads ran out"
        full = turned_away(delegate)
        assert len(full) == 2 and all("all of this service's" in e.details() for e in full)

        # All the streams the service allows are open: its other callers are still answered.
        reply = env.stub.GetCase(
            pb.GetCaseRequest(case_id=case_id), metadata=env.director(), timeout=10
        )
        assert reply.case.case_id == case_id
    finally:
        for stream, _, _ in director + delegate:
            stream.cancel()

    # Cancelled streams give their slots back: the director's full share opens again.
    def share_opens() -> bool:
        again = [follow(env, case_id, env.director()) for _ in range(PER_PERSON)]
        try:
            for _, opened, _ in again:
                opened.wait(30)
            return not any(outcome for _, _, outcome in again)
        finally:
            for stream, _, _ in again:
                stream.cancel()

    wait_for(share_opens, timeout=30, interval=0.5)


def test_a_watch_ends_when_the_token_it_was_opened_with_expires(env):
    case_id = env.open_case()
    short = env.keys.token(LUMENS, "process_director", DIRECTOR_PERSON, ttl_s=3)
    stream, opened, outcome = follow(env, case_id, (("authorization", f"Bearer {short}"),))
    try:
        assert opened.wait(30)
        # Nothing new happens in the case: the stream ends by itself, idle, once the token has.
        wait_for(lambda: outcome, timeout=30)
        assert outcome[0].code() == grpc.StatusCode.UNAUTHENTICATED
        assert "expired" in (outcome[0].details() or "")
    finally:
        stream.cancel()
