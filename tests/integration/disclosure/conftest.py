"""Fixtures for the disclosure integration tests: one real disclosure service per database
database (SQLite file, PostgreSQL schema), a real broker, and casework's, intake's and
governance's facts published to that broker as contract-conformant CloudEvents."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import select

from zorgtafel.contracts import events as ev
from zorgtafel.common.v1 import common_pb2
from zorgtafel.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.disclosure.v1 import disclosure_pb2_grpc as pb_grpc
from zorgtafel.testing import Keys, Publisher, channel, running_service, wait_for

# Parties of the covenant (services/governance/seed/parties.json).
GGZ = "00000099000000000045"       # provider in most tests
CELLO = "00000099000000000038"     # involved care provider
FARENT = "00000099000000000042"    # a party not involved in the case
ASTEN = "00000099000000000001"     # involved municipality, information need without "health"
ALL_PARTIES = (GGZ, CELLO, FARENT, ASTEN)


class Env:
    def __init__(self, app, keys: Keys, publisher: Publisher) -> None:
        self.app = app
        self.keys = keys
        self.pub = publisher
        self.stub = pb_grpc.DisclosureServiceStub(channel(app))
        self.tables = app.definition.tables

    def md(self, party: str, role: str = "caseworker", person: str = "person-1",
           extra: tuple = ()) -> tuple:
        return self.keys.metadata(party, role, person) + tuple(extra)

    # -- facts from other services -------------------------------------------------------
    def register_party(self, party: str, status: str = "active") -> None:
        etype = {"active": ev.PARTY_REGISTERED, "excluded": ev.PARTY_EXCLUDED,
                 "withdrawn": ev.PARTY_WITHDREW}[status]
        self.pub.publish("governance", etype, party, {
            "party_id": party, "name": f"party {party[-2:]}", "kind": "care_provider",
            "status": status, "status_since": datetime.now(timezone.utc).isoformat()})

    def party_status(self, party: str) -> str | None:
        t = self.tables["party_directory"]
        with self.app.engine.connect() as conn:
            row = conn.execute(select(t.c.status).where(t.c.party_id == party)).first()
        return row.status if row else None

    def open_case(self, *, age_band: str = "16_plus", roles: dict | None = None,
                  nominated_by: str = GGZ) -> tuple[str, str]:
        """Intake nominates, casework opens the case and sets roles (8.4c); returns
        (case_id, subject pseudonym) once disclosure's projection has them."""
        case_id = f"case-{uuid.uuid4().hex[:12]}"
        pseudonym = f"psn-{uuid.uuid4().hex[:12]}"
        self.pub.publish("intake", ev.CASE_NOMINATED, case_id, {
            "case_id": case_id, "subject_pseudonym": pseudonym, "nominating_party": nominated_by,
            "age_band": age_band, "nominated_at": datetime.now(timezone.utc).isoformat()})
        self.pub.publish("casework", ev.CASE_OPENED, case_id, {
            "case_id": case_id, "subject_pseudonym": pseudonym, "nominating_party": nominated_by,
            "age_band": age_band, "invitees": [GGZ, CELLO, ASTEN]})
        roles = roles if roles is not None else {
            CELLO: {"role": "care_provider", "information_need": ["health", "housing"]},
            ASTEN: {"role": "municipality", "information_need": ["housing"]},
            GGZ: {"role": "mental_health", "information_need": ["health"]}}
        self.pub.publish("casework", ev.ROLES_SET, case_id, {"case_id": case_id, "roles": roles})
        t = self.tables["case_facts"]

        def ready():
            with self.app.engine.connect() as conn:
                row = conn.execute(select(t).where(t.c.case_id == case_id)).first()
            return row is not None and row.opened and json.loads(row.roles) == json.loads(
                json.dumps(roles)) and row.subject_pseudonym == pseudonym
        wait_for(ready)
        return case_id, pseudonym

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
    keys = Keys(data_dir)
    publisher = Publisher(broker.bootstrap)
    with running_service("disclosure", data_dir, broker.bootstrap, module_db) as app:
        e = Env(app, keys, publisher)
        wait_for(lambda: app.consumer.assigned.is_set(), timeout=40)
        for p in ALL_PARTIES:
            e.register_party(p)
        wait_for(lambda: all(e.party_status(p) == "active" for p in ALL_PARTIES))
        yield e
    publisher.close()


# -- calls -------------------------------------------------------------------------------------

def terms(**kw) -> common_pb2.UsageTerms:
    kw.setdefault("purposes", ["care_coordination"])
    expires = kw.pop("expires_at", None)
    t = common_pb2.UsageTerms(**kw)
    if expires is not None:
        t.expires_at.FromDatetime(expires)
    return t


def provide(env: Env, case_id: str, *, provider: str = GGZ, category: str = "health",
            content: bytes | None = None, content_type: str = "application/json",
            legal_basis=pb.LEGAL_BASIS_PUBLIC_TASK, usage=None, summaries=None) -> str:
    content = content if content is not None else json.dumps(
        {"note": "sees a counsellor weekly", "risk": "low"}).encode()
    r = env.stub.Provide(pb.ProvideRequest(
        request_id=f"req-{uuid.uuid4()}", case_id=case_id, category=category,
        classification=pb.CLASSIFICATION_CONFIDENTIAL, legal_basis=legal_basis,
        content_type=content_type, content=content, terms=usage or terms(),
        field_summaries=summaries or {}), metadata=env.md(provider))
    return r.item_id


def request(env: Env, party: str, item_ids, *, purpose: str = "care_coordination",
            action=pb.DISCLOSURE_ACTION_READ, role: str = "caseworker", third_party: str = "",
            extra_md: tuple = ()):
    return env.stub.RequestDisclosure(pb.RequestDisclosureRequest(
        item_ids=list(item_ids), purpose=purpose, action=action, third_party=third_party),
        metadata=env.md(party, role, extra=extra_md))


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
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    status = rpc_status.from_call(err.value)
    bad = error_details_pb2.BadRequest()
    assert status.details[0].Unpack(bad)
    return [v.field for v in bad.field_violations]


def published(broker, event_type: str, decision_id: str) -> dict | None:
    """The data of the event of ``event_type`` for ``decision_id`` on disclosure's topic, read
    from the real broker (partitions assigned directly: no consumer-group wait)."""
    topic = ev.TOPIC["disclosure"]
    consumer = KafkaConsumer(bootstrap_servers=broker.bootstrap, enable_auto_commit=False,
                             consumer_timeout_ms=500)
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
