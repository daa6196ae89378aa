"""Need to know (art. 8.4c, Bijlage 3) through the real gRPC API: GetCase and WatchCase show
each party only what its role's information need covers, nothing to a party not involved,
and nothing more to a party once it is excluded (art. 23.2)."""

from __future__ import annotations

import queue
import threading
import uuid

import grpc
import pytest

from tests.integration.casework.conftest import (
    FARENT,
    GGD,
    KMAR,
    POLICE,
    SHELTER,
    SOCIOM,
    SUBJECT_MARKER,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.kernel.errors import NotShared
from zorgtafel.testing import denial_reasons, rid, wait_for

pytestmark = pytest.mark.integration

ROLES = {
    SHELTER: ("shelter", ["identity", "case_meetings"]),
    POLICE: ("safety", ["safety"]),
    FARENT: ("care", ["plan_of_approach"]),
    KMAR: ("safety", ["safety"]),
}


@pytest.fixture(scope="module")
def case(env):
    """A case with a held meeting, roles, a plan, one action update and an escalation."""
    case_id = env.open_case()
    meeting_id = env.meeting_held(case_id, invitees=(SHELTER, POLICE, FARENT, KMAR))
    env.stub.AppointDirector(
        pb.AppointDirectorRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            party=FARENT,
            person="casusregisseur-1",
        ),
        metadata=env.director(),
    )
    env.roles(case_id, meeting_id, ROLES)
    plan = env.stub.AdoptPlan(
        pb.AdoptPlanRequest(
            request_id=rid(),
            case_id=case_id,
            meeting_id=meeting_id,
            actions=[
                pb.NewAction(party=SHELTER, what="Opvangplek regelen", due_date="2030-01-01"),
                pb.NewAction(party=POLICE, what="Risicotaxatie", due_date="2030-01-01"),
            ],
        ),
        metadata=env.director(),
    )
    shelter_action = next(a for a in plan.actions if a.party == SHELTER)
    env.stub.UpdateAction(
        pb.UpdateActionRequest(
            request_id=rid(),
            case_id=case_id,
            action_id=shelter_action.action_id,
            status=pb.ACTION_STATUS_IN_PROGRESS,
        ),
        metadata=env.md(SHELTER),
    )
    env.escalate(case_id)
    return case_id


def watched(env, case_id, md, follow=False, after=0):
    stream = env.stub.WatchCase(
        pb.WatchCaseRequest(case_id=case_id, follow=follow, after_sequence=after), metadata=md
    )
    return [(m.kind, dict(m.details)) for m in stream]


def kinds(events) -> list[str]:
    """The kinds of the entries, leaving out who named which delegate (its own test)."""
    return [k for k, _ in events if not k.startswith("delegate.")]


EVERYTHING = [
    "case.opened",
    "meeting.scheduled",
    "meeting.held",
    "director.appointed",
    "roles.set",
    "plan.adopted",
    "action.updated",
    "case.escalated",
]


def test_process_and_case_directors_follow_everything(env, case):
    assert kinds(watched(env, case, env.director())) == EVERYTHING
    assert kinds(watched(env, case, env.case_director())) == EVERYTHING


def test_shelter_sees_meetings_and_its_own_action_not_the_plan_roles_or_escalation(env, case):
    events = watched(env, case, env.md(SHELTER))
    assert kinds(events) == [
        "case.opened",
        "meeting.scheduled",
        "meeting.held",
        "director.appointed",
        "action.updated",
    ]
    assert dict(events[-1][1])["party"] == SHELTER


def test_police_sees_the_escalation_and_its_meetings_not_the_plan_or_others_actions(env, case):
    assert kinds(watched(env, case, env.md(POLICE))) == [
        "case.opened",
        "meeting.scheduled",
        "meeting.held",
        "director.appointed",
        "case.escalated",
    ]


def test_care_party_sees_the_plan_and_its_progress_not_the_escalation(env, case):
    assert kinds(watched(env, case, env.md(FARENT))) == [
        "case.opened",
        "meeting.scheduled",
        "meeting.held",
        "director.appointed",
        "plan.adopted",
        "action.updated",
    ]


