"""The process director's worklist (``ListNominations``, issue #19) through intake's handlers and
servicer, without gRPC or a broker: a designated process director sees the intake queue and what
it took up, by relationship (12.2a, 12.3), each row without the subject's identity; a token role
without the designation, the nominating party's worker and a manager are refused by the access
policy; a stage filters; a page is one query whatever the number of nominations (paged in SQL)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import insert

from services.intake.adapters import policy_facts
from services.intake.bootstrap import make_deps
from services.intake.domain.commands import (
    AnswerTriage,
    Assess,
    DecideRouting,
    GetNomination,
    GetTriageQuestion,
    ListNominations,
    StartTriage,
    Withdraw,
)
from services.intake.domain.vocabulary import RejectionReason, Routing, Status, TriageAnswerKind
from services.intake.domain.worklist import WorklistRow, WorklistStage
from services.intake.entrypoints.grpc_api import IntakeServicer
from services.intake.service_layer.handlers import (
    assessment,
    nominations,
    routing,
    triage,
    worklist,
)
from tests.handlers.test_intake_handlers import (
    ASTEN,
    CLAIMED_DIRECTOR,
    COLLEAGUE,
    DIRECTOR,
    EXCLUDED,
    FARENT,
    HELMOND,
    MANAGER,
    NOMINATING,
    OTHER_DIRECTOR,
    OUTSIDER,
    POLICE,
    judged,
    nominated,
    nomination,
    qualify,
    run,
)
from zorgtafel.contracts import events as ev
from zorgtafel.generated.intake.v1 import intake_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied
from zorgtafel.kernel.service import Platform
from zorgtafel.kernel.uow import utcnow
from zorgtafel.testing import deliver, handler_platform, set_party_status, set_roster
from zorgtafel.testing.statements import (
    call,
    limited,
    plan_without_scans_or_sorts,
    sent_with_parameters,
    statements,
)

ASKED = Caller(POLICE, "pol-1", "caseworker", party_status="active")


@pytest.fixture
def intake(data_dir, database_url):
    """As test_intake_handlers' fixture: two designated process directors, a seated manager."""
    with handler_platform("intake", data_dir, database_url) as (platform, parts):
        for party in (ASTEN, HELMOND, POLICE, FARENT):
            set_party_status(platform, party, "active")
        set_party_status(platform, EXCLUDED, "excluded")
        for director in (DIRECTOR, OTHER_DIRECTOR):
            set_roster(platform, "process_director", director.party, director.person)
        set_roster(platform, "manager", MANAGER.party, MANAGER.person)
        yield platform, parts, make_deps(platform)


def listed(intake, caller: Caller, stage: WorklistStage | None = None) -> dict[str, WorklistRow]:
    """case id -> row of the caller's worklist (one page of up to 500 rows)."""
    platform, _parts, deps = intake
    with platform.uow_factory() as uow:
        rows = worklist.list_nominations(deps, uow, ListNominations(stage, limit=501), caller)
    return {r.case_id: r for r in rows}


def worklist_rpc(intake, caller: Caller, **fields) -> pb.ListNominationsResponse:
    platform, _parts, deps = intake
    servicer = IntakeServicer(deps, platform.uow_factory, Commands(platform.uow_factory, "t"))
    return call(servicer.ListNominations, pb.ListNominationsRequest(**fields), caller)


def test_the_queue_is_every_designated_process_directors_until_one_takes_it_up(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    for director in (DIRECTOR, OTHER_DIRECTOR):
        assert listed(intake, director)[case_id].stage(utcnow()) == WorklistStage.TO_ASSESS
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)  # takes it up (12.3)
    mine = listed(intake, DIRECTOR)
    assert mine[case_id].status == Status.QUALIFIED
    assert mine[case_id].stage(utcnow()) == WorklistStage.TO_TRIAGE
    assert case_id not in listed(intake, OTHER_DIRECTOR)  # 12.3: not its nomination
    assert case_id not in listed(intake, DIRECTOR, WorklistStage.TO_ASSESS)


