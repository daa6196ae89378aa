"""Fixtures for the disclosure integration tests: one real disclosure service per database
database (SQLite file, PostgreSQL schema), a real broker, and casework's, intake's and
governance's facts published to that broker as contract-conformant CloudEvents."""

from __future__ import annotations

import json
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import select

from zorgtafel.contracts import events as ev
from zorgtafel.generated.common.v1 import common_pb2
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.generated.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
from zorgtafel.testing import ServiceEnv, bad_fields, rid, service_env, wait_for

# Parties of the covenant (services/governance/seed/parties.json).
GGZ = "00000099000000000045"  # provider in most tests
CELLO = "00000099000000000038"  # involved care provider
FARENT = "00000099000000000042"  # a party not involved in the case
ASTEN = "00000099000000000001"  # involved municipality, information need without "health"
ALL_PARTIES = (GGZ, CELLO, FARENT, ASTEN)
PERSON = "person-1"  # the person of ``env.md``: named as the delegate of each invitee
DIRECTOR = "pd-1"  # the process director of every case opened here (12.3), on the roster


class Env(ServiceEnv):
    def __init__(self, app, keys, publisher, logs=None) -> None:
        super().__init__(app, keys, publisher, logs, stub_class=pb_grpc.DisclosureServiceStub)

    def open_case(
        self,
        *,
        age_band: str = "16_plus",
        roles: dict | None = None,
        nominated_by: str = GGZ,
        delegates: tuple[str, ...] = (GGZ, CELLO, ASTEN),
    ) -> tuple[str, str]:
        """Intake nominates, casework opens the case (its process director ``DIRECTOR`` of the
        nominating party), sets roles (8.4c) and each of ``delegates`` names ``PERSON`` as its
        delegate (Bijlage 3); returns (case_id, subject pseudonym) once disclosure's projection
        has them."""
        case_id = f"case-{uuid.uuid4().hex[:12]}"
        pseudonym = f"psn-{uuid.uuid4().hex[:12]}"
        self.pub.publish(
            "intake",
            ev.CASE_NOMINATED,
            case_id,
            {
                "case_id": case_id,
                "subject_pseudonym": pseudonym,
                "nominating_party": nominated_by,
                "age_band": age_band,
                "nominated_at": datetime.now(timezone.utc).isoformat(),
            },
        )
        self.pub.publish(
            "casework",
            ev.CASE_OPENED,
            case_id,
            {
                "case_id": case_id,
                "subject_pseudonym": pseudonym,
                "nominating_party": nominated_by,
                "age_band": age_band,
                "invitees": [GGZ, CELLO, ASTEN],
                "process_director_party": nominated_by,
                "process_director_person": DIRECTOR,
            },
        )
        roles = (
            roles
            if roles is not None
            else {
                CELLO: {"role": "care_provider", "information_need": ["health", "housing"]},
                ASTEN: {"role": "municipality", "information_need": ["housing"]},
                GGZ: {"role": "mental_health", "information_need": ["health"]},
            }
        )
        self.pub.publish("casework", ev.ROLES_SET, case_id, {"case_id": case_id, "roles": roles})
        for party in delegates:
            self.name_delegate(case_id, party, PERSON)
        t = self.tables["case_facts"]

        def ready():
            with self.app.engine.connect() as conn:
                row = conn.execute(select(t).where(t.c.case_id == case_id)).first()
            return (
                row is not None
                and row.opened
                and json.loads(row.roles) == json.loads(json.dumps(roles))
                and row.subject_pseudonym == pseudonym
                and row.process_director_person == DIRECTOR
                and all(PERSON in self.delegates_of(row, p) for p in delegates)
            )

        wait_for(ready)
        return case_id, pseudonym

    @staticmethod
    def delegates_of(row, party: str) -> list[str]:
        return json.loads(row.delegates or "{}").get(party, [])

    def name_delegate(self, case_id: str, party: str, person: str, named: bool = True) -> None:
        """Casework's DelegateNamed (or DelegateReleased); the caller waits for the fact."""
        event = ev.DELEGATE_NAMED if named else ev.DELEGATE_RELEASED
        data = {"case_id": case_id, "party": party, "person": person}
        self.pub.publish("casework", event, case_id, data)

    def delegates(self, case_id: str, party: str) -> list[str]:
        t = self.tables["case_facts"]
        with self.app.engine.connect() as conn:
            row = conn.execute(select(t).where(t.c.case_id == case_id)).first()
        return self.delegates_of(row, party) if row else []

    def outbox(self) -> list:
        t = self.tables["outbox"]
        with self.app.engine.connect() as conn:
            return conn.execute(select(t).order_by(t.c.id)).all()

    def log_rows(self) -> list:
        t = self.tables["access_log"]
        with self.app.engine.connect() as conn:
            return conn.execute(select(t).order_by(t.c.seq)).all()


