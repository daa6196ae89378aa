"""Valid requests, mutated: the requests of one whole case (the ``zorgtafel demo`` story, as
partner systems send them) are recorded, then each is sent again with one field changed to a
value at or past the edge of what it may hold — a timestamp in year 1 or 9999, JSON nested
thousands deep, an unknown enum number, a list far too long, a message cleared, hostile text —
and concurrently with one request id. Every answer must be a clear status naming the caller's
mistake or the state: never INTERNAL or UNKNOWN, never the input echoed back. Unlike random
messages (tests/e2e/test_hostile_input.py), mutated valid requests pass the first checks and
reach the handlers, the stores and the policies."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import grpc
import pytest

from tests.mutants import BAD, SERVICES_TOUCH_RANDOM, Recorder, field_paths, replayer, send
from zorgtafel.demo import Story
from zorgtafel.kernel.config import SERVICES
from zorgtafel.testing import Keys, running_service, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration, SERVICES_TOUCH_RANDOM]


class RecordingStory(Story):
    recorder: Recorder

    def __post_init__(self) -> None:
        self.recorder = Recorder()
        super().__post_init__()

    def channel(self, address: str) -> grpc.Channel:
        return grpc.intercept_channel(grpc.insecure_channel(address), self.recorder.at(address))


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """The four services in this process on a broker of their own (governance seeds every
    party as registered: on the shared broker that would overwrite other modules' facts)."""
    from sqlalchemy import func, select

    from services.governance.adapters.seed import covenant_parties
    from zorgtafel.kernel.broker import LocalBroker, free_port

    data_dir = tmp_path_factory.mktemp("mutants")
    Keys(data_dir)
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    apps = {}
    stack = []
    try:
        for service in ("governance", "intake", "disclosure", "casework"):
            extra = {}
            if service == "intake":
                # The replays nominate the story's subject hundreds of times: the probing limit
                # (issue #13) would rightly stop the second story; it is not what this tests.
                extra = {"intake_probe_limit": 100_000, "intake_probe_party_limit": 100_000}
            if service == "casework":
                extra = {
                    "disclosure_address": f"127.0.0.1:{apps['disclosure'].grpc_port}",
                    "casework_retention_days": 0,
                }
            cm = running_service(service, data_dir, broker.bootstrap, **extra)
            apps[service] = cm.__enter__()
            stack.append(cm)
        parties = len(covenant_parties())

        def projected(app) -> bool:  # noqa: ANN001 - a running App
            table = app.definition.tables["party_directory"]
            with app.engine.connect() as conn:
                return conn.execute(select(func.count()).select_from(table)).scalar_one() >= parties

        for service in ("intake", "casework", "disclosure"):
            wait_for(lambda s=service: projected(apps[s]), timeout=120)
        yield apps, data_dir
    finally:
        for cm in reversed(stack):
            cm.__exit__(None, None, None)
        broker.stop()


def test_mutated_valid_requests_of_one_whole_case_never_answer_internal(suite):
    apps, data_dir = suite
    endpoints = {s: f"127.0.0.1:{apps[s].grpc_port}" for s in SERVICES}
    story = RecordingStory(
        endpoints, (data_dir / "dev-keys" / "jwt-private.pem").read_bytes(), out=lambda _line: None
    )
    story.run()
    assert not story.failures, story.failures
    recorded = story.recorder.calls
    methods = sorted({r.method for r in recorded})
    assert len(methods) >= 20, methods

    outcomes: Counter = Counter()
    internal: list[str] = []
    for rec in {r.method: r for r in recorded}.values():  # one request of each RPC
        if not field_paths(rec.request.DESCRIPTOR):
            continue

        replayer(apps, rec, outcomes, internal)()
    print(
        f"\nmutated requests of {len(methods)} RPCs: {dict(outcomes)}; "
        f"{len(internal)} INTERNAL/UNKNOWN"
    )
    assert not internal, internal


def test_concurrent_copies_of_one_request_give_one_answer_and_no_internal(suite):
    """Every recorded command (it carries a request_id) sent four times at once with one new
    request id: the same status for every copy, and never INTERNAL."""
    apps, data_dir = suite
    endpoints = {s: f"127.0.0.1:{apps[s].grpc_port}" for s in SERVICES}
    story = RecordingStory(
        endpoints, (data_dir / "dev-keys" / "jwt-private.pem").read_bytes(), out=lambda _line: None
    )
    story.run()
    assert not story.failures, story.failures
    commands = [
        r
        for r in {r.method: r for r in story.recorder.calls}.values()
        if "request_id" in r.request.DESCRIPTOR.fields_by_name
    ]
    assert len(commands) >= 10
    for rec in commands:
        request = type(rec.request).FromString(rec.request.SerializeToString())
        request.request_id = f"dup-{uuid.uuid4()}"
        results: list = [None] * 4

        def one(i: int, request=request, rec=rec, results=results) -> None:
            results[i] = send(apps, rec, request)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        codes = {(e.code() if e is not None else grpc.StatusCode.OK) for e in results}
        assert not codes & BAD, (rec.method, [e.details() for e in results if e is not None])
        assert len(codes) == 1, (rec.method, codes)