def test_a_row_carries_ids_codes_and_times_never_the_subjects_identity(intake):
    case_id = nominated(intake)
    reply = worklist_rpc(intake, DIRECTOR)
    [row] = [n for n in reply.nominations if n.case_id == case_id]
    assert row.stage == pb.WORKLIST_STAGE_TO_ASSESS
    assert row.status == pb.NOMINATION_STATUS_NOMINATED
    assert row.nominating_party == ASTEN and row.received_at.seconds > 0
    assert not row.HasField("triage_deadline")
    text = str(reply)
    assert "Anna" not in text and "Jansen" not in text and "111222333" not in text
    assert "2000-01-01" not in text
    assert {f.name for f in pb.WorklistNomination.DESCRIPTOR.fields} == {
        "case_id",
        "stage",
        "status",
        "received_at",
        "triage_deadline",
        "nominating_party",
    }


def test_triage_then_routing_move_the_nomination_along_and_off_the_worklist(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    deadline = utcnow() + timedelta(days=2)
    start = StartTriage(case_id, (POLICE,), deadline, ("safety",), "bekend?")
    run(platform, triage.start_triage, deps, start, DIRECTOR)
    row = listed(intake, DIRECTOR)[case_id]
    assert row.stage(utcnow()) == WorklistStage.IN_TRIAGE
    assert row.triage_deadline is not None and abs(row.triage_deadline - deadline) < timedelta(
        seconds=1
    )
    assert case_id in listed(intake, DIRECTOR, WorklistStage.IN_TRIAGE)
    assert case_id not in listed(intake, DIRECTOR, WorklistStage.TO_ROUTE)
    answer = AnswerTriage(case_id, TriageAnswerKind.NOT_KNOWN, "", ())
    run(platform, triage.answer_triage, deps, answer, ASKED)  # every asked party answered
    assert listed(intake, DIRECTOR)[case_id].stage(utcnow()) == WorklistStage.TO_ROUTE
    assert case_id in listed(intake, DIRECTOR, WorklistStage.TO_ROUTE)
    assert case_id not in listed(intake, DIRECTOR, WorklistStage.IN_TRIAGE)
    route = DecideRouting(case_id, Routing.REGULAR_CARE, None, "regular_care_suffices", {})
    run(platform, routing.decide_routing, deps, route, DIRECTOR)
    assert case_id not in listed(intake, DIRECTOR)  # routed: out of the director's hands


def test_a_passed_deadline_puts_the_round_on_to_route(intake):
    platform, _parts, deps = intake
    case_id = nominated(intake)
    run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    start = StartTriage(case_id, (POLICE,), utcnow() + timedelta(days=1), ("safety",), "?")
    run(platform, triage.start_triage, deps, start, DIRECTOR)
    later = utcnow() + timedelta(days=2)
    moved = (platform, intake[1], replace(deps, clock=lambda: later))
    assert case_id in listed(moved, DIRECTOR, WorklistStage.TO_ROUTE)
    assert case_id not in listed(moved, DIRECTOR, WorklistStage.IN_TRIAGE)


def test_a_linked_withdrawn_or_rejected_nomination_is_no_row_of_its_own(intake):
    platform, _parts, deps = intake
    first = nominated(intake, bsn="123456782")
    linked, _ = run(platform, nominations.nominate, deps, nomination(bsn="123456782"), COLLEAGUE)
    assert linked.status == Status.LINKED
    withdrawn = nominated(intake, bsn="")
    run(platform, nominations.withdraw, deps, Withdraw(withdrawn, ""), NOMINATING)
    rejected = nominated(intake, bsn="")
    no = Assess(rejected, False, RejectionReason.OTHER, "nee", True, judged())
    run(platform, assessment.assess, deps, no, DIRECTOR)
    rows = listed(intake, OTHER_DIRECTOR)
    assert first in rows and linked.case_id not in rows and withdrawn not in rows
    assert rejected not in rows and rejected not in listed(intake, DIRECTOR)


def test_the_worklist_holds_only_what_the_nominating_partys_terms_let_the_director_act_on(
    intake,
):
    """16.2: after the terms' expiry only the person who nominated reads or withdraws it, and a
    list of recipient parties bounds the process directors' parties; the list shows neither
    (no id, no code), as the access policy decides for the whole list at the time of the
    request. Every row listed is one the lister may read."""
    platform, _parts, deps = intake
    named = Caller(FARENT, "zorgcoordinator-3", "process_director", party_status="active")
    set_roster(platform, "process_director", named.party, named.person)
    soon = utcnow() + timedelta(hours=1)

    def with_terms(**terms) -> str:
        cmd = replace(nomination(bsn=""), usage_terms={"purposes": ["care_coordination"], **terms})
        return run(platform, nominations.nominate, deps, cmd, NOMINATING)[0].case_id

    expiring = with_terms(expires_at=policy_facts.rfc3339(soon))
    taken_up = with_terms(expires_at=policy_facts.rfc3339(soon))
    bounded = with_terms(recipient_parties=[FARENT])
    # Naming only its own party takes a process director of its own (else it is refused).
    set_roster(platform, "process_director", ASTEN, "zorgcoordinator-4")
    own_party = with_terms(recipient_parties=[ASTEN])
    unbounded = nominated(intake, bsn="")
    run(platform, assessment.assess, deps, qualify(taken_up), DIRECTOR)
    mine = listed(intake, DIRECTOR)
    assert {expiring, taken_up, unbounded} <= set(mine)
    assert bounded not in mine and own_party not in mine  # Helmond is not named
    assert bounded in listed(intake, named) and own_party not in listed(intake, named)
    after = soon + timedelta(seconds=1)
    moved = (platform, intake[1], replace(deps, clock=lambda: after))
    mine = listed(moved, DIRECTOR)
    assert unbounded in mine and expiring not in mine and taken_up not in mine
    assert expiring not in listed(moved, OTHER_DIRECTOR)
    for lister in (DIRECTOR, OTHER_DIRECTOR, named):
        for case_id in listed(moved, lister):
            with platform.uow_factory() as uow:  # the policy lets it read each row it lists
                nominations.get_nomination(moved[2], uow, GetNomination(case_id), lister)


@pytest.mark.parametrize(
    "caller",
    [CLAIMED_DIRECTOR, NOMINATING, COLLEAGUE, MANAGER, OUTSIDER],
    ids=["token-role-only", "nominating-worker", "its-colleague", "manager", "outsider"],
)
def test_who_the_roster_does_not_hold_as_process_director_is_refused(intake, caller):
    nominated(intake)
    with pytest.raises(PermissionDenied) as denied:
        listed(intake, caller)
    assert any("art. 11.2" in r for r in denied.value.reasons)


def test_an_unknown_stage_is_invalid_argument_naming_the_field(intake):
    with pytest.raises(InvalidArgument) as err:
        worklist_rpc(intake, DIRECTOR, stage=99)
    assert [f for f, _ in err.value.violations] == ["stage"]


# -- paged in SQL, a constant number of queries ------------------------------------------------
def queued(platform: Platform, n: int) -> list[str]:
    """``n`` queued nominations as rows only (the worklist never opens the sealed columns)."""
    at = utcnow() - timedelta(hours=1)
    ids = [uuid.uuid4().hex for _ in range(n)]
    with platform.uow_factory() as uow:
        uow.session.execute(
            insert(uow.tables["nominations"]),
            [
                {
                    "case_id": c,
                    "subject_pseudonym": "p" * 64,
                    "nominating_party": ASTEN,
                    "nominated_by": "worker-1",
                    "status": "nominated",
                    "age_band": "16_plus",
                    "consent_status": "given",
                    "chains": "[]",
                    "life_domains": "[]",
                    "safety_flags": "{}",
                    "usage_terms": "{}",
                    "sealed_identity": b"x",
                    "sealed_details": b"x",
                    "nominated_at": at + timedelta(seconds=i % 13),
                    "updated_at": at,
                    "version": 0,
                }
                for i, c in enumerate(ids)
            ],
        )
        uow.commit()
    return ids


def test_10_or_200_nominations_take_the_same_queries_and_page_oldest_first(intake):
    platform, _parts, _deps = intake
    counts = []
    for n in (10, 190):
        queued(platform, n)
        with statements() as sent:
            reply = worklist_rpc(intake, DIRECTOR, page_size=500)
        counts.append(len(sent))
    assert len(reply.nominations) == 200 and not reply.next_page_token
    assert counts[0] == counts[1] and limited(sent)
    walked, token = [], ""
    while True:
        page = worklist_rpc(intake, DIRECTOR, page_size=30, page_token=token)
        walked += [n.case_id for n in page.nominations]
        token = page.next_page_token
        if not token:
            break
        last_token = token
    assert walked == [n.case_id for n in reply.nominations]
    times = [(n.received_at.ToDatetime(), n.case_id) for n in reply.nominations]
    assert times == sorted(times)
    with pytest.raises(InvalidArgument) as err:  # a token of another query (another stage)
        worklist_rpc(intake, DIRECTOR, stage=pb.WORKLIST_STAGE_TO_ROUTE, page_token=last_token)
    assert [f for f, _ in err.value.violations] == ["page_token"]
    with pytest.raises(PermissionDenied):
        worklist_rpc(intake, CLAIMED_DIRECTOR)


def page_statement(intake, caller: Caller, **fields) -> tuple[str, object]:
    """The statement (and its parameters) a ListNominations page sends for its rows."""
    with sent_with_parameters() as sent:
        worklist_rpc(intake, caller, **fields)
    (page,) = [(s, p) for s, p in sent if "nominations" in s and " LIMIT " in " ".join(s.split())]
    return page


def test_a_page_of_the_worklist_is_read_in_key_order_from_its_indexes_on_postgresql(intake):
    """The plan of a page's statement, first and deep, with sequential scans and sorts priced
    out: each branch (the queue; what the caller took up, qualified or in triage) reads its
    index from the page's key on, in key order, and stops at the page (issue #16: before, every
    row on the worklist was read and sorted for each page, the last the dearest). Not a
    timing: the same plan on any machine."""
    platform, _parts, _deps = intake
    queued(platform, 30)
    first = worklist_rpc(intake, DIRECTOR, page_size=10)
    assert first.next_page_token
    for fields in ({"page_size": 10}, {"page_size": 10, "page_token": first.next_page_token}):
        statement, parameters = page_statement(intake, DIRECTOR, **fields)
        with platform.uow_factory() as uow:
            plan = plan_without_scans_or_sorts(uow.session.connection(), statement, parameters)
        if plan is None:
            pytest.skip("a PostgreSQL plan")
        assert "Sort  (" not in plan and "Seq Scan on nominations" not in plan, plan
        assert "ix_nominations_worklist_queue" in plan, plan
        assert plan.count("ix_nominations_worklist_director") == 2, plan


def test_a_deep_page_takes_the_same_queries_as_the_first(intake):
    platform, _parts, _deps = intake
    queued(platform, 60)
    counts, token = [], ""
    while True:
        with statements() as sent:
            page = worklist_rpc(intake, DIRECTOR, page_size=20, page_token=token)
        counts.append(len(sent))
        token = page.next_page_token
        if not token:
            break
    assert len(counts) == 3 and len(set(counts)) == 1 and limited(sent)


def test_a_process_director_lists_what_it_took_up_under_its_id_in_any_case(intake):
    """A person id names its person without case, but intake kept who took a nomination up by
    the id as the token typed it and listed what a process director took up by its id as typed:
    pd-x, having taken one up with a token for "PD-X", listed none of it as pd-x (12.3)."""
    platform, _parts, deps = intake
    person = f"pd-{uuid.uuid4().hex[:8]}"
    set_roster(platform, "process_director", DIRECTOR.party, person)
    token = Caller(DIRECTOR.party, person, "process_director", party_status="active")
    case_id = nominated(intake, bsn="")
    run(platform, assessment.assess, deps, qualify(case_id), replace(token, person=person.upper()))
    for spelling in (person, person.capitalize()):
        rows = listed(intake, replace(token, person=spelling))
        assert rows[case_id].stage(utcnow()) == WorklistStage.TO_TRIAGE
    assert case_id not in listed(intake, OTHER_DIRECTOR)


def test_what_a_process_director_took_up_is_back_in_the_queue_when_its_end_names_it_in_other_case(
    intake,
):
    """A person id names its person without case: a process director designated as pd-x who
    took a nomination up with a token for "PD-X" kept it when its designation ended as pd-x (the
    nominations in its hands were sought by the id as typed), in the hands of a person who may
    act on nothing, in no worklist (12.3)."""
    platform, parts, deps = intake
    person = f"pd-{uuid.uuid4().hex[:8]}"
    set_roster(platform, "process_director", DIRECTOR.party, person)
    token = Caller(DIRECTOR.party, person.upper(), "process_director", party_status="active")
    case_id = nominated(intake, bsn="")
    run(platform, assessment.assess, deps, qualify(case_id), token)
    ended = {
        "function": "process_director",
        "party": DIRECTOR.party,
        "person": person,
        "held": False,
        "changed_at": utcnow().isoformat(),
    }
    deliver(platform, parts, ev.ROSTER_CHANGED, ended)
    assert listed(intake, OTHER_DIRECTOR)[case_id].stage(utcnow()) == WorklistStage.TO_TRIAGE


def test_what_a_process_director_took_up_is_back_in_the_queue_when_the_designation_ends(intake):
    """12.3: a nomination taken up is acted on by its process director alone; when governance
    ended that designation (revoked, or the party left the covenant: RosterChanged, held
    false) the nominations qualified or in triage stayed in the hands of a person who may act
    on nothing, in no worklist. Now they are back in the intake queue as they stand (assessed,
    the triage round running): any designated process director lists them and takes one up by
    acting on it; the one who left acts on none. Delivered twice, the end changes nothing more."""
    platform, parts, deps = intake
    qualified, in_triage = nominated(intake, bsn=""), nominated(intake, bsn="")
    for case_id in (qualified, in_triage):
        run(platform, assessment.assess, deps, qualify(case_id), DIRECTOR)
    deadline = utcnow() + timedelta(days=2)
    ask = StartTriage(in_triage, (POLICE,), deadline, ("safety",), "bekend?")
    run(platform, triage.start_triage, deps, ask, DIRECTOR)
    ended = {
        "function": "process_director",
        "party": DIRECTOR.party,
        "person": DIRECTOR.person,
        "held": False,
        "changed_at": utcnow().isoformat(),
    }
    for _ in range(2):
        deliver(platform, parts, ev.ROSTER_CHANGED, ended)
    rows = listed(intake, OTHER_DIRECTOR)
    assert rows[qualified].stage(utcnow()) == WorklistStage.TO_TRIAGE
    assert rows[in_triage].stage(utcnow()) == WorklistStage.IN_TRIAGE
    assert listed(intake, OTHER_DIRECTOR, WorklistStage.TO_ASSESS).keys().isdisjoint(rows)
    start = StartTriage(qualified, (POLICE,), deadline, ("safety",), "bekend?")
    taken, _ = run(platform, triage.start_triage, deps, start, OTHER_DIRECTOR)
    assert taken.process_director == (OTHER_DIRECTOR.party, OTHER_DIRECTOR.person)
    # The round runs on: the asked party answers, and the one who takes it up routes it.
    answer = AnswerTriage(in_triage, TriageAnswerKind.NOT_KNOWN, "", ())
    run(platform, triage.answer_triage, deps, answer, ASKED)
    assert listed(intake, OTHER_DIRECTOR)[in_triage].stage(utcnow()) == WorklistStage.TO_ROUTE
    route = DecideRouting(in_triage, Routing.REGULAR_CARE, None, "regular_care_suffices", {})
    routed, _ = run(platform, routing.decide_routing, deps, route, OTHER_DIRECTOR)
    assert routed.status == Status.ROUTED
    assert routed.process_director == (OTHER_DIRECTOR.party, OTHER_DIRECTOR.person)
    # Taken up again: no other designated process director acts on it.
    third = Caller(HELMOND, "zorgcoordinator-5", "process_director", party_status="active")
    set_roster(platform, "process_director", third.party, third.person)
    assert qualified not in listed(intake, third)
    with pytest.raises(PermissionDenied):
        run(platform, triage.triage_question, deps, GetTriageQuestion(qualified), third)
    with pytest.raises(PermissionDenied):
        listed(intake, DIRECTOR)
