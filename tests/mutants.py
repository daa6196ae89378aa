"""Mutating valid requests: record what partner systems really send (a client interceptor),
then send each request again with one field at or past the edge of what it may hold. Shared by
the mutation tests of the services (tests/e2e, tests/integration/governance)."""

from __future__ import annotations

import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import grpc
import pytest
from google.protobuf import descriptor as d
from google.protobuf.message import Message
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BAD = {grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN}
MARKER = "ZZMUTANTZZ"
# What a disclosure answers when its access log could not be written (log before release): a
# fault of the service's own, or a caller's value the database refused, never a mutation's due.
LOG_NOT_WRITTEN = "access log could not be written"
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


# Hypothesis warns when the global `random` state changes while it draws an example. No strategy
# here uses `random`: the in-process services' kafka-python threads do (backoff jitter, node
# choice), concurrently with the draws. The warning names a race, not a fault in a strategy:
# silenced for the modules that draw beside running services, and only there.
SERVICES_TOUCH_RANDOM = pytest.mark.filterwarnings(
    "ignore:Do not use the `random` module inside strategies"
    ":hypothesis.errors.HypothesisDeprecationWarning"
)


@dataclass
class Recorded:
    method: str
    request: Message
    metadata: tuple
    response_type: type
    # Where it went: a service the method's package does not name (every service serves
    # zorgtafel.accesslog.v1) is replayed at the same address.
    target: str = ""
    answered_ok: bool = False  # a unary call the service answered OK (streams: not known)


