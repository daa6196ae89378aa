"""Casework's part of the subject access report (``SubjectDataService``), over real gRPC: a
privacy officer answers for its own party as controller of the case, and is given no more of
the case than that party's people may read in it. Minutes are not public (art. 9.2): only the
process director's party and the attending parties get them; a plan action's text is the
acting party's and the directors' (art. 8.4c, 8.5). What is held back is listed as withheld
with the ground named."""

from __future__ import annotations

import json

import pytest

from tests.integration.casework.conftest import (
    FARENT,
    GGD,
    LUMENS,
    MINUTES_MARKER,
    POLICE,
    SHELTER,
    SUBJECT_MARKER,
    VEILIG_THUIS,
)
from zorgtafel.generated.casework.v1 import casework_pb2 as pb
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2 as sd
from zorgtafel.generated.subjectdata.v1 import subjectdata_pb2_grpc as sd_grpc
from zorgtafel.testing import rid
from zorgtafel.testing.services import channel

pytestmark = pytest.mark.integration


def exported(env, case_id: str, party: str) -> sd.ExportSubjectDataResponse:
    stub = sd_grpc.SubjectDataServiceStub(channel(env.app))
    md = env.md(party, "privacy_officer", person=f"fg-{party[-2:]}")
    return stub.ExportSubjectData(sd.ExportSubjectDataRequest(case_id=case_id), metadata=md)


def given(reply: sd.ExportSubjectDataResponse) -> str:
    return repr([dict(r.fields) for s in reply.sections for r in s.records])


def test_an_officer_gets_no_minutes_of_a_meeting_its_party_did_not_attend(env):
    case_id = env.open_case()
    env.plan_active(case_id)  # SHELTER, POLICE and FARENT attend; the nominating party not
    # The nominating party answers for the case (a controller), but its people read no
    # minutes: it did not attend (art. 9.2).
    reply = exported(env, case_id, VEILIG_THUIS)
    assert MINUTES_MARKER not in given(reply)
    assert "minutes" in {w.kind for w in reply.withheld}
    assert all("9.2" in w.ground for w in reply.withheld if w.kind == "minutes")
    # An attending party (the case director's) and the process director's party get them.
    for party in (FARENT, LUMENS):
        assert MINUTES_MARKER in given(exported(env, case_id, party))


def test_an_officer_gets_the_text_of_its_own_partys_plan_actions_only(env):
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.roles(
        case_id,
        meeting_id,
        {SHELTER: ("shelter", ["identity"]), POLICE: ("safety", ["safety"])},
    )
    police = given(exported(env, case_id, POLICE))
    assert "Risicotaxatie" in police and "Opvangplek regelen" not in police
    # The case director's party directs the plan (13.2): all of it.
    farent = given(exported(env, case_id, FARENT))
    assert "Risicotaxatie" in farent and "Opvangplek regelen" in farent


def test_an_officer_gets_another_partys_role_only_where_its_people_see_the_roles(env):
    """GetCase shows a party its own role only, unless it directs the case or its information
    need is the case's coordination (``zorgtafel.casework.view``); the export neither gives
    more: another party's role and information need (a mental-health or police role is itself
    telling) are listed as withheld with the ground named, as one line for the case that names
    no other party (which parties have a role is itself what GetCase does not show)."""
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.roles(
        case_id,
        meeting_id,
        {SHELTER: ("shelter", ["coordination"]), POLICE: ("safety", ["safety"])},
    )

    def roles_given(party: str) -> tuple[set[str], set[str]]:
        reply = exported(env, case_id, party)
        shown = {r.party for s in reply.sections if s.name == "roles" for r in s.records}
        return shown, {w.record_id for w in reply.withheld if w.section == "roles"}

    shown, withheld = roles_given(POLICE)
    assert shown == {POLICE} and withheld == {f"{case_id}:roles"}
    for party in (SHELTER, FARENT):  # coordinating; the case director's party
        assert roles_given(party) == ({SHELTER, POLICE}, set())


