"""Nothing lost, nothing twice, at the kernel's level: idempotent commands and consumers on a
real (SQLite) database, no broker needed."""

from __future__ import annotations

from collections import namedtuple
from functools import partial

import pytest
from sqlalchemy import func, select

from services.governance.adapters import orm
from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.bootstrap import VERSIONS
from services.governance.domain.events import REGISTRY
from zorgtafel.contracts import events as ev
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.kernel import db, migrate
from zorgtafel.kernel.commands import execute_once
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.schema import party_status_consumption, service_metadata
from zorgtafel.kernel.uow import UnitOfWork, utcnow
from zorgtafel.kernel.wire import to_kafka

Record = namedtuple("Record", "topic partition offset key value headers")


@pytest.fixture
def governance_uow(tmp_path):
    orm.start_mappers()
    engine = db.make_engine(Settings(service="governance", data_dir=tmp_path))
    migrate.upgrade(engine, orm.metadata, VERSIONS, None)
    factory = partial(
        GovernanceUnitOfWork,
        db.make_session_factory(engine),
        orm.tables,
        topic="zorgtafel.governance.v1",
        source="/t",
        registry=REGISTRY,
    )
    yield factory, engine
    engine.dispose()


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_repeated_request_returns_the_stored_response_and_changes_nothing(governance_uow):
    factory, engine = governance_uow
    calls = []

    def effect(uow):
        calls.append(1)
        uow.session.execute(
            orm.tables["outbox"]
            .insert()
            .values(
                event_id=f"e{len(calls)}",
                topic="t",
                key="k",
                type="x",
                source="s",
                time=utcnow(),
                data="{}",
                created_at=utcnow(),
                attempts=0,
            )
        )
        return pb.GetPartyResponse(
            party=pb.Party(party_id="00000099000000000001", name=f"call {len(calls)}")
        )

    request = _Req("req-0001-abcdef", b"same body")
    first = execute_once(
        factory,
        party="00000099000000000001",
        method="/m",
        request=request,
        response_type=pb.GetPartyResponse,
        effect=effect,
    )
    again = execute_once(
        factory,
        party="00000099000000000001",
        method="/m",
        request=request,
        response_type=pb.GetPartyResponse,
        effect=effect,
    )
    assert first == again and len(calls) == 1
    assert count(engine, orm.tables["outbox"]) == 1


class _Req:
    """A request-like message with a request_id (governance's slice has no mutating RPC)."""

    def __init__(self, request_id: str, body: bytes) -> None:
        self.request_id = request_id
        self._body = body

    def SerializeToString(self, deterministic=False):
        return self._body


def test_the_same_request_id_for_another_request_is_refused(governance_uow):
    factory, _ = governance_uow
    ok = lambda uow: pb.GetPartyResponse()  # noqa: E731
    execute_once(
        factory,
        party="p",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=ok,
    )
    with pytest.raises(FailedPrecondition) as err:
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req("req-12345678", b"b"),
            response_type=pb.GetPartyResponse,
            effect=ok,
        )
    assert err.value.state == "request_id_used"


def test_another_party_never_sees_a_stored_response(governance_uow):
    factory, _ = governance_uow
    secret = lambda uow: pb.GetPartyResponse(party=pb.Party(name="first"))  # noqa: E731
    other = lambda uow: pb.GetPartyResponse(party=pb.Party(name="second"))  # noqa: E731
    execute_once(
        factory,
        party="p1",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=secret,
    )
    reply = execute_once(
        factory,
        party="p2",
        method="/m",
        request=_Req("req-12345678", b"a"),
        response_type=pb.GetPartyResponse,
        effect=other,
    )
    assert reply.party.name == "second"


def test_a_colleague_replaying_a_request_gets_no_stored_response(governance_uow):
    """Need to know by person (ADR 0005): the same party, bytes and request_id from another
    person is refused; the first person's answer is not handed out and nothing runs twice."""
    factory, _ = governance_uow
    calls: list[str] = []

    def effect(uow):
        calls.append("ran")
        return pb.GetPartyResponse(party=pb.Party(name="the process director's answer"))

    def as_person(person: str) -> pb.GetPartyResponse:
        return execute_once(
            factory,
            party="p",
            person=person,
            method="/m",
            request=_Req("req-replayed-1", b"a"),
            response_type=pb.GetPartyResponse,
            effect=effect,
        )

    assert as_person("pd-1").party.name == "the process director's answer"
    assert as_person("pd-1").party.name == "the process director's answer"  # a retry
    with pytest.raises(FailedPrecondition) as err:
        as_person("colleague-1")
    assert err.value.state == "request_id_used"
    assert calls == ["ran"]


@pytest.mark.parametrize("bad", ["", "short", "x" * 129, "has space 123", "naïve-12345"])
def test_a_missing_or_malformed_request_id_is_invalid_argument(governance_uow, bad):
    factory, _ = governance_uow
    with pytest.raises(InvalidArgument) as err:
        execute_once(
            factory,
            party="p",
            method="/m",
            request=_Req(bad, b""),
            response_type=pb.GetPartyResponse,
            effect=lambda uow: pb.GetPartyResponse(),
        )
    assert err.value.violations[0][0] == "request_id"


@pytest.fixture
def projection(tmp_path):
    metadata, tables = service_metadata()
    engine = db.make_engine(Settings(service="intake", data_dir=tmp_path))
    metadata.create_all(engine)
    factory = partial(
        UnitOfWork,
        db.make_session_factory(engine),
        tables,
        topic="t",
        source="/t",
        registry=REGISTRY,
    )
    handlers = party_status_consumption()[ev.TOPIC["governance"]]
    consumer = EventConsumer(["zorgtafel.governance.v1"], handlers, factory, lambda t: None)
    yield consumer, engine, tables
    engine.dispose()


def party_record(event_id: str, status: str, offset: int = 0) -> Record:
    msg = to_kafka(
        event_id,
        ev.PARTY_REGISTERED if status == "active" else ev.PARTY_EXCLUDED,
        "/zorgtafel/governance",
        utcnow(),
        "00000099000000000001",
        {
            "party_id": "00000099000000000001",
            "name": "Gemeente Asten",
            "kind": "municipality",
            "status": status,
            "status_since": utcnow().isoformat(),
        },
    )
    return Record(
        "zorgtafel.governance.v1", 0, offset, msg.key.encode(), msg.value, list(msg.headers.items())
    )


def test_a_redelivered_event_is_applied_once(projection):
    consumer, engine, tables = projection
    assert consumer.handle_record(party_record("ev-1", "active")) == "applied"
    assert consumer.handle_record(party_record("ev-1", "active")) == "duplicate"
    assert count(engine, tables["party_directory"]) == 1
    assert count(engine, tables["processed_events"]) == 1


def test_an_exclusion_event_changes_the_projected_status(projection):
    consumer, engine, tables = projection
    consumer.handle_record(party_record("ev-1", "active"))
    consumer.handle_record(party_record("ev-2", "excluded", 1))
    with engine.connect() as conn:
        status = conn.execute(select(tables["party_directory"].c.status)).scalar_one()
    assert status == "excluded"


def test_a_malformed_event_is_kept_as_a_dead_letter_not_dropped(projection):
    consumer, engine, tables = projection
    rec = Record("zorgtafel.governance.v1", 0, 7, b"k", b"not json", [("ce_id", b"x")])
    assert consumer.handle_record(rec) == "dead_letter"
    assert count(engine, tables["dead_letters"]) == 1
