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
from dataclasses import dataclass, field

import grpc
import pytest
from google.protobuf import descriptor as d
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorgtafel.demo import Story
from zorgtafel.kernel.config import SERVICES
from zorgtafel.testing import Keys, running_service, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

BAD = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
MARKER = "ZZMUTANTZZ"
EXAMPLES_PER_REQUEST = 12

TIMESTAMP_EDGES = [-62135596800, -1, 0, 253402300799, 2**40]  # year 1 .. 9999 .. beyond
DEEP_JSON = [
    b"[" * 5000 + b"]" * 5000,
    b'{"a":' * 3000 + b"1" + b"}" * 3000,
    b"[" * 100_000,
    b"\xff\xfe\x00",
    b'{"Address": {"nested": [' + MARKER.encode() + b"]}}",
]
TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\n",
            "x\n",
            MARKER,
            "A" * 70_000,
            "\x00",
            "\u202e",
            "00000099000000000001",
            "../../etc/passwd",
            "'; --",
            "\ud7ff\U0010ffff",
            "null",
            "-1",
        ]
    ),
    st.text(max_size=30),
)


@dataclass
class Recorded:
    method: str
    request: Message
    metadata: tuple
    response_type: type


@dataclass
class Recorder(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    calls: list[Recorded] = field(default_factory=list)

    def _keep(self, details, request, continuation, response_type):  # noqa: ANN001
        self.calls.append(
            Recorded(
                details.method,
                type(request).FromString(request.SerializeToString()),
                tuple(details.metadata or ()),
                response_type,
            )
        )
        return continuation(details, request)

    def intercept_unary_unary(self, continuation, details, request):  # noqa: ANN001
        return self._keep(details, request, continuation, None)

    def intercept_unary_stream(self, continuation, details, request):  # noqa: ANN001
        return self._keep(details, request, continuation, "stream")


class RecordingStory(Story):
    recorder: Recorder

    def __post_init__(self) -> None:
        from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw
        from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as ds
        from zorgtafel.generated.intake.v1 import intake_pb2_grpc as ik

        self.recorder = Recorder()
        ch = {
            s: grpc.intercept_channel(grpc.insecure_channel(a), self.recorder)
            for s, a in self.endpoints.items()
        }
        self.intake = ik.IntakeServiceStub(ch["intake"])
        self.casework = cw.CaseworkServiceStub(ch["casework"])
        self.disclosure = ds.DisclosureServiceStub(ch["disclosure"])


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


def _field_paths(desc: d.Descriptor, prefix: tuple = (), depth: int = 0) -> list[tuple]:
    """Every field reachable in a message (nested messages to depth 3), as name paths."""
    out = []
    for f in desc.fields:
        if f.name == "request_id":
            continue
        path = (*prefix, f)
        out.append(path)
        if (
            f.type == d.FieldDescriptor.TYPE_MESSAGE
            and not f.is_repeated
            and depth < 3
            and f.message_type.full_name != "google.protobuf.Timestamp"
        ):
            out.extend(_field_paths(f.message_type, path, depth + 1))
    return out


def _value(f: d.FieldDescriptor):
    t = f.type
    if f.message_type is not None and f.message_type.full_name == "google.protobuf.Timestamp":
        return st.sampled_from(TIMESTAMP_EDGES).map(lambda s: ("timestamp", s))
    if t == d.FieldDescriptor.TYPE_STRING:
        return TEXT.map(lambda v: ("set", v))
    if t == d.FieldDescriptor.TYPE_BYTES:
        return st.sampled_from(DEEP_JSON).map(lambda v: ("set", v))
    if t == d.FieldDescriptor.TYPE_ENUM:
        return st.integers(-3, 60).map(lambda v: ("set", v))
    if t == d.FieldDescriptor.TYPE_BOOL:
        return st.booleans().map(lambda v: ("set", v))
    if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return st.sampled_from([float("nan"), float("inf"), -1e308, 0.0]).map(lambda v: ("set", v))
    if t == d.FieldDescriptor.TYPE_MESSAGE:
        return st.just(("clear", None))
    return st.sampled_from([-(2**31), -1, 0, 2**31 - 1]).map(lambda v: ("set", v))


@st.composite
def mutation(draw, desc: d.Descriptor):
    paths = _field_paths(desc)
    path = draw(st.sampled_from(paths))
    leaf = path[-1]
    if leaf.is_repeated:
        return path, draw(st.sampled_from([("empty", None), ("flood", None)]))
    return path, draw(_value(leaf))


def mutate(request: Message, path: tuple, change: tuple) -> Message:
    msg = type(request).FromString(request.SerializeToString())
    if "request_id" in msg.DESCRIPTOR.fields_by_name:
        msg.request_id = f"mut-{uuid.uuid4()}"
    target = msg
    for f in path[:-1]:
        target = getattr(target, f.name)
    leaf = path[-1]
    kind, value = change
    try:
        if kind == "timestamp":
            ts = getattr(target, leaf.name)
            ts.seconds = value
            ts.nanos = 0
        elif kind == "clear":
            target.ClearField(leaf.name)
        elif kind == "empty":
            target.ClearField(leaf.name)
        elif kind == "flood":
            values = getattr(target, leaf.name)
            if len(values):
                first = values[0]
                for _ in range(150):
                    if leaf.type == d.FieldDescriptor.TYPE_MESSAGE:
                        values.add().CopyFrom(first)
                    else:
                        values.append(first)
        else:
            setattr(target, leaf.name, value)
    except (ValueError, TypeError, OverflowError):
        pass  # a value the field's Python type refuses cannot be sent at all
    return msg


def send(apps, rec: Recorded, request: Message) -> grpc.RpcError | None:
    service = rec.method.split(".")[1]
    channel = grpc.insecure_channel(f"127.0.0.1:{apps[service].grpc_port}")
    try:
        if rec.response_type == "stream":
            stub = channel.unary_stream(rec.method, type(request).SerializeToString, lambda b: b)
            try:
                for _ in stub(request, metadata=rec.metadata, timeout=1.5):
                    pass
            except grpc.RpcError as err:
                if err.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                    return err
            return None
        stub = channel.unary_unary(rec.method, type(request).SerializeToString, lambda b: b)
        try:
            stub(request, metadata=rec.metadata, timeout=20)
            return None
        except grpc.RpcError as err:
            return err
    finally:
        channel.close()


def replayer(apps, rec: Recorded, outcomes: Counter, internal: list[str]):  # noqa: ANN001
    """A hypothesis test that sends ``rec``'s request mutated, and notes what came back."""

    @settings(
        max_examples=EXAMPLES_PER_REQUEST,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(mutation(rec.request.DESCRIPTOR))
    def replay(m) -> None:  # noqa: ANN001
        path, change = m
        err = send(apps, rec, mutate(rec.request, path, change))
        code = err.code() if err is not None else grpc.StatusCode.OK
        outcomes[code.name] += 1
        if code in BAD or (err is not None and MARKER in (err.details() or "")):
            field = ".".join(f.name for f in path)
            details = err.details() if err is not None else ""
            internal.append(f"{rec.method} {field} {change[0]}: {code.name} {details}")

    return replay


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
        if not _field_paths(rec.request.DESCRIPTOR):
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