@dataclass
class Recorder(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    calls: list[Recorded] = field(default_factory=list)
    target: str = ""

    def at(self, target: str) -> Recorder:
        """A recorder of the calls to ``target``, into the same list."""
        return Recorder(self.calls, target)

    def _keep(self, details, request, continuation, response_type):  # noqa: ANN001
        rec = Recorded(
            details.method,
            type(request).FromString(request.SerializeToString()),
            tuple(details.metadata or ()),
            response_type,
            self.target,
        )
        self.calls.append(rec)
        call = continuation(details, request)
        if response_type is None:  # a unary answer is complete once its code is known
            rec.answered_ok = call.code() == grpc.StatusCode.OK
        return call

    def intercept_unary_unary(self, continuation, details, request):  # noqa: ANN001
        return self._keep(details, request, continuation, None)

    def intercept_unary_stream(self, continuation, details, request):  # noqa: ANN001
        return self._keep(details, request, continuation, "stream")


def field_paths(desc: d.Descriptor, prefix: tuple = (), depth: int = 0) -> list[tuple]:
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
            out.extend(field_paths(f.message_type, path, depth + 1))
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
    paths = field_paths(desc)
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
    target = f"127.0.0.1:{apps[service].grpc_port}" if service in apps else rec.target
    channel = grpc.insecure_channel(target)
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
        details = (err.details() or "") if err is not None else ""
        if (
            code in BAD
            or MARKER in details
            or (code == grpc.StatusCode.UNAVAILABLE and LOG_NOT_WRITTEN in details)
        ):
            field = ".".join(f.name for f in path)
            internal.append(f"{rec.method} {field} {change[0]}: {code.name} {details}")

    return replay


def replay_mutated(apps, calls: list[Recorded]) -> tuple[int, Counter, list[str]]:  # noqa: ANN001
    """Every recorded RPC (one request of each) sent again mutated; returns the number of RPCs,
    the answers by status, and the INTERNAL/UNKNOWN answers (or echoed input) found, and then
    each string of an answered request of each RPC with a NUL (``replay_with_nul``)."""
    recorded = {r.method: r for r in calls}
    outcomes: Counter = Counter()
    internal: list[str] = []
    for rec in recorded.values():
        if field_paths(rec.request.DESCRIPTOR):
            replayer(apps, rec, outcomes, internal)()
    internal += replay_with_nul(apps, calls, outcomes)
    return len(recorded), outcomes, internal


def string_slots(msg: Message, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every string a request carries, as (path, setter): its string fields (also of the
    messages nested in it, set or not, to depth 3), each entry of a repeated string field,
    the strings of each entry of a repeated message, and a string map's keys and values."""
    out: list[tuple[tuple[str, ...], Any]] = []
    for f in msg.DESCRIPTOR.fields:
        if f.name == "request_id":
            continue
        path, value = (*prefix, f.name), getattr(msg, f.name)
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            key, val = (f.message_type.fields_by_name[n] for n in ("key", "value"))
            if key.type == d.FieldDescriptor.TYPE_STRING:
                out.append(((*path, "<key>"), lambda m, v, n=f.name: getattr(m, n).update({v: ""})))
            if val.type == d.FieldDescriptor.TYPE_STRING:
                for k, old in value.items():
                    out.append(
                        (
                            (*path, k),
                            lambda m, v, n=f.name, k=k, o=old: getattr(m, n).update({k: o + v}),
                        )
                    )
        elif f.is_repeated and f.type == d.FieldDescriptor.TYPE_STRING:
            for i in range(len(value)):
                out.append(
                    ((*path, str(i)), lambda m, v, n=f.name, i=i: _append_at(getattr(m, n), i, v))
                )
        elif f.is_repeated and f.type == d.FieldDescriptor.TYPE_MESSAGE:
            for i, entry in enumerate(value):
                for sub, setter in string_slots(entry, (*path, str(i))):
                    out.append((sub, lambda m, v, n=f.name, i=i, s=setter: s(getattr(m, n)[i], v)))
        elif f.type == d.FieldDescriptor.TYPE_STRING:
            out.append((path, lambda m, v, n=f.name: setattr(m, n, getattr(m, n) + v)))
        elif (
            f.type == d.FieldDescriptor.TYPE_MESSAGE
            and f.message_type.full_name != "google.protobuf.Timestamp"
            and len(prefix) < 3
        ):
            for sub, setter in string_slots(value, path):
                out.append((sub, lambda m, v, n=f.name, s=setter: s(getattr(m, n), v)))
    return out


def _append_at(values, i: int, suffix: str) -> None:  # noqa: ANN001 - a repeated string field
    values[i] = values[i] + suffix


def replay_with_nul(apps, calls: list[Recorded], outcomes: Counter) -> list[str]:  # noqa: ANN001
    """One request of each recorded RPC (the last one answered OK, else the last) sent again
    once for each string it carries, that string with a NUL appended: PostgreSQL's text holds
    no NUL, so a request whose strings reach the database unchecked would answer INTERNAL or
    UNAVAILABLE (its access log not written), where the caller's mistake is INVALID_ARGUMENT
    naming the field. Returns those answers."""
    chosen: dict[str, Recorded] = {}
    for rec in calls:
        if rec.answered_ok or not chosen.get(rec.method, rec).answered_ok:
            chosen[rec.method] = rec
    found: list[str] = []
    for rec in chosen.values():
        for path, add in string_slots(rec.request):
            msg = type(rec.request).FromString(rec.request.SerializeToString())
            if "request_id" in msg.DESCRIPTOR.fields_by_name:
                msg.request_id = f"mut-{uuid.uuid4()}"
            add(msg, "\x00")
            err = send(apps, rec, msg)
            code = err.code() if err is not None else grpc.StatusCode.OK
            outcomes[f"{code.name} (NUL)"] += 1
            details = (err.details() or "") if err is not None else ""
            if code in BAD or (code == grpc.StatusCode.UNAVAILABLE and LOG_NOT_WRITTEN in details):
                found.append(f"{rec.method} {'.'.join(path)} +NUL: {code.name} {details}")
    return found


@contextmanager
def recording(module, name: str = "channel"):  # noqa: ANN001 - the module whose channel to wrap
    """Within the block, ``module.<name>(app)`` gives channels that record what is sent."""
    recorder = Recorder()
    original = getattr(module, name)
    setattr(module, name, lambda app: grpc.intercept_channel(original(app), recorder))
    try:
        yield recorder
    finally:
        setattr(module, name, original)


def run_flows(module, env) -> int:  # noqa: ANN001 - a test module and its service env
    """Run the flows of an integration test module that take only the module's ``env`` (in
    the order the module defines them, as they run there); return how many ran."""
    import inspect

    ran = 0
    for name, fn in list(vars(module).items()):
        if name.startswith("test_") and inspect.isfunction(fn):
            if list(inspect.signature(fn).parameters) == ["env"]:
                fn(env)
                ran += 1
    return ran


@contextmanager
def recording_stub(env):  # noqa: ANN001 - a zorgtafel.testing.ServiceEnv
    """Within the block, ``env.stub`` records what it sends (whenever the env was built)."""
    from zorgtafel.testing import channel

    recorder = Recorder()
    original = env.stub
    env.stub = type(original)(grpc.intercept_channel(channel(env.app), recorder))
    try:
        yield recorder
    finally:
        env.stub = original


def unrecorded(service: str, calls: list[Recorded]) -> list[str]:
    """The RPCs of ``service`` no recorded flow called (what the mutation did not reach)."""
    from importlib import import_module

    from google.protobuf import descriptor_pool

    import_module(f"zorgtafel.generated.{service}.v1.{service}_pb2")
    full = f"zorgtafel.{service}.v1.{service.capitalize()}Service"
    names = {m.name for m in descriptor_pool.Default().FindServiceByName(full).methods}
    return sorted(names - {c.method.rsplit("/", 1)[1] for c in calls})
