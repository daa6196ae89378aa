"""Fixtures for the casework integration tests: one real casework service per database (SQLite
file, PostgreSQL schema) on the real broker, with the real embedded policy engine and a
retention period of 0 days (so a closed case may be purged at once). Intake's triage outcomes
and governance's party facts are published to that broker as contract-conformant CloudEvents,
as those services' relays would."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta, timezone

import grpc
import pytest
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from sqlalchemy import func, select

from zorgtafel.casework.v1 import casework_pb2 as pb
from zorgtafel.casework.v1 import casework_pb2_grpc as pb_grpc
from zorgtafel.contracts import events as ev
from zorgtafel.testing import (Keys, LogTee, Publisher, channel, running_service,
                               wait_for)

# Parties of the covenant (services/governance/seed/parties.json).
VEILIG_THUIS = "00000099000000000066"   # nominates the case
LUMENS = "00000099000000000053"         # the process director's organisation (art. 11)
FARENT = "00000099000000000042"         # the case director's organisation (art. 13.1)
SHELTER = "00000099000000000051"        # Leger des Heils: shelter, needs identity and meetings
POLICE = "00000099000000000061"         # safety
KMAR = "00000099000000000049"           # Koninklijke Marechaussee: excluded mid-stream
GGD = "00000099000000000043"            # active, never involved
SOCIOM = "00000099000000000063"         # excluded from the start (art. 23.2)
ACTIVE = (VEILIG_THUIS, LUMENS, FARENT, SHELTER, POLICE, KMAR, GGD)

SUBJECT_MARKER = "ps-SUBJECTMARKER"
MINUTES_MARKER = "MINUTESMARKER"


def rid() -> str:
    return f"req-{uuid.uuid4()}"


def bad_fields(err: grpc.RpcError) -> list[str]:
    status = rpc_status.from_call(err)
    bad = error_details_pb2.BadRequest()
    assert status.details and status.details[0].Unpack(bad), "no BadRequest details"
    return [v.field for v in bad.field_violations]


def precondition(err: grpc.RpcError) -> error_details_pb2.PreconditionFailure.Violation:
    assert err.code() == grpc.StatusCode.FAILED_PRECONDITION, (err.code(), err.details())
    status = rpc_status.from_call(err)
    pf = error_details_pb2.PreconditionFailure()
    assert status.details and status.details[0].Unpack(pf), "no PreconditionFailure details"
    return pf.violations[0]


def denial_reasons(err: grpc.RpcError) -> list[str]:
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED, (err.code(), err.details())
    status = rpc_status.from_call(err)
    info = error_details_pb2.ErrorInfo()
    assert status.details and status.details[0].Unpack(info)
    return [v for k, v in sorted(info.metadata.items()) if k.startswith("reason_")]


class Env:
    def __init__(self, app, keys: Keys, publisher: Publisher, logs: LogTee) -> None:
        self.app = app
        self.keys = keys
        self.pub = publisher
        self.logs = logs
        self.stub = pb_grpc.CaseworkServiceStub(channel(app))
        self.tables = app.definition.tables

    def md(self, party: str, role: str = "caseworker", person: str = "person-1") -> tuple:
        return self.keys.metadata(party, role, person)

    def director(self) -> tuple:
        return self.md(LUMENS, "process_director", "zorgcoordinator-1")

    def case_director(self) -> tuple:
        return self.md(FARENT, "case_director", "casusregisseur-1")

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

    def triage(self, case_id: str, routing: str = "case_meeting", event_id: str | None = None,
               **over) -> str:
        data = {"case_id": case_id, "subject_pseudonym": f"{SUBJECT_MARKER}-{case_id[-6:]}",
                "nominating_party": VEILIG_THUIS, "age_band": "16_plus", "routing": routing,
                "goal_code": "stabilise_and_protect", "themes": ["safety", "housing"],
                "decision_types": ["plan_of_approach"], "invitees": [SHELTER, POLICE],
                "process_director_party": LUMENS, "reason_code": "",
                "linked_case_ids": []}
        data.update(over)
        return self.pub.publish("intake", ev.CASE_TRIAGED, case_id, data, event_id)

    # -- reading the service's own database -------------------------------------------------
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

    # -- flows -------------------------------------------------------------------------------
    def open_case(self) -> str:
        case_id = f"case-{uuid.uuid4()}"
        self.triage(case_id)
        wait_for(lambda: self.count("cases", case_id=case_id) == 1, timeout=30)
        return case_id

    def schedule(self, case_id: str, invitees=(SHELTER, POLICE, FARENT), pre_read=(),
                 md=None) -> pb.Meeting:
        req = pb.ScheduleMeetingRequest(
            request_id=rid(), case_id=case_id, goal_code="stabilise_and_protect",
            decision_types=["plan_of_approach", "case_director"], themes=["safety", "housing"],
            invitees=[pb.Invitee(party=p, lawful_themes=["safety"]) for p in invitees],
            pre_read_item_ids=list(pre_read))
        req.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
        return self.stub.ScheduleMeeting(req, metadata=md or self.director()).meeting

    def hold(self, case_id: str, meeting_id: str, attendees=(SHELTER, POLICE, FARENT),
             minutes: str = f"{MINUTES_MARKER}: besproken") -> pb.Meeting:
        return self.stub.RecordMeeting(pb.RecordMeetingRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id,
            attendees=list(attendees), minutes=minutes), metadata=self.director()).meeting

    def meeting_held(self, case_id: str, invitees=(SHELTER, POLICE, FARENT)) -> str:
        m = self.schedule(case_id, invitees)
        self.hold(case_id, m.meeting_id, invitees)
        return m.meeting_id

    def roles(self, case_id: str, meeting_id: str, roles: dict) -> pb.SetRolesResponse:
        return self.stub.SetRoles(pb.SetRolesRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id,
            roles=[pb.PartyRole(party=p, role=r, information_need=n)
                   for p, (r, n) in roles.items()]), metadata=self.director())

    def plan_active(self, case_id: str, due: date | None = None) -> tuple[str, pb.AdoptPlanResponse]:
        meeting_id = self.meeting_held(case_id)
        self.stub.AppointDirector(pb.AppointDirectorRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id, party=FARENT,
            person="casusregisseur-1"), metadata=self.director())
        self.stub.SetDeescalationCriteria(pb.SetDeescalationCriteriaRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id,
            criteria=["safe_housing", "care_in_regular_system"]), metadata=self.director())
        due = due or (date.today() + timedelta(days=30))
        plan = self.stub.AdoptPlan(pb.AdoptPlanRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id, actions=[
                pb.NewAction(party=SHELTER, what="Opvangplek regelen", due_date=due.isoformat()),
                pb.NewAction(party=POLICE, what="Risicotaxatie", due_date=due.isoformat())]),
            metadata=self.director())
        return meeting_id, plan


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, broker, tmp_path_factory):
    """One casework per module and database; log output captured for the data scans."""
    from zorgtafel.kernel.logging import configure_logging

    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp("casework")
    keys = Keys(data_dir)
    logs = LogTee()
    configure_logging("DEBUG", stream=logs)
    publisher = Publisher(broker.bootstrap)
    try:
        with running_service("casework", data_dir, broker.bootstrap, url,
                             casework_retention_days=0.0) as app:
            e = Env(app, keys, publisher, logs)
            for party in ACTIVE:
                e.register_party(party)
            e.register_party(SOCIOM, "excluded")
            wait_for(lambda: all(e.party_status(p) == "active" for p in ACTIVE)
                     and e.party_status(SOCIOM) == "excluded", timeout=60)
            yield e
    finally:
        publisher.close()
        configure_logging("INFO")
