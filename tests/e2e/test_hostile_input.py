"""Every RPC of every service, given malformed, oversized, wrong-typed, unicode-hostile and
injection-shaped input (hypothesis, generated from the proto descriptors), answers with a clear
status — never INTERNAL or UNKNOWN, never a crash, never the hostile input echoed back — and the
service stays healthy. And the authorisation matrix: every method × (no principal, unknown
party, wrong role, excluded party, right role): only the right role reaches the handler."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import descriptor as d
from grpc_health.v1 import health_pb2, health_pb2_grpc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from tests.mutants import SERVICES_TOUCH_RANDOM
from zorgtafel.kernel.config import SERVICES
from zorgtafel.testing import channel, running_service, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.integration, SERVICES_TOUCH_RANDOM]

ROLES = [
    "process_director",
    "case_director",
    "caseworker",
    "front_desk",
    "board_member",
    "board_chair",
    "board_secretary",
    "council_delegate",
    "council_secretary",
    "manager",
    "privacy_officer",
    "auditor",
]
ACTIVE = "00000099000000000037"  # an organisation of the covenant (seeded by governance)
EXCLUDED = "00000099000000000038"
UNKNOWN = "00000099999999999999"
CLEAR = {
    grpc.StatusCode.OK,
    grpc.StatusCode.INVALID_ARGUMENT,
    grpc.StatusCode.FAILED_PRECONDITION,
    grpc.StatusCode.PERMISSION_DENIED,
    grpc.StatusCode.NOT_FOUND,
    grpc.StatusCode.ALREADY_EXISTS,
    grpc.StatusCode.UNAUTHENTICATED,
    grpc.StatusCode.OUT_OF_RANGE,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.DEADLINE_EXCEEDED,
}
MARKER = "ZZHOSTILEZZ"

hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "'; DROP TABLE cases; --",
            '" OR 1=1 --',
            "{{7*7}}",
            "${jndi:x}",
            "../../etc/passwd",
            "\u202e\u0000\ud7ff\U0010ffff",
            "<script>x</script>",
            "A" * 100_000,
            MARKER,
            "00000099000000000001",
            "-1",
            "null",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x2FFF), max_size=30),
).map(lambda s: s.encode("utf-8", "surrogatepass").decode("utf-8", "ignore"))

INTS = st.one_of(st.integers(-(2**31), 2**31 - 1), st.sampled_from([0, -1, 2**31 - 1]))


def value_strategy(field: d.FieldDescriptor, depth: int):
    t = field.type
    if t == d.FieldDescriptor.TYPE_STRING:
        return hostile_text
    if t == d.FieldDescriptor.TYPE_BYTES:
        return st.binary(max_size=64).map(lambda b: b + MARKER.encode())
    if t == d.FieldDescriptor.TYPE_BOOL:
        return st.booleans()
    if t == d.FieldDescriptor.TYPE_ENUM:
        return st.integers(-3, 40)  # unknown enum numbers included
    if t in (d.FieldDescriptor.TYPE_DOUBLE, d.FieldDescriptor.TYPE_FLOAT):
        return st.floats(allow_nan=True, allow_infinity=True, width=32)
    if t == d.FieldDescriptor.TYPE_MESSAGE:
        if depth > 2:
            return st.none()
        return message_strategy(field.message_type, depth + 1)
    if t in (
        d.FieldDescriptor.TYPE_UINT32,
        d.FieldDescriptor.TYPE_UINT64,
        d.FieldDescriptor.TYPE_FIXED32,
        d.FieldDescriptor.TYPE_FIXED64,
    ):
        return st.integers(0, 2**32 - 1)
    return INTS


def message_strategy(desc: d.Descriptor, depth: int = 0):
    from google.protobuf import message_factory

    cls = message_factory.GetMessageClass(desc)
    if not desc.fields:  # an empty request: nothing to draw (a composite would draw nothing)
        return st.builds(cls)

    @st.composite
    def build(draw):
        msg = cls()
        if desc.full_name == "google.protobuf.Timestamp":
            msg.seconds = draw(st.integers(-62135596800, 253402300799))
            return msg
        for field in desc.fields:
            if not draw(st.booleans()):
                continue
            strat = value_strategy(field, depth)
            try:
                if field.is_repeated:
                    if field.message_type is not None and field.message_type.GetOptions().map_entry:
                        continue
                    values = draw(st.lists(strat, max_size=3))
                    target = getattr(msg, field.name)
                    for v in values:
                        if v is None:
                            continue
                        if field.type == d.FieldDescriptor.TYPE_MESSAGE:
                            target.add().CopyFrom(v)
                        else:
                            target.append(v)
                else:
                    v = draw(strat)
                    if v is None:
                        continue
                    if field.type == d.FieldDescriptor.TYPE_MESSAGE:
                        getattr(msg, field.name).CopyFrom(v)
                    else:
                        setattr(msg, field.name, v)
            except (ValueError, TypeError):
                continue  # a value the field's Python type refuses is not sendable
        return msg

    return build()


def service_methods(app):
    """(full method path, request class, response class, streaming) for a running service."""
    from google.protobuf import message_factory

    out = []
    for name in app.grpc_service_names:
        from google.protobuf import descriptor_pool

        sd = descriptor_pool.Default().FindServiceByName(name)
        for m in sd.methods:
            out.append(
                (
                    f"/{sd.full_name}/{m.name}",
                    message_factory.GetMessageClass(m.input_type),
                    message_factory.GetMessageClass(m.output_type),
                    m.server_streaming,
                )
            )
    return out


@pytest.fixture(scope="module")
def suite(tmp_path_factory, module_broker):
    # Its own broker (module_broker): on the session's, an earlier governance's "registered"
    # for the excluded party could be applied after this module excluded it (seen once: the
    # excluded party's Nominate reached validation).
    from zorgtafel.testing import Keys

    broker = module_broker
    data_dir = tmp_path_factory.mktemp("hostile")
    keys = Keys(data_dir)
    apps = {}
    stack = []
    for s in SERVICES:
        # Disclosure (started last) asks the others for the subject access report (#14).
        peers = (
            {f"{p}_address": f"127.0.0.1:{apps[p].grpc_port}" for p in apps}
            if s == "disclosure"
            else {}
        )
        cm = running_service(s, data_dir, broker.bootstrap, **peers)
        apps[s] = cm.__enter__()
        stack.append(cm)
    # Party status facts: one active organisation, one excluded (written where each service
    # keeps them; the exclusion flow itself is tested through governance elsewhere). First let
    # governance's seeded "registered" events arrive, or they would overwrite the exclusion.
    import time as _time

    from sqlalchemy import func, select

    from services.governance.adapters.seed import covenant_parties

    deadline = _time.monotonic() + 90
    for s, app in apps.items():
        if s == "governance":
            continue
        table = app.definition.tables["party_directory"]
        while _time.monotonic() < deadline:
            with app.engine.connect() as conn:
                if conn.execute(select(func.count()).select_from(table)).scalar_one() >= len(
                    covenant_parties()
                ):
                    break
            _time.sleep(0.3)
    for s, app in apps.items():
        if s == "governance":
            table = app.definition.tables["parties"]
            with app.engine.begin() as conn:
                conn.execute(
                    update(table).where(table.c.party_id == EXCLUDED).values(status="excluded")
                )
            continue
        # Through the unit of work, as the party events are applied: the service's
        # in-memory party directory follows at commit.
        from zorgtafel.testing import set_party_status

        for oin, status in ((ACTIVE, "active"), (EXCLUDED, "excluded")):
            set_party_status(app, oin, status)
    yield apps, keys
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


def allowed_roles(app, method: str) -> list[str]:
    roles = []
    for role in ROLES:
        decision = app.policy.decide(
            "zorgtafel.authz",
            {
                "method": method,
                "principal": {
                    "party": ACTIVE,
                    "party_status": "active",
                    "role": role,
                    "person": "p",
                    "authenticated_by": "dev_token",
                },
            },
        )
        if decision.allow is True:
            roles.append(role)
    return roles


def call(app, method, req_cls, resp_cls, streaming, request_bytes_or_msg, metadata):
    ch = channel(app)
    ser = (lambda m: m) if isinstance(request_bytes_or_msg, bytes) else req_cls.SerializeToString
    if streaming:
        stub = ch.unary_stream(method, ser, resp_cls.FromString)
        try:
            for _ in stub(request_bytes_or_msg, metadata=metadata, timeout=2):
                pass
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
                return e
        return None
    stub = ch.unary_unary(method, ser, resp_cls.FromString)
    try:
        stub(request_bytes_or_msg, metadata=metadata, timeout=10)
        return None
    except grpc.RpcError as e:
        return e


def assert_clear(err):
    if err is None:
        return
    assert err.code() in CLEAR, (err.code(), err.details())
    assert MARKER not in (err.details() or ""), "hostile input echoed in an error"


def healthy(app):
    h = health_pb2_grpc.HealthStub(channel(app))
    return h.Check(health_pb2.HealthCheckRequest(), timeout=5).status


@pytest.mark.parametrize("service", SERVICES)
def test_every_rpc_answers_hostile_input_with_a_clear_status(suite, service):
    apps, keys = suite
    app = apps[service]
    methods = service_methods(app)
    assert methods, f"{service} serves no RPC"
    # What held before the hostile input must hold after it. (In a full `make test` run on a
    # busy broker, governance's consumer has been seen still waiting for its partitions here:
    # that is the broker's group join, not the input; it is named in the state, not asserted.)
    serving = health_pb2.HealthCheckResponse.SERVING
    try:
        wait_for(lambda: healthy(app) == serving, timeout=30, interval=0.5)
    except AssertionError:
        pass
    before = app.monitor.check_now()
    for method, req_cls, resp_cls, streaming in methods:
        roles = allowed_roles(app, method) or ["process_director"]
        md = keys.metadata(ACTIVE, roles[0], "hostile-tester")

        @settings(
            max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(message_strategy(req_cls.DESCRIPTOR))
        def fuzz(msg):
            # Called at once, inside this iteration: the loop variables are the current ones.
            assert_clear(call(app, method, req_cls, resp_cls, streaming, msg, md))  # noqa: B023

        fuzz()
        # Bytes that are not a message at all, and a replayed request.
        assert_clear(call(app, method, req_cls, resp_cls, streaming, b"\xff" * 17, md))

    # Still as ready as before all of it. On a loaded two-core machine a readiness check (the
    # broker's metadata answer) may be down for a moment; hostile input that broke the service
    # would keep it down: wait for the fact, and name the failing checks if it never comes.
    def as_before() -> bool:
        now = app.monitor.check_now()
        return (
            now.database >= before.database
            and now.broker >= before.broker
            and set(now.failing) <= set(before.failing)
        )

    try:
        wait_for(as_before, timeout=30, interval=0.5)
    except AssertionError:
        pytest.fail(f"{service} less ready after hostile input: {before} -> {app.monitor.state}")
    if before.ready:
        assert healthy(app) == serving


@pytest.mark.parametrize("service", SERVICES)
def test_only_the_right_role_of_an_active_party_is_served(suite, service):
    apps, keys = suite
    app = apps[service]
    for method, req_cls, resp_cls, streaming in service_methods(app):
        roles = allowed_roles(app, method)
        assert roles, f"{method} is not allowed for any role: missing from zorgtafel.authz?"
        wrong = next(r for r in ROLES if r not in roles) if len(roles) < len(ROLES) else None
        refused = {
            "no principal": (None, {grpc.StatusCode.UNAUTHENTICATED}),
            # Governance knows every party itself: an unknown one is refused by the policy.
            # The other services only hear of parties by events: to them an unknown party is
            # one whose registration has not arrived yet, answered UNAVAILABLE (retryable).
            "unknown party": (
                keys.metadata(UNKNOWN, roles[0]),
                {
                    grpc.StatusCode.PERMISSION_DENIED
                    if service == "governance"
                    else grpc.StatusCode.UNAVAILABLE
                },
            ),
            "excluded party": (
                keys.metadata(EXCLUDED, roles[0]),
                {grpc.StatusCode.PERMISSION_DENIED},
            ),
        }
        if wrong:
            refused["wrong role"] = (
                keys.metadata(ACTIVE, wrong),
                {grpc.StatusCode.PERMISSION_DENIED},
            )
        for label, (md, codes) in refused.items():
            err = call(app, method, req_cls, resp_cls, streaming, req_cls(), md)
            assert err is not None and err.code() in codes, (method, label, err)
            if err.code() == grpc.StatusCode.PERMISSION_DENIED:
                # refused by the authz policy itself, before any handler ran
                assert denying_policy(err) == "zorgtafel.authz", (method, label)
        err = call(
            app, method, req_cls, resp_cls, streaming, req_cls(), keys.metadata(ACTIVE, roles[0])
        )
        assert err is None or err.code() not in {
            grpc.StatusCode.UNAUTHENTICATED,
            grpc.StatusCode.INTERNAL,
            grpc.StatusCode.UNKNOWN,
        }, (method, err)
        assert err is None or denying_policy(err) != "zorgtafel.authz", (method, err)


def denying_policy(err) -> str | None:
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    status = rpc_status.from_call(err)
    for detail in status.details if status else []:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.metadata.get("policy")
    return None