@pytest.fixture(scope="package", params=["sqlite", "postgresql"])
def module_db(request):
    if request.param == "sqlite":
        return ""
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="package")
def env(broker, module_db, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("disclosure")
    with service_env("disclosure", Env, broker.bootstrap, data_dir, module_db) as e:
        wait_for(lambda: e.app.consumer.assigned.is_set(), timeout=40)
        e.register_parties(ALL_PARTIES)
        e.appoint(GGZ, DIRECTOR)  # governance designated the process director (art. 12.1)
        yield e


# -- calls -------------------------------------------------------------------------------------


def terms(**kw) -> common_pb2.UsageTerms:
    kw.setdefault("purposes", ["care_coordination"])
    expires = kw.pop("expires_at", None)
    t = common_pb2.UsageTerms(**kw)
    if expires is not None:
        t.expires_at.FromDatetime(expires)
    return t


def provide(
    env: Env,
    case_id: str,
    *,
    provider: str = GGZ,
    category: str = "health",
    content: bytes | None = None,
    content_type: str = "application/json",
    legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK,
    usage=None,
    summaries=None,
) -> str:
    content = (
        content
        if content is not None
        else json.dumps({"note": "sees a counsellor weekly", "risk": "low"}).encode()
    )
    r = env.stub.Provide(
        pb.ProvideRequest(
            request_id=rid(),
            case_id=case_id,
            category=category,
            classification=pb.CLASSIFICATION_CONFIDENTIAL,
            legal_basis=legal_basis,
            content_type=content_type,
            content=content,
            terms=usage or terms(),
            field_summaries=summaries or {},
        ),
        metadata=env.md(provider),
    )
    return r.item_id


def request(
    env: Env,
    party: str,
    item_ids,
    *,
    purpose: str = "care_coordination",
    action=pb.DISCLOSURE_ACTION_READ,
    role: str = "caseworker",
    third_party: str = "",
    extra_md: tuple = (),
):
    return env.stub.RequestDisclosure(
        pb.RequestDisclosureRequest(
            item_ids=list(item_ids), purpose=purpose, action=action, third_party=third_party
        ),
        metadata=env.md(party, role, extra=extra_md),
    )


def denial(call) -> tuple[grpc.StatusCode, dict]:
    """Run ``call``; return the status code and the ErrorInfo metadata of its failure."""
    with pytest.raises(grpc.RpcError) as err:
        call()
    status = rpc_status.from_call(err.value)
    info = {}
    if status is not None:
        for d in status.details:
            ei = error_details_pb2.ErrorInfo()
            if d.Unpack(ei):
                info = dict(ei.metadata)
    return err.value.code(), info


def reasons_of(info: dict) -> str:
    return " ".join(v for k, v in info.items() if k.startswith("reason_"))


def field_violations(call) -> list[str]:
    with pytest.raises(grpc.RpcError) as err:
        call()
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT, err.value.details()
    return bad_fields(err.value)


def published(broker, event_type: str, decision_id: str) -> dict | None:
    """The data of the event of ``event_type`` for ``decision_id`` on disclosure's topic, read
    from the real broker (partitions assigned directly: no consumer-group wait)."""
    topic = ev.TOPIC["disclosure"]
    consumer = KafkaConsumer(
        bootstrap_servers=broker.bootstrap, enable_auto_commit=False, consumer_timeout_ms=500
    )
    try:
        parts = consumer.partitions_for_topic(topic) or set()
        if not parts:
            return None
        consumer.assign([TopicPartition(topic, p) for p in parts])
        consumer.seek_to_beginning()
        for msg in consumer:
            if dict(msg.headers).get("ce_type") == event_type.encode():
                data = json.loads(msg.value)
                if data.get("decision_id") == decision_id:
                    return data
        return None
    finally:
        consumer.close()


# -- a disclosure database at an earlier revision, for the migrations' tests -------------------
@contextmanager
def database_at(
    database_url: str, tmp_path, revision: str, label: str, service: str = "disclosure"
):
    """A disclosure database (or ``service``'s: a PostgreSQL schema of its own, else a SQLite
    file) migrated up to ``revision``: (the engine, the Alembic config to go on from there, the schema, the
    engine without the schema mapping for reflection); dropped afterwards."""
    from alembic import command
    from sqlalchemy import create_engine

    from zorgtafel.kernel import migrate
    from zorgtafel.kernel.registry import definition
    from zorgtafel.testing.services import drop_schema

    d = definition(service)
    if database_url:
        schema: str | None = f"t_{uuid.uuid4().hex[:10]}_{label}"
        base = create_engine(database_url)
        engine = base.execution_options(schema_translate_map={None: schema})
    else:
        schema, base = None, create_engine(f"sqlite:///{tmp_path}/{service}.db")
        engine = base
    cfg = migrate._config(engine, d.metadata, d.versions_dir, schema)
    command.upgrade(cfg, revision)
    try:
        yield engine, cfg, schema, base
    finally:
        base.dispose()
        if database_url:
            drop_schema(database_url, schema)
