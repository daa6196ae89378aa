"""Fixtures for the intake integration tests: one real intake service per database (SQLite
file, PostgreSQL schema) on the real broker, with the real embedded policy engine; governance's
party facts are published to that broker as contract-conformant CloudEvents, as governance's
relay would."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import func, select

from zorgtafel.common.v1 import common_pb2
from zorgtafel.contracts import events as ev
from zorgtafel.intake.v1 import intake_pb2 as pb
from zorgtafel.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.testing import (Keys, LogTee, Publisher, channel, running_service,
                               wait_for)

# Parties of the covenant (services/governance/seed/parties.json).
ASTEN = "00000099000000000001"      # nominating municipality
HELMOND = "00000099000000000018"    # the process director works for Helmond (art. 11)
POLICE = "00000099000000000061"     # asked in triage
LUMENS = "00000099000000000053"     # asked in triage
GGZ = "00000099000000000045"        # a second nominating party
FARENT = "00000099000000000042"     # not involved at all
EXCLUDED = "00000099000000000063"   # Sociom, excluded in these tests (art. 23.2)
ACTIVE = (ASTEN, HELMOND, POLICE, LUMENS, GGZ, FARENT)


_counter = iter(range(1, 10_000))


def unique_bsn() -> str:
    """A fresh BSN passing the eleven test (each test its own subject)."""
    while True:
        head = f"{700000000 + next(_counter) * 7919:09d}"[:8]
        total = sum(int(d) * w for d, w in zip(head, range(9, 1, -1)))
        last = total % 11
        if last < 10:
            return head + str(last)


# Every subject the tests nominate, so the personal-data scan can look for all of them.
SUBJECTS: list[pb.SubjectIdentity] = []


def unique_subject(**overrides) -> pb.SubjectIdentity:
    n = next(_counter)
    fields = dict(given_names=f"Zofia{n}", family_name=f"Wiśniewska-Testvrouw{n}",
                  date_of_birth=(date.today() - timedelta(days=365 * 24 + n)).isoformat())
    fields.update(overrides)
    subject = pb.SubjectIdentity(**fields)
    SUBJECTS.append(subject)
    return subject


def terms() -> common_pb2.UsageTerms:
    return common_pb2.UsageTerms(purposes=["care_coordination"], recipient_roles=["process_director"],
                                 pre_read_allowed=False)


def nominate_request(subject=None, *, a=True, b=False, c=True, d=True, coercion=True,
                     age_band=pb.AGE_BAND_UNSPECIFIED, **extra) -> pb.NominateRequest:
    problems = [pb.LifeDomainProblem(domain=pb.LIFE_DOMAIN_HOUSING, description="dakloos")]
    problems.append(pb.LifeDomainProblem(
        domain=pb.LIFE_DOMAIN_SAFETY if d else pb.LIFE_DOMAIN_HOUSING, description="bedreigd"))
    chains = [pb.CHAIN_CARE]
    if coercion:
        chains.append(pb.CHAIN_COERCION_AND_PRESSURE)
    req = pb.NominateRequest(
        request_id=f"req-{uuid.uuid4()}", subject=subject or unique_subject(),
        age_band=age_band, problems=problems,
        safety=pb.SafetyConcerns(serious_local_safety_problem=a,
                                 affects_family_or_social_environment=b,
                                 multiple_chains_needed=c, description="uitbuiting"),
        chains_involved=chains, consent_status=pb.CONSENT_STATUS_GIVEN, usage_terms=terms())
    for k, v in extra.items():
        setattr(req, k, v)
    return req


def rid() -> str:
    return f"req-{uuid.uuid4()}"


def bad_field(err: grpc.RpcError) -> list[str]:
    status = rpc_status.from_call(err)
    bad = error_details_pb2.BadRequest()
    assert status.details and status.details[0].Unpack(bad), "no BadRequest details"
    return [v.field for v in bad.field_violations]


class Env:
    def __init__(self, app, keys: Keys, publisher: Publisher, logs: LogTee) -> None:
        self.app = app
        self.keys = keys
        self.pub = publisher
        self.logs = logs
        self.stub = pb_grpc.IntakeServiceStub(channel(app))
        self.tables = app.definition.tables

    def md(self, party: str, role: str = "caseworker", person: str = "person-1") -> tuple:
        return self.keys.metadata(party, role, person)

    def director(self) -> tuple:
        return self.md(HELMOND, "process_director", "zorgcoordinator-1")

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
            return conn.execute(select(t.c.status).where(t.c.party_id == party)).scalar()

    def rows(self, table: str, **where) -> list[dict]:
        t = self.tables[table]
        q = select(t)
        for k, v in where.items():
            q = q.where(t.c[k] == v)
        with self.app.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def count(self, table: str, **where) -> int:
        t = self.tables[table]
        q = select(func.count()).select_from(t)
        for k, v in where.items():
            q = q.where(t.c[k] == v)
        with self.app.engine.connect() as conn:
            return conn.execute(q).scalar_one()

    def events(self, case_id: str, event_type: str | None = None) -> list[dict]:
        rows = self.rows("outbox", case_id=case_id)
        return [json.loads(r["data"]) | {"_type": r["type"]} for r in rows
                if event_type is None or r["type"] == event_type]

    # -- flows -------------------------------------------------------------------------
    def nominate(self, party: str = ASTEN, **kw) -> pb.NominateResponse:
        return self.stub.Nominate(nominate_request(**kw), metadata=self.md(party))

    def qualified(self, party: str = ASTEN, **kw) -> str:
        case_id = self.nominate(party, **kw).case_id
        self.stub.Assess(pb.AssessRequest(request_id=rid(), case_id=case_id, qualifies=True,
                                          reasons="voldoet", nominating_party_consulted=True),
                         metadata=self.director())
        return case_id

    def in_triage(self, asked=(POLICE, LUMENS), seconds: float = 3600, **kw) -> str:
        case_id = self.qualified(**kw)
        self.start_triage(case_id, asked, seconds)
        return case_id

    def start_triage(self, case_id: str, asked=(POLICE, LUMENS), seconds: float = 3600):
        deadline = datetime.now(timezone.utc) + timedelta(seconds=seconds)
        req = pb.StartTriageRequest(request_id=rid(), case_id=case_id, asked_parties=list(asked),
                                    themes=["safety", "housing"],
                                    question="Is deze persoon bij u bekend?")
        req.deadline.FromDatetime(deadline)
        return self.stub.StartTriage(req, metadata=self.director())

    def answer(self, case_id: str, party: str, kind=pb.TRIAGE_ANSWER_KIND_INVOLVED,
               themes=("safety",)):
        return self.stub.AnswerTriage(pb.AnswerTriageRequest(
            request_id=rid(), case_id=case_id, answer=kind, contribution="wij kennen haar",
            themes=list(themes)), metadata=self.md(party))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, broker, tmp_path_factory):
    """One intake per module and database; log output captured for the personal-data scan."""
    from zorgtafel.kernel.logging import configure_logging

    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp("intake")
    keys = Keys(data_dir)
    logs = LogTee()
    configure_logging("DEBUG", stream=logs)
    publisher = Publisher(broker.bootstrap)
    try:
        # The embedded engine answers within 0.5 s by default; the concurrency test sends six
        # calls at once through four policy workers, so allow it more time here.
        with running_service("intake", data_dir, broker.bootstrap, url,
                             policy_timeout_ms=3000) as app:
            e = Env(app, keys, publisher, logs)
            for party in ACTIVE:
                e.register_party(party)
            e.register_party(EXCLUDED, "excluded")
            wait_for(lambda: all(e.party_status(p) == "active" for p in ACTIVE)
                     and e.party_status(EXCLUDED) == "excluded", timeout=60)
            yield e
    finally:
        publisher.close()
        configure_logging("INFO")
