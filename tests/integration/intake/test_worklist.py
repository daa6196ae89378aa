"""The process director's worklist (``ListNominations``, issue #19) over real gRPC, the real
broker, SQLite and PostgreSQL and the real Rego policies: the intake queue is every designated
process director's until one takes a nomination up; afterwards it is on that person's list only,
at its stage, until it is routed (12.2a, 12.3, 1.15). A row never carries the subject's identity;
each call is a logged read naming the cases shown. The hostile callers are refused: a process
director of another party whom the roster does not hold, a worker of the nominating party (also
with a process director's token role), an excluded party (art. 23.2)."""

from __future__ import annotations

import grpc
import pytest

from tests.integration.intake.conftest import (
    ASTEN,
    DIRECTOR,
    EXCLUDED,
    FARENT,
    HELMOND,
    POLICE,
    assess_request,
    unique_subject,
)
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.accesslog.service import reader
from zorgtafel.testing import rid

pytestmark = pytest.mark.integration

PD_ROLE = "process_director"


def worklist(env, md, **fields) -> pb.ListNominationsResponse:
    return env.stub.ListNominations(pb.ListNominationsRequest(**fields), metadata=md)


def rows(env, md, **fields) -> dict[str, pb.WorklistNomination]:
    """Every page of the caller's worklist, by case id."""
    found: dict[str, pb.WorklistNomination] = {}
    token = ""
    while True:
        reply = worklist(env, md, page_size=500, page_token=token, **fields)
        found.update({n.case_id: n for n in reply.nominations})
        token = reply.next_page_token
        if not token:
            return found


def refused(env, md) -> grpc.RpcError:
    with pytest.raises(grpc.RpcError) as err:
        worklist(env, md)
    return err.value


def test_the_queue_is_every_designated_process_directors_until_one_takes_it_up(env):
    case_id = env.nominate(ASTEN).case_id
    for md in (env.director(), env.other_director()):
        row = rows(env, md)[case_id]
        assert row.stage == pb.WORKLIST_STAGE_TO_ASSESS
        assert row.status == pb.NOMINATION_STATUS_NOMINATED
        assert row.nominating_party == ASTEN and row.received_at.seconds > 0
        assert not row.HasField("triage_deadline")
    env.assess(case_id)  # the director takes it up (12.3)
    assert rows(env, env.director())[case_id].stage == pb.WORKLIST_STAGE_TO_TRIAGE
    assert case_id not in rows(env, env.other_director())
    queue = rows(env, env.director(), stage=pb.WORKLIST_STAGE_TO_ASSESS)
    assert case_id not in queue


def test_triage_and_routing_move_it_along_and_off_the_worklist(env):
    case_id = env.in_triage(asked=(POLICE,))
    row = rows(env, env.director())[case_id]
    assert row.stage == pb.WORKLIST_STAGE_IN_TRIAGE and row.HasField("triage_deadline")
    assert case_id in rows(env, env.director(), stage=pb.WORKLIST_STAGE_IN_TRIAGE)
    env.answer(case_id, POLICE, kind=pb.TRIAGE_ANSWER_KIND_NOT_KNOWN)  # the round closes
    assert rows(env, env.director())[case_id].stage == pb.WORKLIST_STAGE_TO_ROUTE
    assert case_id in rows(env, env.director(), stage=pb.WORKLIST_STAGE_TO_ROUTE)
    env.stub.DecideRouting(
        pb.DecideRoutingRequest(
            request_id=rid(),
            case_id=case_id,
            routing=pb.ROUTING_REGULAR_CARE,
            reason_code="regular_care_suffices",
        ),
        metadata=env.director(),
    )
    assert case_id not in rows(env, env.director())


def test_a_row_never_carries_the_subjects_identity(env):
    subject = unique_subject()
    case_id = env.nominate(ASTEN, subject=subject).case_id
    reply = worklist(env, env.director(), stage=pb.WORKLIST_STAGE_TO_ASSESS, page_size=500)
    assert case_id in {n.case_id for n in reply.nominations}
    raw = reply.SerializeToString()
    for value in (subject.given_names, subject.family_name, subject.date_of_birth):
        assert value.encode() not in raw


