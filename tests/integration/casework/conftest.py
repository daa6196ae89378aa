"""Fixtures for the casework integration tests: one real casework service per database (SQLite
file, PostgreSQL schema) on the real broker, with the real embedded policy engine and a
retention period of 0 days (so a closed case may be purged at once). Intake's triage outcomes
and governance's party facts are published to that broker as contract-conformant CloudEvents,
as those services' relays would."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as pb_grpc
from zorgtafel.testing import Keys, LogTee, Publisher, ServiceEnv, rid, service_env, wait_for

# Parties of the covenant (services/governance/seed/parties.json).
VEILIG_THUIS = "00000099000000000066"  # nominates the case
LUMENS = "00000099000000000053"  # the process director's organisation (art. 11)
FARENT = "00000099000000000042"  # the case director's organisation (art. 13.1)
SHELTER = "00000099000000000051"  # Leger des Heils: shelter, needs identity and meetings
POLICE = "00000099000000000061"  # safety
KMAR = "00000099000000000049"  # Koninklijke Marechaussee: excluded mid-stream
GGD = "00000099000000000043"  # active, never involved
SOCIOM = "00000099000000000063"  # excluded from the start (art. 23.2)
ACTIVE = (VEILIG_THUIS, LUMENS, FARENT, SHELTER, POLICE, KMAR, GGD)

DIRECTOR_PERSON = "zorgcoordinator-1"  # designated by the managers (12.1), directs the cases
OTHER_DIRECTOR_PERSON = "zorgcoordinator-2"  # designated too, directs none of these (12.3)
DELEGATE = "person-1"  # each involved party's delegate in the case (16.1; env.md's default)

SUBJECT_MARKER = "ps-SUBJECTMARKER"
MINUTES_MARKER = "MINUTESMARKER"


class Env(ServiceEnv):
    def __init__(self, app, keys: Keys, publisher: Publisher, logs: LogTee | None = None) -> None:
        super().__init__(app, keys, publisher, logs, stub_class=pb_grpc.CaseworkServiceStub)

    def director(self) -> tuple:
        return self.md(LUMENS, "process_director", DIRECTOR_PERSON)

    def case_director(self) -> tuple:
        return self.md(FARENT, "case_director", "casusregisseur-1")

    # -- facts from other services -------------------------------------------------------
    def triage(
        self, case_id: str, routing: str = "case_meeting", event_id: str | None = None, **over
    ) -> str:
        data = {
            "case_id": case_id,
            "subject_pseudonym": f"{SUBJECT_MARKER}-{case_id[-6:]}",
            "nominating_party": VEILIG_THUIS,
            "age_band": "16_plus",
            "routing": routing,
            "goal_code": "stabilise_and_protect",
            "themes": ["safety", "housing"],
            "decision_types": ["plan_of_approach"],
            "invitees": [SHELTER, POLICE],
            "process_director_party": LUMENS,
            "process_director_person": DIRECTOR_PERSON,
            "reason_code": "",
            "linked_case_ids": [],
        }
        data.update(over)
        return self.pub.publish("intake", ev.CASE_TRIAGED, case_id, data, event_id)

    # -- flows -------------------------------------------------------------------------------
    def open_case(self, delegates=(SHELTER, POLICE)) -> str:
        """A case from triage (SHELTER and POLICE invited), each of ``delegates`` naming its
        person ``DELEGATE`` (within a party only delegates see the case, Bijlage 3)."""
        case_id = f"case-{uuid.uuid4()}"
        self.triage(case_id)
        wait_for(lambda: self.count("cases", case_id=case_id) == 1, timeout=30)
        for party in delegates:
            self.delegate(case_id, party)
        return case_id

    def delegate(self, case_id: str, party: str, person: str = DELEGATE) -> pb.NameDelegateResponse:
        """The case's process director names ``person`` the delegate of ``party`` (12.2e,
        10.1); a person without a part cannot name itself (Bijlage 3)."""
        return self.stub.NameDelegate(
            pb.NameDelegateRequest(request_id=rid(), case_id=case_id, person=person, party=party),
            metadata=self.md(LUMENS, "process_director", DIRECTOR_PERSON),
        )

    def schedule(
        self, case_id: str, invitees=(SHELTER, POLICE, FARENT), pre_read=(), md=None
    ) -> pb.Meeting:
        req = pb.ScheduleMeetingRequest(
            request_id=rid(),
            case_id=case_id,
            goal_code="stabilise_and_protect",
            decision_types=["plan_of_approach", "case_director"],
            themes=["safety", "housing"],
            invitees=[pb.Invitee(party=p, lawful_themes=["safety"]) for p in invitees],
            pre_read_item_ids=list(pre_read),
        )
        req.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
        meeting = self.stub.ScheduleMeeting(req, metadata=md or self.director()).meeting
        # Invited, each party names its delegate (a party that already did: no change).
        for party in invitees:
            self.delegate(case_id, party)
        return meeting

    def hold(
        self,
        case_id: str,
        meeting_id: str,
        attendees=(SHELTER, POLICE, FARENT),
        minutes: str = f"{MINUTES_MARKER}: besproken",
    ) -> pb.Meeting:
        return self.stub.RecordMeeting(
            pb.RecordMeetingRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                attendees=list(attendees),
                minutes=minutes,
            ),
            metadata=self.director(),
        ).meeting

    def meeting_held(self, case_id: str, invitees=(SHELTER, POLICE, FARENT)) -> str:
        m = self.schedule(case_id, invitees)
        self.hold(case_id, m.meeting_id, invitees)
        return m.meeting_id

    def roles(self, case_id: str, meeting_id: str, roles: dict) -> pb.SetRolesResponse:
        return self.stub.SetRoles(
            pb.SetRolesRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                roles=[
                    pb.PartyRole(party=p, role=r, information_need=n) for p, (r, n) in roles.items()
                ],
            ),
            metadata=self.director(),
        )

    def escalate(
        self, case_id: str, reason: int = pb.ESCALATION_REASON_BREAKTHROUGH_NEEDED
    ) -> pb.EscalateResponse:
        """The process director escalates the case to Zorg- en Veiligheidshuis Brabant
        Zuidoost."""
        return self.stub.Escalate(
            pb.EscalateRequest(
                request_id=rid(),
                case_id=case_id,
                zvh=pb.ZVH_BRABANT_ZUIDOOST,
                reason=reason,
            ),
            metadata=self.director(),
        )

    def plan_active(
        self, case_id: str, due: date | None = None
    ) -> tuple[str, pb.AdoptPlanResponse]:
        meeting_id = self.meeting_held(case_id)
        self.stub.AppointDirector(
            pb.AppointDirectorRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                party=FARENT,
                person="casusregisseur-1",
            ),
            metadata=self.director(),
        )
        self.stub.SetDeescalationCriteria(
            pb.SetDeescalationCriteriaRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                criteria=["safe_housing", "care_in_regular_system"],
            ),
            metadata=self.director(),
        )
        due = due or (date.today() + timedelta(days=30))
        plan = self.stub.AdoptPlan(
            pb.AdoptPlanRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                actions=[
                    pb.NewAction(
                        party=SHELTER, what="Opvangplek regelen", due_date=due.isoformat()
                    ),
                    pb.NewAction(party=POLICE, what="Risicotaxatie", due_date=due.isoformat()),
                ],
            ),
            metadata=self.director(),
        )
        return meeting_id, plan


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def env(request, broker, tmp_path_factory):
    """One casework per module and database; log output captured for the data scans."""
    url = "" if request.param == "sqlite" else request.getfixturevalue("pg_url")
    data_dir = tmp_path_factory.mktemp("casework")
    with service_env(
        "casework",
        Env,
        broker.bootstrap,
        data_dir,
        url,
        capture_logs=True,
        casework_retention_days=0.0,
    ) as e:
        e.register_parties(ACTIVE, (SOCIOM,))
        for person in (DIRECTOR_PERSON, OTHER_DIRECTOR_PERSON):
            e.appoint(LUMENS, person)  # the managers designated them (12.1)
        yield e