def test_an_officer_gets_the_pre_read_sets_item_ids_only_for_the_process_directors_party(env):
    """A meeting's pre-read set names items of the case (perhaps of a category outside a
    party's need: 8.4c, 15.1): GetCase gives its ids to the process director's party only,
    which composed it, and so does the export; any other officer is told the set is withheld
    with the ground named, never an id (one line for the case's sets, not one a meeting)."""
    case_id = env.open_case()
    held = env.meeting_held(case_id)
    env.roles(case_id, held, {SHELTER: ("shelter", ["identity"]), POLICE: ("safety", ["safety"])})
    items = ["item-PREREADMARKER-1", "item-PREREADMARKER-2"]
    env.schedule(case_id, invitees=(SHELTER, POLICE), pre_read=items)
    for party in (SHELTER, POLICE, VEILIG_THUIS):
        reply = exported(env, case_id, party)
        assert "PREREADMARKER" not in given(reply)
        withheld = [w for w in reply.withheld if w.kind == "pre_read_set"]
        assert [w.record_id for w in withheld] == [f"{case_id}:pre_read"]
        assert "PREREADMARKER" not in repr(reply.withheld)
        assert all("8.4c" in w.ground for w in withheld)
    director = exported(env, case_id, LUMENS)
    assert all(i in given(director) for i in items)
    assert not [w for w in director.withheld if w.kind == "pre_read_set"]


def test_an_officer_gets_a_meeting_only_where_its_people_see_it(env):
    """GetCase shows a party the meetings it was invited to, all of them only when it directs
    the case or its information need covers the case's meetings (``zorgtafel.casework.view``);
    the export gives no more: a meeting the party was not invited to (its date, who was invited
    and attended) is listed as withheld with the ground named, one line for the case (a
    meeting's id names a meeting the party may not know of)."""
    case_id = env.open_case()
    held = env.meeting_held(case_id)  # SHELTER, POLICE and FARENT invited and attending
    env.roles(
        case_id,
        held,
        {SHELTER: ("shelter", ["case_meetings"]), POLICE: ("safety", ["safety"])},
    )
    other = env.schedule(case_id, invitees=(SHELTER, FARENT)).meeting_id

    def meetings_given(party: str) -> tuple[set[str], set[str]]:
        reply = exported(env, case_id, party)
        shown = {r.record_id for s in reply.sections for r in s.records if r.kind == "meeting"}
        return shown, {w.record_id for w in reply.withheld if w.kind == "meeting"}

    assert meetings_given(POLICE) == ({held}, {f"{case_id}:meetings"})
    # Nominated, never invited.
    assert meetings_given(VEILIG_THUIS) == (set(), {f"{case_id}:meetings"})
    for party in (SHELTER, LUMENS):  # its need covers the meetings; the process director's
        assert meetings_given(party) == ({held, other}, set())


def test_an_officer_gets_the_subjects_nomination_and_the_escalation_only_where_its_people_see_them(
    env,
):
    """GetCase shows the subject section (the nominating party, the age band) to the directors
    and a party whose need holds identity, and the escalation to the directors and a party
    whose need holds safety (``zorgtafel.casework.view``); the export gives no more of the case
    record: the rest is listed as withheld with the ground named. The nominating party's
    officer is given the nomination, its own."""
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.roles(
        case_id,
        meeting_id,
        {SHELTER: ("shelter", ["plan_of_approach"]), POLICE: ("safety", ["safety"])},
    )
    env.escalate(case_id)

    def case_given(party: str) -> tuple[set[str], set[str]]:
        reply = exported(env, case_id, party)
        shown = {k for s in reply.sections if s.name == "case" for r in s.records for k in r.fields}
        kinds = {w.kind for w in reply.withheld if w.section == "case"}
        return shown, kinds - {"case_goal"}  # the goal's own test

    subject, escalation = {"nominating_party", "age_band"}, {"escalated_zvh", "escalation_reason"}
    shown, withheld = case_given(SHELTER)
    assert "state" in shown and not shown & (subject | escalation)
    assert withheld == {"case_subject", "case_escalation"}
    shown, withheld = case_given(POLICE)
    assert shown >= escalation and not shown & subject and withheld == {"case_subject"}
    shown, withheld = case_given(VEILIG_THUIS)
    assert shown >= subject and not shown & escalation
    assert withheld == {"case", "case_escalation"}  # no role: not the case's status either
    for party in (LUMENS, FARENT):
        shown, withheld = case_given(party)
        assert shown >= subject | escalation and not withheld


