"""Every list RPC over 10k rows (issue #16): ListOverdueActions and ListCasesAwaitingDirector
(1,000 awaiting of them) over 10,000 cases;
governance's ListParties / ListBodies / ListSeats / ListProcessDirectors / ListPolicyRevisions;
intake's ListProbingFlags and ListNominations (the process director's worklist); disclosure's
ListSubjectRequests (unfiltered, by kind, overdue only), ListCorrectionNotices,
ListOverrideNotices, ListInformingTasks, ListReviews (every review, and one case with 1,000),
AccessLog (by provider, by party, one subject's), ListBreaches, ListProcessingActivities and
ListProcessingActivityHistory; and the kernel's AccessLogService.ListAccess (on disclosure's log:
by party, one case's) - over 10,000 rows each, first pages and the last (walked with the tokens
in pages of 500: the deepest a caller reaches), as callers the policies allow. Called through
their servicers (the handler, the policy decisions, the SQL) on SQLite and on PostgreSQL when it
answers. Reported per list: p50/p95/p99, the rows shown, the SQL statements per call and whether
that count is constant (the same for three calls, and for the last page of 500 rows as for the
first of 100: a statement per row or per case shown grows with the page) and p95 as a ratio to a
bare primary-key SELECT measured on the same database in the same run. Target: p95 <= 50 ms.
``run()`` is what ``python -m bench`` calls; ``python -m bench.bench_lists`` prints and writes
bench/results/lists.json. Not a timed test.

The rows are written in bulk with SQL (the services' own tables; the access log through its
store's batch append), not through the use cases: the benchmark is about reading them. What a
list reads back sealed is sealed as its repository seals it (case keys, a register row's own
data key); what no list reads holds a placeholder.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from zorgtafel.testing.statements import statements

RESULTS = Path(__file__).resolve().parent / "results"

N = 10_000
LUMENS = "00000099000000000053"  # the process directors' party
VEILIG_THUIS = "00000099000000000066"
SHELTER = "00000099000000000051"
FARENT = "00000099000000000042"
ASTEN = "00000099000000000001"
HELMOND = "00000099000000000018"
TARGET_P95_MS = 50.0


# -- measuring ----------------------------------------------------------------------------
def _as(caller_party: str, person: str, role: str, rpc: Callable, request: Any) -> Any:
    """``rpc(request)`` as the interceptor would call it: the caller in the call context."""
    from zorgtafel.kernel.auth import Principal
    from zorgtafel.kernel.callcontext import CallContext, reset, set_current

    token = set_current(
        CallContext("", Principal(caller_party, person, role, "dev_token"), "active", "", "")
    )
    try:
        return rpc(request, None)
    finally:
        reset(token)


def _p95(call: Callable[[], Any], seconds: float) -> dict:
    """timed_loop with p95 (the bench baseline reports p50/p99), and the process's CPU per
    call beside the wall time: on the shared machine the wall time follows the load, the CPU
    what the call itself costs."""
    samples, cpu = [], []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline and len(samples) < 2000:
        t0, c0 = time.perf_counter(), time.process_time()
        call()
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    ordered = sorted(samples)
    n = len(ordered)
    return {
        "n": n,
        "p50_ms": ordered[n // 2] * 1000,
        "p95_ms": ordered[min(n - 1, int(n * 0.95))] * 1000,
        "p99_ms": ordered[min(n - 1, int(n * 0.99))] * 1000,
        "cpu_p50_ms": sorted(cpu)[n // 2] * 1000,
    }


def _list(call: Callable[[], Any], shown: Callable[[Any], int], seconds: float) -> dict:
    counts = []
    reply = None
    for _ in range(3):
        with statements() as sent:
            reply = call()
        counts.append(len(sent))
    return {
        **_p95(call, seconds),
        "statements_per_call": counts[-1],
        "statements_constant": len(set(counts)) == 1,
        "rows_shown": shown(reply),
    }


def _bare_select(platform, table: str, key: str, value: str, seconds: float) -> dict:
    """The floor: one primary-key SELECT in a unit of work of the same service."""
    from sqlalchemy import select

    def one() -> None:
        with platform.uow_factory() as uow:
            t = uow.tables[table]
            uow.session.execute(select(t).where(t.c[key] == value)).first()

    return _p95(one, seconds)


def _asking(party: str, person: str, role: str, rpc: Callable) -> Callable[[Any], Any]:
    """``rpc`` as one caller asks it, request by request."""
    return lambda request: _as(party, person, role, rpc, request)


def _last_page(ask: Callable[[Any], Any], request: Any) -> tuple[Any, int]:
    """The request of the last page (the tokens walked as a client walks them: the deepest a
    caller reaches) and the number of pages."""
    reply, last, pages = ask(request), request, 1
    while reply.next_page_token:
        last = type(request)()
        last.CopyFrom(request)
        last.page_token = reply.next_page_token
        reply, pages = ask(last), pages + 1
    return last, pages


def _first_and_last(
    name: str,
    ask: Callable[[Any], Any],
    request: Any,
    shown: Callable[[Any], int],
    seconds: float,
) -> dict:
    """``name``'s first page (the default size, 100), its first page of 500 and its last page
    of 500. The last page is to be read against the first of 500: against the first of 100 it
    shows five times the rows, not the cost of its place in the list."""
    first = _list(lambda: ask(request), shown, seconds)
    walk = type(request)()
    walk.CopyFrom(request)
    walk.page_size = 500
    first_of_500 = _list(lambda: ask(walk), shown, seconds)
    last, pages = _last_page(ask, walk)
    deepest = _list(lambda: ask(last), shown, seconds)
    # A statement per row (or per case shown) shows as a count that grows with the page: the
    # last page is 500 rows, the first 100.
    deepest["statements_as_first_page"] = (
        deepest["statements_per_call"] == first["statements_per_call"]
    )
    return {
        f"{name}_first_page": first,
        f"{name}_first_page_of_500": first_of_500,
        f"{name}_pages_of_500": pages,
        f"{name}_last_page": deepest,
    }


def _analyze(platform, database_url: str) -> None:
    """Fresh planner statistics after a bulk insert (PostgreSQL; SQLite plans without)."""
    from sqlalchemy import text

    if database_url:
        with platform.uow_factory() as uow:
            uow.session.execute(text("ANALYZE"))
            uow.commit()


# -- casework -------------------------------------------------------------------------------
def _seed_casework(platform, database_url: str) -> int:
    """10,000 cases with 3 actions each (2 overdue, 1 done), 9 in 10 with their plan active;
    "pd-0" directs 1 case in 50, "pd-all" all the others (the worst case: ~17.6k overdue
    actions behind one caller's first page), "cd-<n>" directs 1 in 3 as case director; and
    one real case (sealed, with its key) with 30 overdue actions. Returns the action count."""
    from sqlalchemy import insert, text

    from services.casework.adapters import orm
    from services.casework.domain.model import Case, CaseState, PlanAction
    from zorgtafel.testing import set_party_status, set_roster

    for party in (LUMENS, VEILIG_THUIS, SHELTER, FARENT):
        set_party_status(platform, party)
    for person in ("pd-0", "pd-all"):
        set_roster(platform, "process_director", LUMENS, person)
    today = datetime.now(timezone.utc).date()
    now = datetime.now(timezone.utc)
    cases, actions = [], []
    for i in range(N):
        case_id = f"case-{i:06d}-{uuid.uuid4().hex[:8]}"
        cases.append(
            {
                "case_id": case_id,
                "state": "plan_active" if i % 10 else "closed",
                "process_director_party": LUMENS,
                "process_director_person": "pd-0" if i % 50 == 1 else "pd-all",
                "nominating_party": VEILIG_THUIS,
                "subject_pseudonym_sealed": b"\0",  # never read by a list
                "age_band": "16_plus",
                "goal_code": "stabilise",
                "themes": ["safety"],
                "decision_types": ["plan"],
                "triage_invitees": [SHELTER],
                "case_director_party": FARENT if i % 3 == 0 else None,
                "case_director_person": f"cd-{i % 100}" if i % 3 == 0 else None,
                "plan_version": 1,
                "criteria": {},
                "opened_at": now,
            }
        )
        for k, (days, status) in enumerate(((5, "open"), (2, "in_progress"), (9, "done"))):
            actions.append(
                {
                    "action_id": f"act-{i:06d}-{k}",
                    "case_id": case_id,
                    "plan_version": 1,
                    "party": SHELTER,
                    "what_sealed": b"\0",
                    "due_date": today - timedelta(days=days),
                    "status": status,
                }
            )
    with platform.uow_factory() as uow:
        uow.session.execute(insert(orm.cases), cases)
        uow.session.execute(insert(orm.plan_actions), actions)
        # One real case (sealed, with its key) for the one-case question.
        one = Case(
            "case-bench-one",
            CaseState.OPEN,
            LUMENS,
            VEILIG_THUIS,
            "ps-1",
            "16_plus",
            now,
            process_director_person="pd-0",
        )
        uow.cases.add(one)
        one.state = CaseState.PLAN_ACTIVE
        uow.cases.save(one)
        for k in range(30):
            uow.cases.add_action(
                PlanAction(f"act-one-{k}", one.case_id, 1, SHELTER, "x", date(2020, 1, 1))
            )
        uow.commit()
    if database_url:
        with platform.uow_factory() as uow:
            uow.session.execute(text("ANALYZE"))
            uow.commit()
    return len(actions) + 30


def _casework(database_url: str, seconds: float) -> dict:
    from services.casework.bootstrap import make_deps
    from services.casework.entrypoints.grpc_api import CaseworkServicer
    from zorgtafel.generated.casework.v1 import casework_pb2 as pb
    from zorgtafel.testing import handler_platform

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("casework", data_dir, database_url) as (platform, _parts):
        actions = _seed_casework(platform, database_url)
        servicer = CaseworkServicer(make_deps(platform), platform.uow_factory)
        rpc = servicer.ListOverdueActions

        def overdue(person: str, role: str = "process_director", party: str = LUMENS, **kw):
            return lambda: _as(party, person, role, rpc, pb.ListOverdueActionsRequest(**kw))

        count = lambda r: len(r.actions)  # noqa: E731
        out = {
            "cases": N + 1,
            "plan_actions": actions,
            "bare_pk_select": _bare_select(platform, "cases", "case_id", "case-bench-one", 1.0),
            "overdue_directing_9800_cases_first_page": _list(overdue("pd-all"), count, seconds),
            "overdue_directing_200_cases_first_page": _list(overdue("pd-0"), count, seconds),
            "overdue_as_case_director": _list(
                overdue("cd-3", "case_director", FARENT), count, seconds
            ),
            "overdue_colleague_directing_none": _list(overdue("pd-none"), count, seconds),
            "overdue_one_case": _list(overdue("pd-0", case_id="case-bench-one"), count, seconds),
        }
        # The last page of the worst case: the deepest OFFSET a caller can ask.
        walk = _as(
            LUMENS, "pd-all", "process_director", rpc, pb.ListOverdueActionsRequest(page_size=500)
        )
        token, pages = walk.next_page_token, 1
        last_token = ""
        while token:
            last_token = token
            reply = _as(
                LUMENS,
                "pd-all",
                "process_director",
                rpc,
                pb.ListOverdueActionsRequest(page_size=500, page_token=token),
            )
            token, pages = reply.next_page_token, pages + 1
        out["overdue_directing_9800_cases_pages_of_500"] = pages
        out["overdue_directing_9800_cases_last_page"] = _list(
            overdue("pd-all", page_size=500, page_token=last_token), count, seconds
        )
        return out


def _seed_cases_awaiting_director(platform, database_url: str) -> tuple[int, str]:
    """10,000 cases of Lumens, 1 in 10 awaiting a process director (12.3: the designation of the
    one who directed it ended, nobody took it over: no person, left_at set), 1 in 20 closed
    after its director left (in the partial index, never listed), the others directed by
    "pd-all"; "pd-taker" of Helmond a designated process director who may take one over.
    Returns how many await a director, and one case's id."""
    from sqlalchemy import insert

    from services.casework.adapters import orm
    from zorgtafel.testing import set_party_status, set_roster

    for party in (LUMENS, VEILIG_THUIS, SHELTER, HELMOND):
        set_party_status(platform, party)
    set_roster(platform, "process_director", HELMOND, "pd-taker")
    now = datetime.now(timezone.utc)
    cases, awaiting = [], 0
    for i in range(N):
        left = i % 10 == 5 or i % 20 == 0
        closed = i % 20 == 0
        awaiting += left and not closed
        cases.append(
            {
                "case_id": f"case-{i:06d}-{uuid.uuid4().hex[:8]}",
                "state": "closed" if closed else ("plan_active" if i % 3 else "open"),
                "process_director_party": LUMENS,
                "process_director_person": "" if left else "pd-all",
                "process_director_left_at": now - timedelta(minutes=i) if left else None,
                "nominating_party": VEILIG_THUIS,
                "subject_pseudonym_sealed": b"\0",  # never read by a list
                "age_band": "16_plus",
                "goal_code": "stabilise",
                "themes": ["safety"],
                "decision_types": ["plan"],
                "triage_invitees": [SHELTER],
                "plan_version": 1,
                "criteria": {},
                "opened_at": now,
            }
        )
    with platform.uow_factory() as uow:
        uow.session.execute(insert(orm.cases), cases)
        uow.commit()
    _analyze(platform, database_url)
    return awaiting, cases[5]["case_id"]


def _casework_awaiting(database_url: str, seconds: float) -> dict:
    """ListCasesAwaitingDirector (12.3) over 10,000 cases, as a designated process director of
    another party asks it: its first page, a first page of 500 and the last page of 500 (one
    policy decision and one query whatever the page: the statement count stays)."""
    from services.casework.bootstrap import make_deps
    from services.casework.entrypoints.grpc_api import CaseworkServicer
    from zorgtafel.generated.casework.v1 import casework_pb2 as pb
    from zorgtafel.testing import handler_platform

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("casework", data_dir, database_url) as (platform, _parts):
        awaiting, some = _seed_cases_awaiting_director(platform, database_url)
        servicer = CaseworkServicer(make_deps(platform), platform.uow_factory)
        ask = _asking(HELMOND, "pd-taker", "process_director", servicer.ListCasesAwaitingDirector)
        return {
            "cases": N,
            "awaiting_director": awaiting,
            "bare_pk_select": _bare_select(platform, "cases", "case_id", some, 1.0),
            **_first_and_last(
                "awaiting_director",
                ask,
                pb.ListCasesAwaitingDirectorRequest(),
                lambda r: len(r.cases),
                seconds,
            ),
        }


# -- governance -----------------------------------------------------------------------------
def _governance(database_url: str, seconds: float) -> dict:
    from sqlalchemy import insert, text

    from services.governance.adapters import orm
    from services.governance.bootstrap import make_deps
    from services.governance.entrypoints.grpc_api import GovernanceServicer
    from zorgtafel.generated.governance.v1 import governance_pb2 as pb
    from zorgtafel.testing import handler_platform

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("governance", data_dir, database_url) as (platform, _parts):
        now = datetime.now(timezone.utc)
        kinds = ("shelter", "care_provider", "municipality", "ggz")
        with platform.uow_factory() as uow:
            uow.session.execute(
                insert(orm.parties),
                [
                    {
                        "party_id": f"{88 * 10**15 + i:020d}",
                        "name": f"partij {i}",
                        "kind": kinds[i % 4],
                        "status": "active" if i % 5 else "applicant",
                        "status_since": now,
                    }
                    for i in range(N)
                ],
            )
            uow.session.execute(
                insert(orm.process_directors),
                [
                    {
                        "party": ASTEN if i % 2 else f"{88 * 10**15 + i:020d}",
                        "person": f"pd-{i:06d}",
                        "designated_at": now,
                        "designated_by_party": HELMOND,
                        "designated_by_person": "manager-1",
                    }
                    for i in range(N)
                ],
            )
            uow.session.execute(
                insert(orm.seats),
                [
                    {
                        "seat_id": f"managers.bench-{i:06d}",
                        "body": "managers",
                        "role": "manager",
                        "held_by_party": f"{88 * 10**15 + i:020d}",
                    }
                    for i in range(N)
                ],
            )
            # 10,000 entries of the policy history (issue #19), each service instance's report
            # naming one of the newest; tiny bundles (a list never reads them).
            uow.session.execute(
                insert(orm.policy_revisions),
                [
                    {
                        "revision": f"sha256:{i % 500:064x}",
                        "work_process_version": f"2026.{i}",
                        "proposal_id": f"prop-{i:032x}",
                        "decision_id": f"dec-{i:032x}",
                        "bundle": b"\0",
                        "bundle_digest": f"sha256:{i:064x}",
                        "adopted_at": now,
                        "adopted_by_party": HELMOND,
                    }
                    for i in range(N)
                ],
            )
            for service in ("intake", "casework", "disclosure", "governance"):
                for n in range(3):
                    uow.policies.record_enforced(
                        service, f"{service}-{n}", f"sha256:{(N - 1 - n) % 500:064x}", now
                    )
            uow.commit()
        if database_url:
            with platform.uow_factory() as uow:
                uow.session.execute(text("ANALYZE"))
                uow.commit()
        servicer = GovernanceServicer(platform.uow_factory, make_deps(platform))

        def ask(rpc: Callable, request: Any) -> Callable[[], Any]:
            return lambda: _as(HELMOND, "manager-1", "manager", rpc, request)

        def last_token(rpc: Callable, request: Any) -> str:
            """The token of the last page of 500: the deepest a caller reaches."""
            token = _as(HELMOND, "manager-1", "manager", rpc, request).next_page_token
            last = ""
            while token:
                last = token
                page = type(request)()
                page.CopyFrom(request)
                page.page_token = token
                token = _as(HELMOND, "manager-1", "manager", rpc, page).next_page_token
            return last

        def then(request: Any, token: str) -> Any:
            request.page_token = token
            return request

        seats_shown = lambda r: len(r.seats)  # noqa: E731
        revisions_shown = lambda r: len(r.revisions)  # noqa: E731
        last = {
            "parties": last_token(servicer.ListParties, pb.ListPartiesRequest(page_size=500)),
            "directors": last_token(
                servicer.ListProcessDirectors,
                pb.ListProcessDirectorsRequest(party=ASTEN, page_size=500),
            ),
            "seats": last_token(
                servicer.ListSeats, pb.ListSeatsRequest(body=pb.BODY_MANAGERS, page_size=500)
            ),
            "revisions": last_token(
                servicer.ListPolicyRevisions, pb.ListPolicyRevisionsRequest(page_size=500)
            ),
        }
        return {
            "parties": N,
            "process_directors": N,
            "seats": N,
            "policy_revisions": N,
            "bare_pk_select": _bare_select(
                platform, "parties", "party_id", f"{88 * 10**15:020d}", 1.0
            ),
            "list_parties_all": _list(
                ask(servicer.ListParties, pb.ListPartiesRequest()),
                lambda r: len(r.parties),
                seconds,
            ),
            "list_parties_kind_and_status": _list(
                ask(
                    servicer.ListParties,
                    pb.ListPartiesRequest(
                        kind=pb.PARTY_KIND_SHELTER, status=pb.PARTY_STATUS_ACTIVE
                    ),
                ),
                lambda r: len(r.parties),
                seconds,
            ),
            "list_process_directors_of_a_party": _list(
                ask(
                    servicer.ListProcessDirectors,
                    pb.ListProcessDirectorsRequest(party=ASTEN),
                ),
                lambda r: len(r.process_directors),
                seconds,
            ),
            "list_bodies_first_page": _list(
                ask(servicer.ListBodies, pb.ListBodiesRequest(page_size=1)),
                lambda r: sum(len(b.seats) for b in r.bodies),
                seconds,
            ),
            # 10k seats in one body: ListBodies shows its first 500, ListSeats pages them all.
            "list_bodies_managers_10k_seats": _list(
                ask(servicer.ListBodies, pb.ListBodiesRequest(body=pb.BODY_MANAGERS)),
                lambda r: sum(len(b.seats) for b in r.bodies),
                seconds,
            ),
            "list_bodies_all_with_10k_seats": _list(
                ask(servicer.ListBodies, pb.ListBodiesRequest()),
                lambda r: sum(len(b.seats) for b in r.bodies),
                seconds,
            ),
            "list_parties_last_page": _list(
                ask(
                    servicer.ListParties,
                    pb.ListPartiesRequest(page_size=500, page_token=last["parties"]),
                ),
                lambda r: len(r.parties),
                seconds,
            ),
            "list_process_directors_last_page": _list(
                ask(
                    servicer.ListProcessDirectors,
                    pb.ListProcessDirectorsRequest(
                        party=ASTEN, page_size=500, page_token=last["directors"]
                    ),
                ),
                lambda r: len(r.process_directors),
                seconds,
            ),
            "list_seats_managers_first_page": _list(
                ask(servicer.ListSeats, pb.ListSeatsRequest(body=pb.BODY_MANAGERS)),
                seats_shown,
                seconds,
            ),
            "list_seats_managers_last_page": _list(
                ask(
                    servicer.ListSeats,
                    then(pb.ListSeatsRequest(body=pb.BODY_MANAGERS, page_size=500), last["seats"]),
                ),
                seats_shown,
                seconds,
            ),
            "list_seats_of_a_party": _list(
                ask(servicer.ListSeats, pb.ListSeatsRequest(held_by_party=f"{88 * 10**15:020d}")),
                seats_shown,
                seconds,
            ),
            "list_policy_revisions_first_page": _list(
                ask(servicer.ListPolicyRevisions, pb.ListPolicyRevisionsRequest()),
                revisions_shown,
                seconds,
            ),
            "list_policy_revisions_last_page": _list(
                ask(
                    servicer.ListPolicyRevisions,
                    then(pb.ListPolicyRevisionsRequest(page_size=500), last["revisions"]),
                ),
                revisions_shown,
                seconds,
            ),
        }


# -- intake ---------------------------------------------------------------------------------
POLICE = "00000099000000000061"  # asked in triage


def _seed_worklist(uow, now: datetime) -> None:
    """10,000 nominations, oldest first, as rows only (the worklist never opens the sealed
    columns): 2 in 5 in the intake queue, 1 in 5 qualified and 1 in 5 in triage by "pd-1" of
    Helmond (its round asked two parties, one still to answer; half the deadlines passed), 1 in
    5 routed (off every worklist, yet in the table the query filters). "pd-1" lists 8,000 rows,
    a colleague "pd-2" the queue's 4,000."""
    from sqlalchemy import insert

    stages = ("nominated", "nominated", "qualified", "triage", "routed")
    nominations, rounds, answers = [], [], []
    for i in range(N):
        case_id = uuid.uuid4().hex
        status = stages[i % 5]
        taken = status != "nominated"
        nominations.append(
            {
                "case_id": case_id,
                "subject_pseudonym": f"{i:064x}",
                "nominating_party": ASTEN,
                "nominated_by": f"worker-{i % 40}",
                "status": status,
                "age_band": "16_plus",
                "consent_status": "given",
                "chains": "[]",
                "life_domains": "[]",
                "safety_flags": "{}",
                "usage_terms": "{}",
                "sealed_identity": b"\0",  # never read by a list
                "sealed_details": b"\0",
                # A few share a second: the key's tie-break (case id) is exercised.
                "nominated_at": now - timedelta(seconds=N - i - i % 3),
                "process_director_party": HELMOND if taken else None,
                "process_director_person": "pd-1" if taken else None,
                "updated_at": now,
                "version": 1,
            }
        )
        if status == "triage":
            deadline = now + timedelta(days=1) if i % 2 else now - timedelta(hours=1)
            rounds.append(
                {
                    "round_id": uuid.uuid4().hex,
                    "case_id": case_id,
                    "deadline": deadline,
                    "themes": '["safety"]',
                    "sealed_question": b"\0",
                    "started_at": now - timedelta(days=1),
                }
            )
            for party, answer in ((POLICE, None), (FARENT, "not_known")):
                answers.append(
                    {
                        "case_id": case_id,
                        "party": party,
                        "answer": answer,
                        "sealed_contribution": None,
                        "themes": None,
                        "answered_at": now if answer else None,
                    }
                )
    uow.session.execute(insert(uow.tables["nominations"]), nominations)
    uow.session.execute(insert(uow.tables["triage_rounds"]), rounds)
    uow.session.execute(insert(uow.tables["triage_answers"]), answers)


def _intake(database_url: str, seconds: float) -> dict:
    from sqlalchemy import insert

    from services.intake.bootstrap import SERVICE_NAME, make_deps
    from services.intake.entrypoints.grpc_api import IntakeServicer
    from zorgtafel.generated.intake.v1 import intake_pb2 as pb
    from zorgtafel.kernel.commands import Commands
    from zorgtafel.testing import handler_platform, set_party_status, set_roster

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("intake", data_dir, database_url) as (platform, _parts):
        set_party_status(platform, HELMOND)
        set_roster(platform, "manager", HELMOND, "manager-1")
        # The worklist is a designated process director's (a token role alone lists nothing).
        for person in ("pd-1", "pd-2"):
            set_roster(platform, "process_director", HELMOND, person)
        now = datetime.now(timezone.utc)
        with platform.uow_factory() as uow:
            uow.session.execute(
                insert(uow.tables["probing_flags"]),
                [
                    {
                        "flag_id": uuid.uuid4().hex,
                        "nominating_party": SHELTER,
                        "nominated_by": f"prober-{i % 700}",
                        "matches": 5,
                        "window_s": 3600,
                        "flagged_at": now - timedelta(seconds=i),
                    }
                    for i in range(N)
                ],
            )
            _seed_worklist(uow, now)
            uow.commit()
        _analyze(platform, database_url)
        deps = make_deps(platform)
        servicer = IntakeServicer(
            deps, platform.uow_factory, Commands(platform.uow_factory, SERVICE_NAME)
        )
        flags = _asking(HELMOND, "manager-1", "manager", servicer.ListProbingFlags)
        worklist = servicer.ListNominations
        taken_up = _asking(HELMOND, "pd-1", "process_director", worklist)
        colleague = _asking(HELMOND, "pd-2", "process_director", worklist)
        nominations = lambda r: len(r.nominations)  # noqa: E731
        return {
            "probing_flags": N,
            "nominations": N,
            "bare_pk_select": _bare_select(platform, "probing_flags", "flag_id", "x", 1.0),
            **_first_and_last(
                "list_probing_flags",
                flags,
                pb.ListProbingFlagsRequest(),
                lambda r: len(r.flags),
                seconds,
            ),
            # The queue and what "pd-1" took up: 8,000 of the 10,000.
            **_first_and_last(
                "list_nominations_8000_on_the_worklist",
                taken_up,
                pb.ListNominationsRequest(),
                nominations,
                seconds,
            ),
            # A colleague: the queue only (4,000).
            **_first_and_last(
                "list_nominations_queue_only",
                colleague,
                pb.ListNominationsRequest(),
                nominations,
                seconds,
            ),
            # A stage decided in SQL from the round and its answers (1,000 running rounds).
            **_first_and_last(
                "list_nominations_in_triage",
                taken_up,
                pb.ListNominationsRequest(stage=pb.WORKLIST_STAGE_IN_TRIAGE),
                nominations,
                seconds,
            ),
        }


# -- disclosure -----------------------------------------------------------------------------
PO = "po-1"  # a privacy officer of whichever party asks
WORKER = "worker-1"
# The controllers the subject requests are addressed to (Bijlage 3).
CONTROLLERS = (FARENT, SHELTER, VEILIG_THUIS, HELMOND, LUMENS)
MANY = 1_000  # the reviews of the one case with many


def _register_sealed(ring, record_id: str, texts: dict[str, str | None]) -> dict:
    """A register row's own data key, wrapped by the service key ring, and its free texts
    sealed under it, each bound to its record and field: as ``SubjectRequestRepository`` and
    ``BreachRepository`` seal them (a binding their migrations froze), so a list opens real
    ciphertexts."""
    from zorgtafel.kernel.crypto import new_data_key, seal

    key = new_data_key()
    out: dict = {"wrapped_key": ring.wrap(key)}
    for name, value in texts.items():
        out[f"{name}_sealed"] = (
            None if value is None else seal(key, value.encode(), f"{record_id}:{name}".encode())
        )
    return out


def _seed_subject_requests(uow, ring, now: datetime) -> None:
    """10,000 subject requests of 2,000 subjects, addressed round-robin to five controllers
    (2,000 each), every kind; submitted over the last 55 days (so about half are past their
    month), one in three decided (its reason sealed)."""
    from sqlalchemy import insert

    from services.disclosure.domain.subject_rights import SUBJECT_REQUEST_KINDS, one_month_after

    rows = []
    for i in range(N):
        ref = f"sr-{uuid.uuid4().hex}"
        controller = CONTROLLERS[i % len(CONTROLLERS)]
        submitted = now - timedelta(minutes=8 * i)
        decided = i % 3 == 0
        rows.append(
            {
                "subject_request_id": ref,
                "kind": SUBJECT_REQUEST_KINDS[i % len(SUBJECT_REQUEST_KINDS)],
                "subject_pseudonym": f"psn-{i % 2000:06d}",
                "case_id": f"case-{i % 1000:06d}" if i % 7 else None,
                "item_id": None,
                "submitted_by_party": controller,
                "submitted_at": submitted,
                "outcome": "refused" if decided else None,
                "refusal_ground": "required_by_law" if decided else None,
                "decided_by_party": controller if decided else None,
                "decided_by_person": PO if decided else None,
                "decided_at": submitted + timedelta(days=3) if decided else None,
                "controller": controller,
                "due_at": one_month_after(submitted),
                **_register_sealed(
                    ring,
                    ref,
                    {
                        "document_ref": f"dossier/{i}#brief",
                        "reason": "Bewaarplicht Jeugdwet" if decided else None,
                    },
                ),
            }
        )
    uow.session.execute(insert(uow.tables["subject_requests"]), rows)


def _seed_corrections(uow, ring, now: datetime) -> None:
    """10,000 granted corrections of 10,000 items Farent provided (the items' content is never
    read by the list)."""
    from sqlalchemy import insert

    items, requests = [], []
    for i in range(N):
        item_id = f"item-corr-{i:06d}"
        case_id = f"case-{i % 1000:06d}"
        items.append(
            {
                "item_id": item_id,
                "case_id": case_id,
                "provider": FARENT,
                "provided_by_person": WORKER,
                "category": "care_plan",
                "classification": "confidential",
                "legal_basis": "art_8_4c",
                "content_type": "text/plain",
                "content_sealed": b"\0",
                "summaries_sealed": None,
                "terms": "{}",
                "retracted": False,
                "erased": False,
                "provided_at": now - timedelta(days=60),
                "updated_at": now,
                "superseded_at": now - timedelta(minutes=i),
                "superseded_by": f"item-new-{i:06d}" if i % 2 else None,
            }
        )
        ref = f"sr-{uuid.uuid4().hex}"
        submitted = now - timedelta(days=20, minutes=i)
        requests.append(
            {
                "subject_request_id": ref,
                "kind": "correction",
                "subject_pseudonym": f"psn-{i % 2000:06d}",
                "case_id": case_id,
                "item_id": item_id,
                "submitted_by_party": FARENT,
                "submitted_at": submitted,
                "outcome": "granted",
                "refusal_ground": None,
                "decided_by_party": FARENT,
                "decided_by_person": PO,
                "decided_at": now - timedelta(minutes=i),
                "controller": FARENT,
                "due_at": submitted + timedelta(days=30),
                **_register_sealed(
                    ring, ref, {"document_ref": f"dossier/{i}#correctie", "reason": "Juist"}
                ),
            }
        )
    uow.session.execute(insert(uow.tables["items"]), items)
    uow.session.execute(insert(uow.tables["subject_requests"]), requests)


def _seed_reviews(uow, ring, now: datetime) -> None:
    """10,000 safety-override reviews: 2,000 overrides of 5 items each that Shelter's people
    made on items Farent provided, two overrides per case (1,000 cases), every client still
    to be informed; and one case with 1,000 reviews (Veilig Thuis on Helmond's items). Their
    texts sealed under each case's key (a real one, wrapped by the ring), as
    ``ReviewRepository`` seals them."""
    from sqlalchemy import insert

    from services.disclosure.domain.notices import NOT_YET, ClientInformed
    from zorgtafel.kernel.casekeys import CaseKeys
    from zorgtafel.kernel.crypto import new_data_key

    keys: dict[str, bytes] = {}
    rows = []

    def review(i: int, case_id: str, provider: str, party: str, at: datetime) -> None:
        key = keys.setdefault(case_id, new_data_key())
        review_id = f"rev-{i:08d}"
        told = ClientInformed(
            NOT_YET, "Melding aan de client volgt", (at + timedelta(days=30)).date()
        )
        rows.append(
            {
                "review_id": review_id,
                "decision_id": f"dec-{case_id}-{at.timestamp():.0f}",
                "case_id": case_id,
                "item_id": f"item-{i:08d}",
                "provider": provider,
                "party": party,
                "person": f"worker-{i % 50}",
                "consulted_colleague": "colleague-1",
                "justification_sealed": CaseKeys.seal(
                    key, b"Acuut gevaar voor de client", review_id
                ),
                "client_informed_sealed": CaseKeys.seal(
                    key, told.to_sealed(), review_id + ":informed"
                ),
                "client_informed_status": NOT_YET,
                "created_at": at,
            }
        )

    for i in range(N):
        override = i // 5
        at = now - timedelta(minutes=override)
        review(i, f"case-{override % 1000:06d}", FARENT, SHELTER, at)
    for i in range(N, N + MANY):
        review(i, "case-bench-many", HELMOND, VEILIG_THUIS, now - timedelta(minutes=i // 5))
    uow.session.execute(
        insert(uow.tables["case_keys"]),
        [{"case_id": c, "wrapped_key": ring.wrap(k), "created_at": now} for c, k in keys.items()],
    )
    uow.session.execute(insert(uow.tables["reviews"]), rows)


def _seed_access_log(uow, now: datetime) -> None:
    """10,000 records of Shelter's people reading what Farent provided (1 in 20 refused), 100
    cases and subjects with 100 records each: appended as the log appends (numbered, leaf
    hashes and the tree's head), in one batch."""
    from zorgtafel.kernel.accesslog import store
    from zorgtafel.kernel.accesslog.records import AccessRecord

    records = [
        AccessRecord(
            recorded_at=now - timedelta(seconds=N - i),
            party=SHELTER,
            person=f"worker-{i % 50}",
            role="caseworker",
            rpc="RequestDisclosure",
            action="read",
            result="denied" if i % 20 == 0 else "allowed",
            resource=f"item-{i:08d}",
            case_id=f"case-{i % 100:06d}",
            subject_pseudonym=f"psn-{i % 100:06d}",
            provider=FARENT,
            purpose="care_coordination",
            processing_activity="ZT-VA-03@1",
            reasons=("The recipient's role needs the item's category",),
            decision_id=uuid.uuid4().hex,
            policy_revision="rev-bench",
            trace_id="a" * 32,
            span_id="b" * 16,
            recipient=SHELTER,
            input_digest="c" * 64,
        )
        for i in range(N)
    ]
    store.append_batch(
        uow.session,
        store.LogTables.of(uow.tables),
        records,
        signer=None,
        log_id="bench",
        now=now,
    )


def _seed_registers(uow, ring, now: datetime) -> None:
    """10,000 breaches Farent recorded (texts sealed); 10,000 processing activities (each a
    copy of a shipped entry's nine fields: AddProcessingActivity sets no limit) and their
    10,000 changes in the history."""
    import json

    from sqlalchemy import insert

    from services.disclosure.adapters.registers import ProcessingRegister
    from services.disclosure.domain.register import NINE_FIELDS

    breaches = []
    for i in range(N):
        breach_id = f"brc-{uuid.uuid4().hex}"
        breaches.append(
            {
                "breach_id": breach_id,
                "detected_at": now - timedelta(hours=i, minutes=30),
                "recorded_at": now - timedelta(hours=i),
                "recorded_by_party": FARENT,
                "recorded_by_person": PO,
                "nature": "misdirected_email",
                "data_categories": '["contact_details"]',
                "subjects_affected": 1 + i % 4,
                "case_ids": json.dumps([f"case-{i % 1000:06d}"]),
                "reported_to_authority": i % 3 == 0,
                "reported_at": now - timedelta(hours=i) if i % 3 == 0 else None,
                "subjects_informed": i % 2 == 0,
                **_register_sealed(
                    ring,
                    breach_id,
                    {
                        "consequences": "Een e-mail met contactgegevens ging naar een derde",
                        "measures": "De ontvanger heeft de e-mail verwijderd",
                    },
                ),
            }
        )
    uow.session.execute(insert(uow.tables["breaches"]), breaches)
    shipped = ProcessingRegister().activities
    activities, changes = [], []
    for i in range(N):
        activity_id = f"ZT-BENCH-{i:05d}"
        doc = {f: shipped[i % len(shipped)][f] for f in NINE_FIELDS}
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        activities.append(
            {
                "activity_id": activity_id,
                "version": 1,
                "document": text,
                "maintainers": json.dumps([FARENT]),
                "updated_at": now,
                "retired_at": None,
            }
        )
        changes.append(
            {
                "change_id": f"pac-{uuid.uuid4().hex}",
                "activity_id": activity_id,
                "version": 1,
                "change": "added",
                "changed_fields": json.dumps(list(NINE_FIELDS)),
                "party": FARENT,
                "person": PO,
                "changed_at": now - timedelta(seconds=i),
                "reason": "",
                "document": json.dumps(
                    {"id": activity_id, "version": "1", **doc, "maintainers": [FARENT]},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            }
        )
    uow.session.execute(insert(uow.tables["processing_activities"]), activities)
    uow.session.execute(insert(uow.tables["processing_activity_changes"]), changes)


def _disclosure(database_url: str, seconds: float) -> dict:
    from typing import cast

    from services.disclosure.adapters.subject_rights import UNREADABLE
    from services.disclosure.adapters.uow import DisclosureUnitOfWork
    from services.disclosure.bootstrap import make_deps
    from services.disclosure.entrypoints import proto_mapping
    from services.disclosure.entrypoints.grpc_api import DisclosureServicer
    from zorgtafel.generated.accesslog.v1 import accesslog_pb2 as logpb
    from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
    from zorgtafel.kernel.accesslog.servicer import AccessLogServicer
    from zorgtafel.kernel.commands import Commands
    from zorgtafel.testing import handler_platform

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("disclosure", data_dir, database_url) as (platform, _parts):
        now = datetime.now(timezone.utc)
        with platform.uow_factory() as uow:
            ring = uow.keys.keyring if uow.keys is not None else None
            assert ring is not None, "the handler platform has a key ring"
            _seed_subject_requests(uow, ring, now)
            _seed_reviews(uow, ring, now)
            _seed_access_log(uow, now)
            _seed_registers(uow, ring, now)
            uow.commit()
        _analyze(platform, database_url)
        uow_factory = cast(Callable[[], DisclosureUnitOfWork], platform.uow_factory)
        servicer = DisclosureServicer(
            make_deps(platform), uow_factory, Commands(uow_factory, proto_mapping.SERVICE)
        )
        log_servicer = AccessLogServicer(
            "disclosure", platform.uow_factory, platform.policy, platform.access_log.keys
        )
        s = servicer
        # Who may ask (authz data.json's roles, then zorgtafel.disclosure.control): oversight
        # (subject requests, reviews, the log, breaches) is a privacy officer's of a party
        # concerned; the notices are the providing party's people's, the informing tasks the
        # overriding party's; the register of processing activities is every worker's.
        requests = _asking(FARENT, PO, "privacy_officer", s.ListSubjectRequests)
        corrections = _asking(FARENT, WORKER, "caseworker", s.ListCorrectionNotices)
        notices = _asking(FARENT, WORKER, "caseworker", s.ListOverrideNotices)
        tasks = _asking(SHELTER, WORKER, "caseworker", s.ListInformingTasks)
        reviews_farent = _asking(FARENT, PO, "privacy_officer", s.ListReviews)
        reviews_helmond = _asking(HELMOND, PO, "privacy_officer", s.ListReviews)
        log_provider = _asking(FARENT, PO, "privacy_officer", s.AccessLog)
        log_reader = _asking(SHELTER, PO, "privacy_officer", s.AccessLog)
        access_reader = _asking(SHELTER, PO, "privacy_officer", log_servicer.ListAccess)
        access_provider = _asking(FARENT, PO, "privacy_officer", log_servicer.ListAccess)
        breaches = _asking(FARENT, PO, "privacy_officer", s.ListBreaches)
        activities = _asking(FARENT, WORKER, "caseworker", s.ListProcessingActivities)
        history = _asking(FARENT, PO, "privacy_officer", s.ListProcessingActivityHistory)

        shown_requests = lambda r: len(r.requests)  # noqa: E731
        shown_notices = lambda r: len(r.notices)  # noqa: E731
        shown_reviews = lambda r: len(r.reviews)  # noqa: E731
        shown_entries = lambda r: len(r.entries)  # noqa: E731
        # The seeded texts open as the repositories open them (else the lists would time the
        # unreadable path, which only logs).
        one_request = requests(pb.ListSubjectRequestsRequest(page_size=1)).requests
        one_breach = breaches(pb.ListBreachesRequest(page_size=1)).breaches
        one_review = reviews_helmond(pb.ListReviewsRequest(case_id="case-bench-many", page_size=1))
        one_task = tasks(pb.ListInformingTasksRequest(page_size=1)).tasks
        opened = {
            "subject_request": bool(one_request) and one_request[0].document_ref != UNREADABLE,
            "breach": bool(one_breach) and one_breach[0].measures != UNREADABLE,
            "review": [r.justification for r in one_review.reviews]
            == ["Acuut gevaar voor de client"],
            "informing_task": [t.client_informed_status for t in one_task]
            == [pb.CLIENT_INFORMED_STATUS_NOT_YET],
        }
        out: dict = {
            "subject_requests": N,
            "bare_pk_select": _bare_select(
                platform, "subject_requests", "subject_request_id", "sr-x", 1.0
            ),
            "sealed_texts_open": opened,
            # 2,000 of the 10,000 are addressed to Farent.
            **_first_and_last(
                "list_subject_requests",
                requests,
                pb.ListSubjectRequestsRequest(),
                shown_requests,
                seconds,
            ),
            **_first_and_last(
                "list_subject_requests_kind_correction",
                requests,
                pb.ListSubjectRequestsRequest(kind=pb.SUBJECT_REQUEST_KIND_CORRECTION),
                shown_requests,
                seconds,
            ),
            **_first_and_last(
                "list_subject_requests_overdue_only",
                requests,
                pb.ListSubjectRequestsRequest(overdue_only=True),
                shown_requests,
                seconds,
            ),
        }
        # The granted corrections join the register after ListSubjectRequests was measured
        # over its 10,000 (the table then holds 20,000).
        with platform.uow_factory() as uow:
            _seed_corrections(uow, ring, now)
            uow.commit()
        _analyze(platform, database_url)
        out.update(
            {
                "granted_corrections": N,
                "reviews": N + MANY,
                "access_log_records": N,
                "breaches": N,
                "processing_activities": N,
                **_first_and_last(
                    "list_correction_notices",
                    corrections,
                    pb.ListCorrectionNoticesRequest(),
                    shown_notices,
                    seconds,
                ),
                **_first_and_last(
                    "list_override_notices",
                    notices,
                    pb.ListOverrideNoticesRequest(),
                    shown_notices,
                    seconds,
                ),
                **_first_and_last(
                    "list_informing_tasks",
                    tasks,
                    pb.ListInformingTasksRequest(),
                    lambda r: len(r.tasks),
                    seconds,
                ),
                # Every review Farent's oversight sees (10,000 of the 11,000). The first page
                # only: each page reads and opens all 11,000 (seconds a call), so walking to
                # the last would take minutes and show nothing the first does not.
                "list_reviews_all_first_page": _list(
                    lambda: reviews_farent(pb.ListReviewsRequest()), shown_reviews, seconds
                ),
                **_first_and_last(
                    "list_reviews_one_case_1000",
                    reviews_helmond,
                    pb.ListReviewsRequest(case_id="case-bench-many"),
                    shown_reviews,
                    seconds,
                ),
                # The log has no unfiltered listing: the whole of it is the provider's (every
                # record reads what Farent provided) and the reading party's (Shelter's people).
                # Both answer the newest 1,000 at most (store.MAX_QUERY).
                **_first_and_last(
                    "access_log_provider_all",
                    log_provider,
                    pb.AccessLogRequest(provider=FARENT),
                    shown_entries,
                    seconds,
                ),
                **_first_and_last(
                    "access_log_party_all",
                    log_reader,
                    pb.AccessLogRequest(party=SHELTER),
                    shown_entries,
                    seconds,
                ),
                # No case filter in disclosure's AccessLog: one subject's (100 records).
                **_first_and_last(
                    "access_log_one_subject",
                    log_provider,
                    pb.AccessLogRequest(subject_pseudonym="psn-000007"),
                    shown_entries,
                    seconds,
                ),
                # The kernel's AccessLogService (every service's, here disclosure's log).
                **_first_and_last(
                    "list_access_party_all",
                    access_reader,
                    logpb.ListAccessRequest(party=SHELTER),
                    shown_entries,
                    seconds,
                ),
                **_first_and_last(
                    "list_access_one_case",
                    access_provider,
                    logpb.ListAccessRequest(case_id="case-000007"),
                    shown_entries,
                    seconds,
                ),
                **_first_and_last(
                    "list_breaches",
                    breaches,
                    pb.ListBreachesRequest(),
                    lambda r: len(r.breaches),
                    seconds,
                ),
                **_first_and_last(
                    "list_processing_activities",
                    activities,
                    pb.ListProcessingActivitiesRequest(),
                    lambda r: len(r.activities),
                    seconds,
                ),
                **_first_and_last(
                    "list_processing_activity_history",
                    history,
                    pb.ListProcessingActivityHistoryRequest(),
                    lambda r: len(r.changes),
                    seconds,
                ),
            }
        )
        return out


def _verdict(result: dict) -> dict:
    """Every measured list: p95 against the target, as a ratio to its service's bare SELECT,
    and whether its statement count stayed constant."""
    lists = {}
    for service, parts in result.items():
        if not isinstance(parts, dict) or "bare_pk_select" not in parts:
            continue
        floor = parts["bare_pk_select"]["p95_ms"]
        for name, m in parts.items():
            if isinstance(m, dict) and "statements_per_call" in m:
                m["p95_ratio_to_bare_select"] = m["p95_ms"] / floor if floor else None
                lists[f"{service}.{name}"] = {
                    "p95_ms": round(m["p95_ms"], 2),
                    "statements": m["statements_per_call"],
                    "statements_constant": m["statements_constant"]
                    and m.get("statements_as_first_page", True),
                    "within_target": m["p95_ms"] <= TARGET_P95_MS,
                }
    return {
        "target_p95_ms": TARGET_P95_MS,
        "all_within_target": all(v["within_target"] for v in lists.values()),
        "all_statements_constant": all(v["statements_constant"] for v in lists.values()),
        # A part that failed measured nothing: no verdict on its lists.
        "failed_parts": sorted(
            name for name, part in result.items() if isinstance(part, dict) and "error" in part
        ),
        "lists": lists,
    }


def run(database_url: str = "", seconds: float = 2.0) -> dict:
    """Every list on ``database_url`` ("" for SQLite)."""
    result: dict = {"database": "postgresql" if database_url else "sqlite", "rows": N}
    # The machine's load while measuring: the p95s are only comparable at similar load.
    result["load_average_before"] = os.getloadavg()
    parts = (
        ("casework", _casework),
        ("casework_awaiting", _casework_awaiting),
        ("governance", _governance),
        ("intake", _intake),
        ("disclosure", _disclosure),
    )
    for name, part in parts:
        started = time.perf_counter()
        try:
            result[name] = part(database_url, seconds)
        except Exception as exc:  # noqa: BLE001 - report a failed part, keep the others
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
        # Seeding, walking to the last pages and measuring: what the run costs, part by part.
        result[name]["seconds_taken"] = round(time.perf_counter() - started, 1)
    result["load_average_after"] = os.getloadavg()
    result["verdict"] = _verdict(result)
    result["p95_ms"] = max((v["p95_ms"] for v in result["verdict"]["lists"].values()), default=0)
    return result


def run_both(seconds: float = 2.0) -> dict:
    """SQLite, and PostgreSQL when it answers (what ``python -m bench`` reports)."""
    from zorgtafel.testing import postgres_url

    out = {"sqlite": run("", seconds)}
    pg = postgres_url()
    out["postgresql"] = run(pg, seconds) if pg else {"skipped": "PostgreSQL not reachable"}
    out["all_within_target"] = all(
        part.get("verdict", {}).get("all_within_target", True)
        for part in out.values()
        if isinstance(part, dict)
    )
    return out


def main() -> int:
    result = run_both()
    for db in ("sqlite", "postgresql"):
        part = result[db]
        if "verdict" not in part:
            print(f"{db}: {part}")
            continue
        for name, v in part["verdict"]["lists"].items():
            print(
                f"{db:10} {name:66} p95 {v['p95_ms']:8.2f} ms  statements {v['statements']:5d}"
                f"{'' if v['statements_constant'] else ' (varies)'}"
                f"  {'ok' if v['within_target'] else 'OVER TARGET'}"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lists.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"written: {RESULTS / 'lists.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