def test_a_party_sees_only_its_own_delegates_being_named(env, case):
    named = [d for k, d in watched(env, case, env.md(SHELTER)) if k == "delegate.named"]
    assert named == [{"party": SHELTER}]
    everyone = [d["party"] for k, d in watched(env, case, env.director()) if k == "delegate.named"]
    assert sorted(everyone) == sorted([SHELTER, POLICE, FARENT, KMAR])


def test_colleague_of_a_delegate_without_a_part_sees_and_does_nothing(env, case):
    colleague = env.md(SHELTER, "caseworker", "person-2")
    for call in (
        lambda: env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=colleague),
        lambda: watched(env, case, colleague),
        lambda: env.stub.GetMinutes(
            pb.GetMinutesRequest(case_id=case, meeting_id=_held_meeting(env, case)),
            metadata=colleague,
        ),
    ):
        with pytest.raises(grpc.RpcError) as err:
            call()
        assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
        assert any("Bijlage 3" in r for r in denial_reasons(err.value))
    full = env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=env.director()).case
    shelter_action = next(a for a in full.actions if a.party == SHELTER)
    with pytest.raises(grpc.RpcError) as err:
        env.stub.UpdateAction(
            pb.UpdateActionRequest(
                request_id=rid(),
                case_id=case,
                action_id=shelter_action.action_id,
                progress_note="x",
            ),
            metadata=colleague,
        )
    assert any("Bijlage 3" in r for r in denial_reasons(err.value))


def test_uninvolved_party_sees_nothing(env, case):
    """Not even that the case exists: told what an unknown case id is told (8.4c)."""
    neutral = list(NotShared("case", "case_id").reasons)
    with pytest.raises(grpc.RpcError) as err:
        watched(env, case, env.md(GGD))
    assert denial_reasons(err.value) == neutral
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=env.md(GGD))
    assert denial_reasons(err.value) == neutral
    with pytest.raises(grpc.RpcError) as err:
        env.stub.GetCase(pb.GetCaseRequest(case_id=f"case-{uuid.uuid4()}"), metadata=env.md(GGD))
    assert denial_reasons(err.value) == neutral


def test_excluded_party_is_refused_before_anything_is_read(env, case):
    with pytest.raises(grpc.RpcError) as err:
        watched(env, case, env.md(SOCIOM))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED


def test_follower_receives_new_events_its_need_covers_and_only_those(env, case):
    got: queue.Queue = queue.Queue()
    last = env.stub.WatchCase(pb.WatchCaseRequest(case_id=case), metadata=env.director())
    after = max(m.sequence for m in last)
    streams = {
        p: env.stub.WatchCase(
            pb.WatchCaseRequest(case_id=case, follow=True, after_sequence=after), metadata=env.md(p)
        )
        for p in (POLICE, SHELTER)
    }

    def pump(party, stream):
        try:
            for m in stream:
                got.put((party, m.kind))
        except grpc.RpcError as e:
            got.put((party, e.code()))

    threads = [threading.Thread(target=pump, args=item, daemon=True) for item in streams.items()]
    for t in threads:
        t.start()
    env.stub.SetRoles(
        pb.SetRolesRequest(
            request_id=rid(),
            case_id=case,
            meeting_id=_held_meeting(env, case),
            roles=[
                pb.PartyRole(party=p, role=r, information_need=n) for p, (r, n) in ROLES.items()
            ],
        ),
        metadata=env.director(),
    )
    schedule = env.schedule(case, invitees=(POLICE,))
    seen = {got.get(timeout=10), got.get(timeout=10)}
    # Police was invited; the shelter's information need covers case meetings (8.4c).
    assert seen == {(POLICE, "meeting.scheduled"), (SHELTER, "meeting.scheduled")}
    # Police reports progress on its own action: it sees that, the shelter does not.
    full = env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=env.director()).case
    police_action = next(a for a in full.actions if a.party == POLICE)
    env.stub.UpdateAction(
        pb.UpdateActionRequest(
            request_id=rid(),
            case_id=case,
            action_id=police_action.action_id,
            progress_note="afspraak gemaakt",
        ),
        metadata=env.md(POLICE),
    )
    assert got.get(timeout=10) == (POLICE, "action.updated")
    streams[POLICE].cancel()
    threading.Event().wait(1.0)  # the shelter's stream stays open a few more polls
    for s in streams.values():
        s.cancel()
    for t in threads:
        t.join(timeout=5)
    while not got.empty():
        seen.add(got.get())
    # Neither saw the new roles: neither needs coordination information.
    assert (POLICE, "roles.set") not in seen and (SHELTER, "roles.set") not in seen
    assert (SHELTER, "action.updated") not in seen
    assert list(schedule.invitees) == [POLICE]