def test_an_officer_gets_the_cases_goal_and_themes_only_where_its_people_see_them(env):
    """The case's goal and themes (triage's, for its case meeting: 1.15, 12.2b-c) are in no
    section GetCase shows a party with a role; only the directors see the whole case
    (``zorgtafel.casework.view``). The export gave them with the case's state to every
    controller's officer; they are now a record of their own, the process director's, given
    to the directors' parties and listed to any other officer as withheld with the ground
    named (8.4c, 15.1)."""
    case_id = env.open_case()
    meeting_id, _plan = env.plan_active(case_id)
    env.roles(
        case_id,
        meeting_id,
        {SHELTER: ("shelter", ["case_meetings"]), POLICE: ("safety", ["safety"])},
    )

    def case_given(party: str) -> tuple[set[str], set[str]]:
        reply = exported(env, case_id, party)
        shown = {k for s in reply.sections if s.name == "case" for r in s.records for k in r.fields}
        return shown, {w.record_id for w in reply.withheld if w.kind == "case_goal"}

    goal = {"goal_code", "themes"}
    for party in (SHELTER, POLICE, VEILIG_THUIS):
        shown, withheld = case_given(party)
        assert not shown & goal and withheld == {f"{case_id}:goal"}
    for party in (LUMENS, FARENT):
        shown, withheld = case_given(party)
        assert shown >= goal and not withheld


def test_a_party_only_invited_to_a_meeting_is_given_what_it_was_shown_of_the_case(env):
    """A party invited to a case meeting received the subject's data (the meeting, its
    pre-read items) and uses it under the parties' joint responsibility (15.1): its privacy
    officer answers for what it holds, so the export no longer refuses it as no controller
    of the case; it is given the meeting it was invited to and nothing more of the case (not
    its status either: GetCase refuses a party without a role, 8.4c): the rest is listed as
    withheld with the ground named."""
    case_id = env.open_case()
    env.meeting_held(case_id)  # SHELTER, POLICE and FARENT invited and attending
    invited = env.schedule(case_id, invitees=(SHELTER, GGD)).meeting_id
    reply = exported(env, case_id, GGD)
    assert list(reply.case_ids) == [case_id]
    shown = {r.record_id for s in reply.sections for r in s.records}
    assert shown == {invited}
    withheld = {(w.kind, w.record_id) for w in reply.withheld}
    assert ("case", case_id) in withheld
    assert {("meeting", f"{case_id}:meetings"), ("minutes", f"{case_id}:minutes")} <= withheld
    assert {("case_subject", f"{case_id}:subject"), ("case_goal", f"{case_id}:goal")} <= withheld
    assert MINUTES_MARKER not in given(reply) and SUBJECT_MARKER not in given(reply)


def test_an_officer_is_given_the_goal_themes_and_decision_types_of_a_meeting_its_party_sees(env):
    """GetCase shows a meeting with its own goal, themes and decision types to whom it shows
    the meeting (its invitees, the directors, a party whose need covers the case's meetings):
    what the party holds of it (GDPR art. 15), so the export's meeting record gives them too."""
    case_id = env.open_case()
    meeting_id = env.schedule(case_id, invitees=(SHELTER, POLICE)).meeting_id
    for party in (POLICE, LUMENS):
        reply = exported(env, case_id, party)
        (meeting,) = [
            dict(r.fields) for s in reply.sections for r in s.records if r.record_id == meeting_id
        ]
        assert meeting["goal_code"] == "stabilise_and_protect"
        assert json.loads(meeting["themes"]) == ["safety", "housing"]
        assert json.loads(meeting["decision_types"]) == ["plan_of_approach", "case_director"]


def planned_case(env) -> tuple[str, pb.AdoptPlanResponse]:
    """A case with its plan (SHELTER, POLICE and FARENT attended), the shelter's need its
    identity, the police's its safety."""
    case_id = env.open_case()
    meeting_id, plan = env.plan_active(case_id)
    env.roles(
        case_id, meeting_id, {SHELTER: ("shelter", ["identity"]), POLICE: ("safety", ["safety"])}
    )
    return case_id, plan