def test_paging_walks_the_worklist_one_row_at_a_time(env):
    ids = {env.nominate(ASTEN).case_id for _ in range(3)}
    walked, token = [], ""
    while True:
        reply = worklist(env, env.director(), page_size=1, page_token=token)
        assert len(reply.nominations) <= 1
        walked += [n.case_id for n in reply.nominations]
        token = reply.next_page_token
        if not token:
            break
    assert ids <= set(walked) and len(walked) == len(set(walked))
    with pytest.raises(grpc.RpcError) as err:
        worklist(env, env.director(), page_size=501)
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "page_size" in err.value.details()


def test_each_call_is_a_logged_read_naming_the_cases_shown(env):
    case_id = env.nominate(ASTEN).case_id
    with env.app.uow_factory() as uow:
        before = max((r["seq"] for r in reader(uow).latest("party", HELMOND)), default=0)
    reply = worklist(env, env.director(), stage=pb.WORKLIST_STAGE_TO_ASSESS, page_size=500)
    with env.app.uow_factory() as uow:
        new = [r for r in reader(uow).latest("party", HELMOND) if r["seq"] > before]
    [rec] = [r for r in new if r["person"] == DIRECTOR]
    assert (rec["rpc"], rec["action"], rec["result"]) == ("ListNominations", "read", "allowed")
    shown = [n.case_id for n in reply.nominations]
    assert case_id in shown
    named = rec["resource"].split(",")
    assert named[0] == shown[0] and (case_id in named or named[-1].startswith("+"))
    assert rec["decision_id"] and rec["policy_revision"]


@pytest.mark.parametrize(
    "who",
    [
        pytest.param((FARENT, PD_ROLE, DIRECTOR), id="pd-of-another-party-not-on-the-roster"),
        pytest.param((ASTEN, PD_ROLE, "worker-1"), id="nominating-worker-with-a-pd-token"),
        pytest.param((ASTEN, "caseworker", "worker-1"), id="nominating-worker"),
        pytest.param((EXCLUDED, PD_ROLE, DIRECTOR), id="excluded-party"),
        pytest.param((HELMOND, "manager", "manager-1"), id="manager"),
    ],
)
def test_who_has_no_designation_is_refused_and_the_refusal_is_logged(env, who):
    env.nominate(ASTEN)
    party, role, person = who
    err = refused(env, env.md(party, role, person))
    assert err.code() == grpc.StatusCode.PERMISSION_DENIED
    with env.app.uow_factory() as uow:
        [rec, *_] = [r for r in reader(uow).latest("party", party) if r["person"] == person]
    assert (rec["rpc"], rec["result"]) == ("ListNominations", "denied") and rec["reasons"]
    if party == EXCLUDED:
        assert "art. 23.2" in err.details()
    elif role == PD_ROLE:
        assert "art. 11.2" in err.details()  # the token role alone grants nothing


def test_what_a_process_director_took_up_is_back_in_the_queue_when_the_designation_ends(env):
    """12.3: governance ends a designation (revoked, or the party left: RosterChanged, held
    false); the nominations that person had qualified or in triage are back in the intake
    queue, at their stage, for every designated process director, and the one who acts on
    one next takes it up (the others no longer list it)."""
    leaving = f"zorgcoordinator-leaving-{rid()[:8]}"
    env.appoint(HELMOND, leaving)
    md = env.md(HELMOND, PD_ROLE, leaving)
    case_id = env.nominate(ASTEN).case_id
    env.stub.Assess(assess_request(case_id), metadata=md)
    assert rows(env, md)[case_id].stage == pb.WORKLIST_STAGE_TO_TRIAGE
    assert case_id not in rows(env, env.other_director())
    env.appoint(HELMOND, leaving, held=False)  # applied, and so is what follows from it
    for director in (env.director(), env.other_director()):
        row = rows(env, director)[case_id]
        assert row.stage == pb.WORKLIST_STAGE_TO_TRIAGE
    with pytest.raises(grpc.RpcError) as err:
        worklist(env, md)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    env.start_triage(case_id, (POLICE,), md=env.other_director())
    assert rows(env, env.other_director())[case_id].stage == pb.WORKLIST_STAGE_IN_TRIAGE
    assert case_id not in rows(env, env.director())