def _held_meeting(env, case_id) -> str:
    c = env.stub.GetCase(pb.GetCaseRequest(case_id=case_id), metadata=env.director()).case
    return next(m.meeting_id for m in c.meetings if m.status == pb.MEETING_STATUS_HELD)


def test_party_excluded_while_watching_is_cut_off(env, case):
    got: queue.Queue = queue.Queue()
    stream = env.stub.WatchCase(
        pb.WatchCaseRequest(case_id=case, follow=True), metadata=env.md(KMAR)
    )

    def pump():
        try:
            for m in stream:
                got.put(m.kind)
        except grpc.RpcError as e:
            got.put(e)

    t = threading.Thread(target=pump, daemon=True)
    t.start()
    assert got.get(timeout=10) == "case.opened"
    wait_for(lambda: "case.escalated" in list(got.queue), timeout=10)
    env.register_party(KMAR, "excluded")  # governance: art. 23.2, immediate effect
    wait_for(lambda: env.party_status(KMAR) == "excluded", timeout=30)
    t.join(timeout=10)
    assert not t.is_alive(), "the stream of an excluded party must end"
    items = []
    while not got.empty():
        items.append(got.get())
    end = items[-1]
    assert isinstance(end, grpc.RpcError) and end.code() == grpc.StatusCode.PERMISSION_DENIED
    assert any("art. 23.2" in r for r in denial_reasons(end))
    # Whatever happens next is not seen by it, by any route.
    with pytest.raises(grpc.RpcError) as err:
        watched(env, case, env.md(KMAR))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    env.register_party(KMAR, "active")  # restore for other tests of this module
    wait_for(lambda: env.party_status(KMAR) == "active", timeout=30)


def test_get_case_shows_each_party_only_its_sections(env, case):
    get = lambda md: env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=md).case  # noqa: E731
    full = get(env.director())
    assert full.subject_pseudonym.startswith(SUBJECT_MARKER)
    assert len(full.roles) == 4 and len(full.actions) == 2 and full.escalation.zvh
    assert full.actions[0].what and list(full.withheld_sections) == []

    shelter = get(env.md(SHELTER))
    assert shelter.subject_pseudonym == full.subject_pseudonym
    assert [r.party for r in shelter.roles] == [SHELTER]
    assert [a.party for a in shelter.actions] == [SHELTER]
    assert not shelter.HasField("escalation") and shelter.meetings
    assert set(shelter.withheld_sections) == {"roles", "plan", "escalation"}

    police = get(env.md(POLICE))
    assert police.subject_pseudonym == "" and police.escalation.zvh == pb.ZVH_BRABANT_ZUIDOOST
    assert [a.party for a in police.actions] == [POLICE]
    assert {m.meeting_id for m in police.meetings} <= {m.meeting_id for m in full.meetings}

    desk = get(env.md(SHELTER, "front_desk"))  # Bijlage 3: who is in care, no dossier
    assert desk.subject_pseudonym == full.subject_pseudonym
    assert not desk.meetings and not desk.roles and not desk.actions


def test_a_watcher_learns_the_nominating_party_only_where_get_case_shows_it(env, case):
    """GetCase gives the nominating party with the subject section (an identity need, the
    directors, the front desk): which organisation reported the subject is itself telling
    (8.4c). The case's opening entry of WatchCase gives it no more widely: to a party whose
    need is safety only, the entry says the case was opened and by whose process director."""
    get = lambda md: env.stub.GetCase(pb.GetCaseRequest(case_id=case), metadata=md).case  # noqa: E731

    def opened(md) -> dict:
        return next(d for k, d in watched(env, case, md) if k == "case.opened")

    assert get(env.md(POLICE)).nominating_party == ""
    police = opened(env.md(POLICE))
    assert "nominating_party" not in police
    assert police["process_director_party"] == get(env.director()).process_director_party
    nominating = get(env.director()).nominating_party
    for md in (env.director(), env.md(SHELTER)):
        assert get(md).nominating_party == nominating
        assert opened(md)["nominating_party"] == nominating