def shelters_progress(env, case_id: str, plan: pb.AdoptPlanResponse) -> pb.PlanAction:
    """The shelter notes its progress on its action: its own account (15.1, 17)."""
    action = next(a for a in plan.actions if a.party == SHELTER)
    env.stub.UpdateAction(
        pb.UpdateActionRequest(
            request_id=rid(),
            case_id=case_id,
            action_id=action.action_id,
            status=pb.ACTION_STATUS_IN_PROGRESS,
            progress_note="Plek gezocht",
        ),
        metadata=env.md(SHELTER),
    )
    return action


def test_a_withheld_line_names_no_other_party_nor_its_records(env):
    """What is withheld is listed so that the subject knows more is held elsewhere, but a line
    named another party in its record id (a role's ``case:party``) or as the party answering
    for it (a role's, another party's plan action or progress note): it told the officer which
    other parties have a part in the subject's case, which GetCase does not tell its party
    (8.4c, 15.1). Each kind is now one line for the case, in the name of the process
    director's party (which answers for the case and passes the request on)."""
    case_id, plan = planned_case(env)
    shelter_action = shelters_progress(env, case_id, plan)
    reply = exported(env, case_id, POLICE)
    assert {w.party for w in reply.withheld} == {LUMENS}
    lines = repr([(w.section, w.kind, w.record_id, w.ground) for w in reply.withheld])
    assert SHELTER not in lines and shelter_action.action_id not in lines
    kinds = [(w.case_id, w.kind) for w in reply.withheld]
    assert len(kinds) == len(set(kinds))  # one line a kind


def test_what_is_listed_withheld_does_not_tell_whether_another_partys_records_exist(env):
    """A withheld line for minutes, a pre-read set, a meeting or a progress note was listed
    only when one existed, so an officer learned of meetings and notes its party had no part
    in (8.4c, 15.1). Each kind its party is not given all of is now listed for the case
    whether or not any such record exists: the lines of a case with another meeting (with a
    pre-read set and minutes) and another party's progress note are those of one without."""

    def lines(case_id: str) -> set[tuple[str, ...]]:
        reply = exported(env, case_id, POLICE)
        return {
            (w.section, w.kind, w.record_id.replace(case_id, "CASE"), w.party, w.ground)
            for w in reply.withheld
        }

    bare, _plan = planned_case(env)
    busy, plan = planned_case(env)
    other = env.schedule(busy, invitees=(SHELTER, FARENT), pre_read=["item-1"]).meeting_id
    env.hold(busy, other, attendees=(SHELTER, FARENT))
    shelters_progress(env, busy, plan)
    assert lines(busy) == lines(bare)
    assert {k for _s, k, *_rest in lines(bare)} >= {"meeting", "minutes", "pre_read_set"}


def test_the_nominating_partys_officer_gets_the_cases_status_only_where_its_people_see_it(env):
    """GetCase shows the case, its status too, only to the directors and the parties involved
    with a role (``zorgtafel.casework.view``): the nominating party without a role is refused
    it (8.4c). The export gave its officer the case's state, criteria, directors and outcome
    all the same; it now lists them as withheld with the ground named, and gives them once the
    party has a role. Its own nomination stays its to be given."""
    case_id = env.open_case()
    env.plan_active(case_id)

    def case_given() -> tuple[set[str], set[str]]:
        reply = exported(env, case_id, VEILIG_THUIS)
        shown = {k for s in reply.sections if s.name == "case" for r in s.records for k in r.fields}
        return shown, {w.record_id for w in reply.withheld if w.kind == "case"}

    shown, withheld = case_given()
    assert not shown & {"state", "criteria", "case_director_party", "outcome"}
    assert "nominating_party" in shown and withheld == {case_id}
    invited = env.meeting_held(case_id, invitees=(VEILIG_THUIS, SHELTER))
    env.roles(case_id, invited, {VEILIG_THUIS: ("reporter", ["safety"])})
    shown, withheld = case_given()
    assert "state" in shown and not withheld
