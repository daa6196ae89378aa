"""Casework through its real gRPC API, on a real broker and database, with the real policy
engine: the case opened from intake's triage, the meeting and its decisions (8.4), monitoring
(13.2-13.3), de-escalation with cleansing and purge (1.2), escalation (Bijlage 2), and the
refusals (FAILED_PRECONDITION naming the state, PERMISSION_DENIED with the policy's reasons)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import grpc
import pytest
from sqlalchemy import select

from tests.integration.casework.conftest import (
    DELEGATE,
    DIRECTOR_PERSON,
    FARENT,
    GGD,
    LUMENS,
    MINUTES_MARKER,
    OTHER_DIRECTOR_PERSON,
    POLICE,
    SHELTER,
    SOCIOM,
    SUBJECT_MARKER,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import bad_fields, denial_reasons, precondition, rid, wait_for

pytestmark = pytest.mark.integration


# -- 1. the case opens from intake's triage -------------------------------------------------
def test_case_routed_to_a_case_meeting_opens_once_even_when_the_event_comes_twice(env):
    case_id = f"case-{uuid.uuid4()}"
    event_id = env.triage(case_id)
    wait_for(lambda: env.count("cases", case_id=case_id) == 1, timeout=30)
    env.triage(case_id, event_id=event_id)  # the same event redelivered
    env.triage(case_id)  # a second event about the same case
    wait_for(lambda: env.count("processed_events", case_id=case_id) == 2, timeout=30)
    assert env.count("cases", case_id=case_id) == 1
    opened = env.events(case_id, ev.CASE_OPENED)
    assert len(opened) == 1
    assert opened[0]["process_director_party"] == LUMENS
    assert opened[0]["process_director_person"] == DIRECTOR_PERSON
    assert opened[0]["invitees"] == [SHELTER, POLICE]
    case = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director()).case
    assert case.state == pb.CASE_STATE_OPEN
    assert case.subject_pseudonym.startswith(SUBJECT_MARKER)
    assert case.process_director_person == DIRECTOR_PERSON


def test_case_routed_to_regular_care_is_not_a_zorgtafel_case(env):
    regular, opened = f"case-{uuid.uuid4()}", f"case-{uuid.uuid4()}"
    env.triage(regular, routing="regular_care")
    env.triage(opened)
    wait_for(lambda: env.count("cases", case_id=opened) == 1, timeout=30)
    wait_for(lambda: env.count("processed_events", case_id=regular) == 1, timeout=30)
    assert env.count("cases", case_id=regular) == 0


def test_subject_pseudonym_is_encrypted_at_rest(env):
    case_id = env.open_case()
    (row,) = env.rows("cases", case_id=case_id)
    assert SUBJECT_MARKER.encode() not in row["subject_pseudonym_sealed"]


# -- 2-5. the whole life cycle through gRPC --------------------------------------------------
def test_case_walks_from_open_to_purged_through_meetings_plan_and_deescalation(env):
    case_id = env.open_case()
    meeting = env.schedule(case_id)
    assert meeting.status == pb.MEETING_STATUS_SCHEDULED
    assert set(meeting.invitees) == {SHELTER, POLICE, FARENT}

    def state() -> int:
        return env.stub.GetCase(
            pb.GetCaseRequest(case_id=case_id), metadata=env.director()
        ).case.state

    assert state() == pb.CASE_STATE_MEETING_PLANNED

    held = env.hold(case_id, meeting.meeting_id)
    assert held.status == pb.MEETING_STATUS_HELD and set(held.attendees) == {
        SHELTER,
        POLICE,
        FARENT,
    }
    # 9.2: the minutes are not public: sealed at rest, never in an event, read by attendees.
    (row,) = env.rows("meetings", meeting_id=meeting.meeting_id)
    assert MINUTES_MARKER.encode() not in row["minutes_sealed"]
    assert all(MINUTES_MARKER not in r["data"] for r in env.rows("outbox"))
    minutes = env.stub.GetMinutes(
        pb.GetMinutesRequest(case_id=case_id, meeting_id=meeting.meeting_id),
        metadata=env.md(SHELTER),
    )
    assert minutes.minutes.startswith(MINUTES_MARKER)

    env.stub.AppointDirector(
        pb.AppointDirectorRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            party=FARENT,
            person="casusregisseur-1",
        ),
        metadata=env.director(),
    )
    roles = env.roles(
        case_id,
        meeting.meeting_id,
        {
            SHELTER: ("shelter", ["identity", "case_meetings"]),
            POLICE: ("safety", ["safety"]),
            FARENT: ("care", ["plan_of_approach"]),
        },
    )
    assert [r.party for r in roles.roles] == sorted([SHELTER, POLICE, FARENT])
    (roles_event,) = env.events(case_id, ev.ROLES_SET)
    assert roles_event["roles"][POLICE] == {"role": "safety", "information_need": ["safety"]}
    env.stub.SetDeescalationCriteria(
        pb.SetDeescalationCriteriaRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            criteria=["safe_housing", "care_in_regular_system"],
        ),
        metadata=env.director(),
    )
    due = (date.today() - timedelta(days=3)).isoformat()  # already overdue
    plan = env.stub.AdoptPlan(
        pb.AdoptPlanRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            actions=[
                pb.NewAction(party=SHELTER, what="Opvangplek regelen", due_date=due),
                pb.NewAction(party=POLICE, what="Risicotaxatie", due_date=due),
            ],
        ),
        metadata=env.case_director(),
    )
    assert plan.plan_version == 1 and len(plan.actions) == 2
    assert state() == pb.CASE_STATE_PLAN_ACTIVE

    # 13.2-13.3, 12.2g: overdue actions flagged to the case and process directors.
    overdue = env.stub.ListOverdueActions(
        pb.ListOverdueActionsRequest(case_id=case_id), metadata=env.case_director()
    ).actions
    assert {o.party for o in overdue} == {SHELTER, POLICE}
    assert all(o.days_overdue == 3 and set(o.flagged_to) == {FARENT, LUMENS} for o in overdue)
    shelter_action = next(a for a in plan.actions if a.party == SHELTER)
    done = env.stub.UpdateAction(
        pb.UpdateActionRequest(
            request_id=rid(),
            case_id=case_id,
            action_id=shelter_action.action_id,
            status=pb.ACTION_STATUS_DONE,
            progress_note="Plek gevonden",
        ),
        metadata=env.md(SHELTER),
    )
    assert done.action.status == pb.ACTION_STATUS_DONE
    overdue = env.stub.ListOverdueActions(
        pb.ListOverdueActionsRequest(), metadata=env.director()
    ).actions
    assert [o.party for o in overdue if o.case_id == case_id] == [POLICE]

    # 8.4d: de-escalation only once every criterion is met.
    with pytest.raises(grpc.RpcError) as err:
        env.stub.Deescalate(
            pb.DeescalateRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting.meeting_id,
                criteria_met=["safe_housing"],
            ),
            metadata=env.director(),
        )
    v = precondition(err.value)
    assert "plan_active" in v.description and "care_in_regular_system" in v.description
    reply = env.stub.Deescalate(
        pb.DeescalateRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            criteria_met=["safe_housing", "care_in_regular_system"],
        ),
        metadata=env.director(),
    )
    assert reply.state == pb.CASE_STATE_DEESCALATING

    # 1.2: cleansing of everything no longer necessary, then closed.
    closed = env.stub.CloseCase(
        pb.CloseCaseRequest(request_id=rid(), case_id=case_id), metadata=env.director()
    )
    assert closed.state == pb.CASE_STATE_CLOSED and closed.outcome == "successful"
    assert set(closed.kept) == {"criteria", "timeline"}
    assert {"minutes", "plan", "roles", "attendance", "pre_read"} <= set(closed.cleansed)
    assert env.count("plan_actions", case_id=case_id) == 0
    assert env.count("case_roles", case_id=case_id) == 0
    (row,) = env.rows("meetings", meeting_id=meeting.meeting_id)
    assert row["minutes_sealed"] is None and row["attendees"] == []
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetMinutes(
            pb.GetMinutesRequest(case_id=case_id, meeting_id=meeting.meeting_id),
            metadata=env.director(),
        )
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    types = [e["_type"] for e in env.events(case_id)]
    for t in (
        ev.CASE_OPENED,
        ev.MEETING_SCHEDULED,
        ev.MEETING_HELD,
        ev.DIRECTOR_APPOINTED,
        ev.ROLES_SET,
        ev.CRITERIA_SET,
        ev.PLAN_ADOPTED,
        ev.ACTION_UPDATED,
        ev.CASE_DEESCALATED,
        ev.CASE_CLOSED,
    ):
        assert t in types, t


def test_purge_leaves_no_row_of_the_case_and_tells_every_service(env):
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.escalate(case_id, pb.ESCALATION_REASON_CARE_AND_SAFETY_EDGE)
    env.stub.Deescalate(
        pb.DeescalateRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            criteria_met=["safe_housing", "care_in_regular_system"],
        ),
        metadata=env.director(),
    )
    env.stub.CloseCase(
        pb.CloseCaseRequest(request_id=rid(), case_id=case_id), metadata=env.director()
    )
    stats_before = env.count("case_statistics")
    wait_for(lambda: env.app.relay.pending_count() == 0, timeout=30)

    purge_req = pb.PurgeRequest(request_id=rid(), case_id=case_id)
    reply = env.stub.Purge(purge_req, metadata=env.director())
    assert reply.state == pb.CASE_STATE_PURGED
    assert env.stub.Purge(purge_req, metadata=env.director()).state == pb.CASE_STATE_PURGED

    # No row of any casework table holds the case or its subject, except the purge event
    # itself (the only way the other services learn to delete their copies).
    subject = f"{SUBJECT_MARKER}-{case_id[-6:]}"
    for name, table in env.tables.items():
        with env.app.engine.connect() as conn:
            for row in conn.execute(select(table)).mappings():
                text = " ".join(str(v) for v in row.values())
                assert subject not in text, name
                assert MINUTES_MARKER not in text, name
                if name in ("outbox",) and case_id in text:
                    assert row["type"] == ev.CASE_PURGED, row["type"]
                elif name not in ("purged_cases", "forgotten_cases", "command_results"):
                    assert case_id not in text, (name, row)
    assert env.count("case_keys", case_id=case_id) == 0
    # Processed event ids stay, unlinked from the case: a redelivery cannot revive it.
    assert env.count("processed_events", case_id=case_id) == 0
    assert env.count("processed_events") >= 1
    (purged,) = env.events(case_id)
    assert purged == {"case_id": case_id, "_type": ev.CASE_PURGED}
    # Only the minimal, non-identifying statistic survives (11.3d).
    assert env.count("case_statistics") == stats_before + 1
    stat = max(env.rows("case_statistics"), key=lambda r: r["id"])
    assert (stat["outcome"], stat["escalated"], stat["year"]) == (
        "escalated",
        True,
        date.today().year,
    )
    assert subject not in env.logs.text() and MINUTES_MARKER not in env.logs.text()
    # Nothing of it can be read or revived: nothing of it is kept, not even who had a part, so
    # its process director is told what anyone is told of an id never given out (8.4c).
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director())
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert denial_reasons(err.value) == list(NotShared("case", "case_id").reasons)
    seen = env.count("processed_events")
    env.triage(case_id)  # a late 'triaged' event for the purged case
    wait_for(lambda: env.count("processed_events") > seen, timeout=30)
    assert env.count("cases", case_id=case_id) == 0
    assert env.count("processed_events", case_id=case_id) == 0  # not linked to it again


# -- refusals ---------------------------------------------------------------------------------
def test_every_refused_transition_names_the_state(env):
    case_id = env.open_case()
    d = env.director()
    call = lambda rpc, req, md=d: getattr(env.stub, rpc)(req, metadata=md)  # noqa: E731

    def refused(rpc, req, state):
        with pytest.raises(grpc.RpcError) as err:
            call(rpc, req)
        v = precondition(err.value)
        assert v.description.endswith(f"(state: {state})"), v.description
        return v

    refused(
        "Deescalate",
        pb.DeescalateRequest(
            request_id=rid(), case_id=case_id, meeting_id="m-1", criteria_met=["x"]
        ),
        "open",
    )
    refused("CloseCase", pb.CloseCaseRequest(request_id=rid(), case_id=case_id), "open")
    refused("Purge", pb.PurgeRequest(request_id=rid(), case_id=case_id), "open")
    refused(
        "AppointDirector",
        pb.AppointDirectorRequest(
            request_id=rid(), case_id=case_id, meeting_id="m-1", party=FARENT, person="x"
        ),
        "open",
    )
    meeting = env.schedule(case_id)
    # A decision needs a held meeting (8.4).
    refused(
        "AppointDirector",
        pb.AppointDirectorRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting.meeting_id,
            party=FARENT,
            person="x",
        ),
        "scheduled",
    )
    env.hold(case_id, meeting.meeting_id)
    with pytest.raises(grpc.RpcError) as err:
        env.hold(case_id, meeting.meeting_id)
    assert precondition(err.value).description.endswith("(state: held)")
    refused(
        "Deescalate",
        pb.DeescalateRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting.meeting_id, criteria_met=["x"]
        ),
        "meeting_planned",
    )
    env.stub.Escalate(
        pb.EscalateRequest(
            request_id=rid(),
            case_id=case_id,
            zvh=pb.ZVH_BRABANT_NOORDOOST,
            reason=pb.ESCALATION_REASON_BREAKTHROUGH_NEEDED,
        ),
        metadata=d,
    )
    refused(
        "Escalate",
        pb.EscalateRequest(
            request_id=rid(),
            case_id=case_id,
            zvh=pb.ZVH_BRABANT_ZUIDOOST,
            reason=pb.ESCALATION_REASON_BREAKTHROUGH_NEEDED,
        ),
        "escalated",
    )


def test_closed_case_refuses_meetings_decisions_and_escalation(env):
    case_id = env.open_case()
    meeting_id, plan = env.plan_active(case_id)
    env.stub.Deescalate(
        pb.DeescalateRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            criteria_met=["safe_housing", "care_in_regular_system"],
        ),
        metadata=env.director(),
    )
    with pytest.raises(grpc.RpcError) as err:
        env.schedule(case_id)
    assert precondition(err.value).description.endswith("(state: deescalating)")
    env.stub.CloseCase(
        pb.CloseCaseRequest(request_id=rid(), case_id=case_id), metadata=env.director()
    )
    for rpc, req in [
        ("ScheduleMeeting", None),
        (
            "Escalate",
            pb.EscalateRequest(
                request_id=rid(),
                case_id=case_id,
                zvh=pb.ZVH_BRABANT_ZUIDOOST,
                reason=pb.ESCALATION_REASON_BREAKTHROUGH_NEEDED,
            ),
        ),
        (
            "SetRoles",
            pb.SetRolesRequest(
                request_id=rid(),
                case_id=case_id,
                meeting_id=meeting_id,
                roles=[pb.PartyRole(party=SHELTER, role="shelter")],
            ),
        ),
        ("CloseCase", pb.CloseCaseRequest(request_id=rid(), case_id=case_id)),
    ]:
        with pytest.raises(grpc.RpcError) as err:
            if req is None:
                env.schedule(case_id)
            else:
                getattr(env.stub, rpc)(req, metadata=env.director())
        assert precondition(err.value).description.endswith("(state: closed)"), rpc


def test_invitee_the_invite_policy_refuses_is_not_invited(env):
    case_id = env.open_case()
    req = pb.ScheduleMeetingRequest(
        request_id=rid(),
        case_id=case_id,
        goal_code="stabilise",
        decision_types=["plan"],
        themes=["safety"],
        invitees=[
            pb.Invitee(party=SHELTER, lawful_themes=["safety"]),
            pb.Invitee(party=SOCIOM, lawful_themes=["safety"]),
            pb.Invitee(party=GGD, lawful_themes=["health"]),
        ],
    )
    req.scheduled_for.GetCurrentTime()
    with pytest.raises(grpc.RpcError) as err:
        env.stub.ScheduleMeeting(req, metadata=env.director())
    reasons = " ".join(denial_reasons(err.value))
    assert "art. 23.2" in reasons and "no legal basis" in reasons
    assert env.count("meetings", case_id=case_id) == 0
    assert env.events(case_id, ev.MEETING_SCHEDULED) == []


def test_only_the_process_director_of_the_case_acts_on_it(env):
    case_id = env.open_case()
    other_director = env.md(GGD, "process_director", "pd-2")
    with pytest.raises(grpc.RpcError) as err:
        env.schedule(case_id, md=other_director)
    # GGD has no part in the case: told what an unknown case id is told (8.4c).
    assert denial_reasons(err.value) == list(NotShared("case", "case_id").reasons)
    # 12.3: a designated process director of the same party directs other cases, not this one.
    with pytest.raises(grpc.RpcError) as err:
        env.schedule(case_id, md=env.md(LUMENS, "process_director", OTHER_DIRECTOR_PERSON))
    assert any("art. 12.3" in r for r in denial_reasons(err.value))
    # The method table refuses a caseworker before the case is even looked at.
    with pytest.raises(grpc.RpcError) as err:
        env.schedule(case_id, md=env.md(LUMENS, "caseworker"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_party_may_not_update_another_partys_action(env):
    case_id = env.open_case()
    _meeting_id, plan = env.plan_active(case_id)
    police_action = next(a for a in plan.actions if a.party == POLICE)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.UpdateAction(
            pb.UpdateActionRequest(
                request_id=rid(),
                case_id=case_id,
                action_id=police_action.action_id,
                status=pb.ACTION_STATUS_DONE,
            ),
            metadata=env.md(SHELTER),
        )
    assert any("art. 8.5" in r for r in denial_reasons(err.value))
    ok = env.stub.UpdateAction(
        pb.UpdateActionRequest(
            request_id=rid(),
            case_id=case_id,
            action_id=police_action.action_id,
            status=pb.ACTION_STATUS_IN_PROGRESS,
        ),
        metadata=env.case_director(),
    )
    assert ok.action.status == pb.ACTION_STATUS_IN_PROGRESS


def test_minutes_are_read_only_by_attendees_and_the_process_director(env):
    case_id = env.open_case()
    meeting = env.schedule(case_id)
    env.hold(case_id, meeting.meeting_id, attendees=(SHELTER,))
    req = pb.GetMinutesRequest(case_id=case_id, meeting_id=meeting.meeting_id)
    assert env.stub.GetMinutes(req, metadata=env.director()).minutes.startswith(MINUTES_MARKER)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetMinutes(req, metadata=env.md(POLICE))  # invited, did not attend
    assert any("art. 9.2" in r for r in denial_reasons(err.value))


def test_repeated_request_id_applies_once_and_returns_the_same_answer(env):
    case_id = env.open_case()
    req = pb.ScheduleMeetingRequest(
        request_id=rid(),
        case_id=case_id,
        goal_code="stabilise",
        decision_types=["plan"],
        themes=["safety"],
        invitees=[pb.Invitee(party=SHELTER, lawful_themes=["safety"])],
    )
    req.scheduled_for.GetCurrentTime()
    first = env.stub.ScheduleMeeting(req, metadata=env.director())
    again = env.stub.ScheduleMeeting(req, metadata=env.director())
    assert first.meeting.meeting_id == again.meeting.meeting_id
    assert env.count("meetings", case_id=case_id) == 1
    assert len(env.events(case_id, ev.MEETING_SCHEDULED)) == 1


def test_malformed_requests_are_invalid_argument_naming_the_field(env):
    case_id = env.open_case()
    req = pb.ScheduleMeetingRequest(
        request_id=rid(),
        case_id=case_id,
        goal_code="Not a code!",
        decision_types=["plan"],
        themes=["safety"],
        invitees=[pb.Invitee(party=SHELTER)],
    )
    req.scheduled_for.GetCurrentTime()
    with pytest.raises(grpc.RpcError) as err:
        env.stub.ScheduleMeeting(req, metadata=env.director())
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert bad_fields(err.value) == ["goal_code"]
    with pytest.raises(grpc.RpcError) as err:
        env.stub.Escalate(
            pb.EscalateRequest(
                request_id=rid(),
                case_id=case_id,
                zvh=99,
                reason=pb.ESCALATION_REASON_BREAKTHROUGH_NEEDED,
            ),
            metadata=env.director(),
        )
    assert bad_fields(err.value) == ["zvh"]
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(
            pb.GetCaseRequest(case_id="'; DROP TABLE cases; --"), metadata=env.director()
        )
    assert bad_fields(err.value) == ["case_id"]
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id="no-such-case"), metadata=env.director())
    # As a case the caller has no part in: an id is no oracle of what exists (8.4c).
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert denial_reasons(err.value) == list(NotShared("case", "case_id").reasons)


# -- 2. the pre-read set (12.2f) ---------------------------------------------------------------
def test_pre_read_fails_closed_when_the_disclosure_service_is_not_reachable(env):
    case_id = env.open_case()
    meeting = env.schedule(case_id, pre_read=["item-1", "item-2"])
    assert list(meeting.pre_read_item_ids) == ["item-1", "item-2"]
    req = pb.GetPreReadSetRequest(case_id=case_id, meeting_id=meeting.meeting_id)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetPreReadSet(req, metadata=env.md(SHELTER))
    assert err.value.code() == grpc.StatusCode.UNAVAILABLE
    # Only invitees read before the meeting (checked before disclosure is even asked); GGD has
    # no part in the case, so it is told what an unknown case id is told (8.4c).
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetPreReadSet(req, metadata=env.md(GGD))
    assert denial_reasons(err.value) == list(NotShared("case", "case_id").reasons)


# -- the case director (8.4a, 13.1): optional, a named person of an involved, active party ----
def _appoint(env, case_id: str, meeting_id: str, party: str, person: str = "casusregisseur-1"):
    return env.stub.AppointDirector(
        pb.AppointDirectorRequest(
            request_id=rid(), case_id=case_id, meeting_id=meeting_id, party=party, person=person
        ),
        metadata=env.director(),
    )


def test_case_director_from_a_party_never_invited_is_refused_citing_13_1(env):
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id)
    with pytest.raises(grpc.RpcError) as err:
        _appoint(env, case_id, meeting_id, GGD)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert any("art. 13.1" in r and "not involved" in r for r in denial_reasons(err.value))
    assert env.events(case_id, ev.DIRECTOR_APPOINTED) == []


def test_case_director_from_an_oin_that_is_not_a_party_is_refused_citing_13_1(env):
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id)
    with pytest.raises(grpc.RpcError) as err:
        _appoint(env, case_id, meeting_id, "00000099000000000777")
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert any("art. 13.1" in r and "not a party" in r for r in denial_reasons(err.value))


def test_case_director_needs_a_named_person(env):
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id)
    with pytest.raises(grpc.RpcError) as err:
        _appoint(env, case_id, meeting_id, FARENT, person="")
    assert bad_fields(err.value) == ["person"]


def test_plan_is_adopted_without_a_case_director(env):
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id)
    plan = env.stub.AdoptPlan(
        pb.AdoptPlanRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            actions=[pb.NewAction(party=SHELTER, what="Opvangplek", due_date="2030-01-01")],
        ),
        metadata=env.director(),
    )
    assert plan.plan_version == 1
    case = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director()).case
    assert case.state == pb.CASE_STATE_PLAN_ACTIVE and case.case_director_person == ""


def test_only_the_named_case_director_acts_as_case_director(env):
    case_id = env.open_case()
    env.plan_active(case_id)  # FARENT's casusregisseur-1 appointed
    colleague = env.md(FARENT, "case_director", "casusregisseur-2")
    req = pb.ListOverdueActionsRequest(case_id=case_id)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.ListOverdueActions(req, metadata=colleague)
    assert any("art. 13.1" in r for r in denial_reasons(err.value))
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=colleague)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert env.stub.ListOverdueActions(req, metadata=env.case_director()).actions == []
    # Without a case id: only the cases the caller directs in person (none for the colleague).
    everything = pb.ListOverdueActionsRequest()
    assert env.stub.ListOverdueActions(everything, metadata=colleague).actions == []


# -- delegates (16.1, 10.1) ------------------------------------------------------------------
def test_party_names_and_releases_its_delegate_who_then_sees_nothing(env):
    case_id = env.open_case(delegates=())
    env.delegate(case_id, SHELTER, "opvang-1")  # the process director names the first
    first = env.md(SHELTER, "caseworker", "opvang-1")
    # A delegate of the party names a colleague (party empty: its own).
    named = env.stub.NameDelegate(
        pb.NameDelegateRequest(request_id=rid(), case_id=case_id, person="opvang-7"),
        metadata=first,
    )
    assert (named.party, named.person) == (SHELTER, "opvang-7")
    named_events = env.events(case_id, ev.DELEGATE_NAMED)
    assert [{k: v for k, v in e.items() if k != "changed_at"} for e in named_events] == [
        {"case_id": case_id, "party": SHELTER, "person": p, "_type": ev.DELEGATE_NAMED}
        for p in ("opvang-1", "opvang-7")
    ]
    assert all(e["changed_at"] for e in named_events)  # when casework decided it
    md = env.md(SHELTER, "caseworker", "opvang-7")
    status = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director()).case
    assert sorted((d.party, d.person) for d in status.delegates) == [
        (SHELTER, "opvang-1"),
        (SHELTER, "opvang-7"),
    ]
    released = env.stub.ReleaseDelegate(
        pb.ReleaseDelegateRequest(request_id=rid(), case_id=case_id, person="opvang-7"),
        metadata=first,
    )
    assert released.person == "opvang-7"
    assert len(env.events(case_id, ev.DELEGATE_RELEASED)) == 1
    env.roles(
        case_id,
        env.meeting_held(case_id, invitees=(SHELTER,)),
        {SHELTER: ("shelter", ["identity"])},
    )
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=md)
    assert any("no part in the case" in r for r in denial_reasons(err.value))
    with pytest.raises(grpc.RpcError) as err:  # released already: nothing to release
        env.stub.ReleaseDelegate(
            pb.ReleaseDelegateRequest(request_id=rid(), case_id=case_id, person="opvang-7"),
            metadata=first,
        )
    assert err.value.code() == grpc.StatusCode.NOT_FOUND


def test_colleague_without_a_part_cannot_name_itself_a_delegate(env):
    case_id = env.open_case()  # SHELTER and POLICE named DELEGATE by the process director
    colleague = env.md(SHELTER, "caseworker", "opvang-9")
    for req in (
        pb.NameDelegateRequest(request_id=rid(), case_id=case_id, person="opvang-9"),
        pb.NameDelegateRequest(request_id=rid(), case_id=case_id, person="opvang-9", party=SHELTER),
    ):
        with pytest.raises(grpc.RpcError) as err:
            env.stub.NameDelegate(req, metadata=colleague)
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        reasons = denial_reasons(err.value)
        assert any("cannot name itself" in r and "Bijlage 3" in r for r in reasons)
    # Nor does it release the party's delegate, nor a delegate of another party name for it.
    with pytest.raises(grpc.RpcError) as err:
        env.stub.ReleaseDelegate(
            pb.ReleaseDelegateRequest(request_id=rid(), case_id=case_id, person=DELEGATE),
            metadata=colleague,
        )
    assert any("Bijlage 3" in r for r in denial_reasons(err.value))
    with pytest.raises(grpc.RpcError) as err:
        env.stub.NameDelegate(
            pb.NameDelegateRequest(
                request_id=rid(), case_id=case_id, person="opvang-9", party=SHELTER
            ),
            metadata=env.md(POLICE, "caseworker", DELEGATE),
        )
    assert any("Bijlage 3" in r for r in denial_reasons(err.value))
    # Nothing changed, and the colleague still sees nothing of the case.
    status = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director()).case
    assert sorted((d.party, d.person) for d in status.delegates) == sorted(
        [(SHELTER, DELEGATE), (POLICE, DELEGATE)]
    )
    assert "opvang-9" not in {e["person"] for e in env.events(case_id, ev.DELEGATE_NAMED)}
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=colleague)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_uninvolved_party_may_not_name_a_delegate(env):
    case_id = env.open_case()
    with pytest.raises(grpc.RpcError) as err:
        env.delegate(case_id, GGD)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    assert any("not involved" in r and "art. 16.1" in r for r in denial_reasons(err.value))
    assert GGD not in {e["party"] for e in env.events(case_id, ev.DELEGATE_NAMED)}


def test_a_case_whose_process_director_left_is_taken_over_by_a_designated_one(env):
    """12.3 over the broker and gRPC: governance ends the designation of the person who
    directs a case (RosterChanged, held false); casework takes that person off it (disclosure
    and governance are told), the one who left acts on nothing, and the designated process
    director who schedules its meeting takes it over and directs it alone from then on."""
    leaving = f"zorgcoordinator-leaving-{rid()[:8]}"
    env.appoint(LUMENS, leaving)
    case_id = f"case-{uuid.uuid4()}"
    env.triage(case_id, process_director_person=leaving)
    wait_for(lambda: env.count("cases", case_id=case_id) == 1, timeout=30)
    env.appoint(LUMENS, leaving, held=False)  # applied, and so is what follows from it
    (left,) = env.events(case_id, ev.PROCESS_DIRECTOR_CHANGED)
    assert (left["party"], left["person"]) == (LUMENS, "")

    def schedule(md) -> pb.Meeting:
        req = pb.ScheduleMeetingRequest(
            request_id=rid(),
            case_id=case_id,
            goal_code="stabilise_and_protect",
            decision_types=["plan_of_approach"],
            themes=["safety"],
            invitees=[pb.Invitee(party=SHELTER, lawful_themes=["safety"])],
        )
        req.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
        return env.stub.ScheduleMeeting(req, metadata=md).meeting

    with pytest.raises(grpc.RpcError) as err:
        schedule(env.md(LUMENS, "process_director", leaving))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    taking_over = env.md(LUMENS, "process_director", OTHER_DIRECTOR_PERSON)
    assert schedule(taking_over).meeting_id
    _, taken = env.events(case_id, ev.PROCESS_DIRECTOR_CHANGED)
    assert (taken["party"], taken["person"]) == (LUMENS, OTHER_DIRECTOR_PERSON)
    got = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=taking_over)
    assert got.case.process_director_person == OTHER_DIRECTOR_PERSON
    with pytest.raises(grpc.RpcError) as err:
        schedule(env.director())  # designated, but the case is directed again: no hijack
    assert any("art. 12.3" in r for r in denial_reasons(err.value))


def test_a_designated_process_director_lists_the_cases_awaiting_one_over_grpc(env):
    """12.3 over the broker and gRPC: the cases whose process director's designation ended are
    listed, paged by case id, to a designated process director of another active party (their
    ids, the party kept for and since when), until one takes it over; a token's role without
    the designation, a manager and a case director are refused with the policy's reasons."""
    left = []
    for _ in range(2):
        leaving = f"zorgcoordinator-leaving-{rid()[:8]}"
        env.appoint(LUMENS, leaving)
        case_id = f"case-{uuid.uuid4()}"
        env.triage(case_id, process_director_person=leaving)
        wait_for(lambda case_id=case_id: env.count("cases", case_id=case_id) == 1, timeout=30)
        env.appoint(LUMENS, leaving, held=False)
        left.append(case_id)
    ggd = f"pd-ggd-{rid()[:8]}"
    env.appoint(GGD, ggd)
    md = env.md(GGD, "process_director", ggd)

    def listed(page_size: int) -> list[pb.CaseAwaitingDirector]:
        out, token = [], ""
        while True:
            reply = env.stub.ListCasesAwaitingDirector(
                pb.ListCasesAwaitingDirectorRequest(page_size=page_size, page_token=token),
                metadata=md,
            )
            out.extend(reply.cases)
            token = reply.next_page_token
            if not token:
                return out

    every = listed(500)
    mine = {a.case_id: a for a in every if a.case_id in left}
    assert sorted(mine) == sorted(left)
    assert all(a.party == LUMENS and a.left_at.seconds for a in mine.values())
    assert [a.case_id for a in listed(1)] == [a.case_id for a in every]
    req = pb.ScheduleMeetingRequest(
        request_id=rid(),
        case_id=left[0],
        goal_code="stabilise_and_protect",
        decision_types=["plan_of_approach"],
        themes=["safety"],
        invitees=[pb.Invitee(party=SHELTER, lawful_themes=["safety"])],
    )
    req.scheduled_for.FromDatetime(datetime.now(timezone.utc) + timedelta(days=3))
    assert env.stub.ScheduleMeeting(req, metadata=md).meeting.meeting_id  # takes it over
    assert left[0] not in {a.case_id for a in listed(500)}
    assert left[1] in {a.case_id for a in listed(500)}
    for refused in (
        env.md(GGD, "process_director", f"claims-{rid()[:8]}"),  # the token's role alone
        env.md(LUMENS, "manager", "manager-1"),
        env.case_director(),
    ):
        with pytest.raises(grpc.RpcError) as err:
            env.stub.ListCasesAwaitingDirector(
                pb.ListCasesAwaitingDirectorRequest(), metadata=refused
            )
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert denial_reasons(err.value)
