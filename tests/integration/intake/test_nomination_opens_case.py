"""Across services, through the real broker: a nomination made over gRPC, assessed, triaged and
routed to a case meeting in intake becomes an open case in casework (``case triaged`` ->
``case opened``), carrying the pseudonym and never the identity."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import grpc
import pytest

from tests.integration.intake.conftest import (
    ACTIVE,
    ASTEN,
    HELMOND,
    LUMENS,
    POLICE,
    judged,
    nominate_request,
    unique_bsn,
    unique_subject,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as cw
from zorgtafel.generated.casework.v1 import casework_pb2_grpc as cw_grpc
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.generated.intake.v1 import intake_pb2_grpc as pb_grpc
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import (
    Keys,
    Publisher,
    channel,
    denial_reasons,
    rid,
    running_service,
    wait_for,
)

pytestmark = pytest.mark.integration


def _appointed(app, party: str, person: str) -> bool:
    from sqlalchemy import select

    t = app.definition.tables["roster"]
    with app.engine.connect() as conn:
        row = conn.execute(
            select(t.c.held).where(
                t.c.function == "process_director", t.c.party == party, t.c.person == person
            )
        ).first()
    return bool(row and row.held)


def _projected(app, parties) -> bool:
    from sqlalchemy import select

    t = app.definition.tables["party_directory"]
    with app.engine.connect() as conn:
        known = {r.party_id for r in conn.execute(select(t.c.party_id))}
    return set(parties) <= known


def test_nomination_through_grpc_becomes_an_open_case_in_casework(broker, data_dir, database_url):
    keys = Keys(data_dir)
    director = keys.metadata(HELMOND, "process_director", "zorgcoordinator-1")
    publisher = Publisher(broker.bootstrap)
    try:
        with (
            running_service("casework", data_dir, broker.bootstrap, database_url) as case_app,
            running_service("intake", data_dir, broker.bootstrap, database_url) as intake,
        ):
            for party in ACTIVE:
                publisher.publish(
                    "governance",
                    ev.PARTY_REGISTERED,
                    party,
                    {
                        "party_id": party,
                        "name": f"party {party[-2:]}",
                        "kind": "care_provider",
                        "status": "active",
                        "status_since": "2026-01-01T00:00:00+00:00",
                    },
                )
            # The managers designated the process director (art. 11.2, 12.1; ADR 0005).
            publisher.publish(
                "governance",
                ev.ROSTER_CHANGED,
                HELMOND,
                {
                    "function": "process_director",
                    "party": HELMOND,
                    "person": "zorgcoordinator-1",
                    "held": True,
                    "changed_at": "2026-01-01T00:00:00+00:00",
                },
            )
            wait_for(
                lambda: (
                    _projected(intake, ACTIVE)
                    and _projected(case_app, ACTIVE)
                    and _appointed(intake, HELMOND, "zorgcoordinator-1")
                    and _appointed(case_app, HELMOND, "zorgcoordinator-1")
                ),
                timeout=60,
            )
            stub = pb_grpc.IntakeServiceStub(channel(intake))
            subject = unique_subject(bsn=unique_bsn())
            nominated = stub.Nominate(
                nominate_request(subject), metadata=keys.metadata(ASTEN, "caseworker")
            )
            case_id = nominated.case_id
            stub.Assess(
                pb.AssessRequest(
                    request_id=rid(),
                    case_id=case_id,
                    qualifies=True,
                    reasons="voldoet aan A, C en D",
                    nominating_party_consulted=True,
                    criteria=judged(),
                ),
                metadata=director,
            )
            start = pb.StartTriageRequest(
                request_id=rid(),
                case_id=case_id,
                asked_parties=[POLICE, LUMENS],
                themes=["safety"],
                question="Bekend?",
            )
            start.deadline.FromDatetime(datetime.now(timezone.utc) + timedelta(days=2))
            stub.StartTriage(start, metadata=director)
            for party in (POLICE, LUMENS):
                stub.AnswerTriage(
                    pb.AnswerTriageRequest(
                        request_id=rid(),
                        case_id=case_id,
                        answer=pb.TRIAGE_ANSWER_KIND_INVOLVED,
                        themes=["safety"],
                    ),
                    metadata=keys.metadata(party, "caseworker"),
                )
            stub.DecideRouting(
                pb.DecideRoutingRequest(
                    request_id=rid(),
                    case_id=case_id,
                    routing=pb.ROUTING_CASE_MEETING,
                    meeting=pb.CaseMeetingPlan(
                        goal_code="safe_housing",
                        goal="veilig wonen",
                        themes=["safety"],
                        decision_types=["plan_of_approach"],
                        invitees=[pb.Invitee(party=POLICE), pb.Invitee(party=LUMENS)],
                    ),
                ),
                metadata=director,
            )

            cases = cw_grpc.CaseworkServiceStub(channel(case_app))

            def opened():
                try:
                    return cases.GetCase(cw.GetCaseRequest(case_id=case_id), metadata=director).case
                except grpc.RpcError as err:
                    # Not opened yet: told as any case id casework holds no case for (8.4c).
                    if err.code() == grpc.StatusCode.PERMISSION_DENIED and denial_reasons(
                        err
                    ) == list(NotShared("case", "case_id").reasons):
                        return None
                    raise

            case = wait_for(opened, timeout=60)
            assert case.state == cw.CASE_STATE_OPEN
            pseudonym = stub.GetNomination(
                pb.GetNominationRequest(case_id=case_id), metadata=director
            ).nomination.subject_pseudonym
            assert nominated.subject_pseudonym == ""  # never told to the nominator
            assert case.subject_pseudonym == pseudonym
            assert case.nominating_party == ASTEN
            assert case.process_director_party == HELMOND
            assert case.age_band == "16_plus"
            wire = case.SerializeToString()
            for secret in (
                subject.family_name,
                subject.given_names,
                subject.date_of_birth,
                subject.bsn,
            ):
                assert secret.encode() not in wire
    finally:
        publisher.close()
