"""Every list RPC over 10k rows (issue #16): ListOverdueActions over 10,000 cases, and
governance's ListParties / ListBodies / ListSeats / ListProcessDirectors / ListPolicyRevisions
and intake's ListProbingFlags over 10,000 rows each (first pages and the last, the deepest a
caller can ask), called through their servicers (the handler, the policy decisions, one page
in SQL) on SQLite and on PostgreSQL when it answers. Reported per list: p50/p95/p99, the SQL
statements per call (the same for every call: constant, however many rows) and p95 as a ratio
to a bare primary-key SELECT measured on the same database in the same run. Target: p95 <= 50
ms. ``run()`` is what ``python -m bench`` calls; ``python -m bench.bench_lists`` prints and
writes bench/results/lists.json. Not a timed test.

The rows are written in bulk with SQL (the services' own tables), not through the use cases:
the benchmark is about reading them.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
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
    """timed_loop with p95 (the bench baseline reports p50/p99)."""
    import time

    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline and len(samples) < 2000:
        t0 = time.perf_counter()
        call()
        samples.append(time.perf_counter() - t0)
    ordered = sorted(samples)
    n = len(ordered)
    return {
        "n": n,
        "p50_ms": ordered[n // 2] * 1000,
        "p95_ms": ordered[min(n - 1, int(n * 0.95))] * 1000,
        "p99_ms": ordered[min(n - 1, int(n * 0.99))] * 1000,
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
def _intake(database_url: str, seconds: float) -> dict:
    from sqlalchemy import insert, text

    from services.intake.bootstrap import SERVICE_NAME, make_deps
    from services.intake.entrypoints.grpc_api import IntakeServicer
    from zorgtafel.generated.intake.v1 import intake_pb2 as pb
    from zorgtafel.kernel.commands import Commands
    from zorgtafel.testing import handler_platform, set_party_status, set_roster

    data_dir = Path(tempfile.mkdtemp(prefix="zorgtafel-bench-lists-"))
    with handler_platform("intake", data_dir, database_url) as (platform, _parts):
        set_party_status(platform, HELMOND)
        set_roster(platform, "manager", HELMOND, "manager-1")
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
            uow.commit()
        if database_url:
            with platform.uow_factory() as uow:
                uow.session.execute(text("ANALYZE"))
                uow.commit()
        deps = make_deps(platform)
        servicer = IntakeServicer(
            deps, platform.uow_factory, Commands(platform.uow_factory, SERVICE_NAME)
        )
        return {
            "probing_flags": N,
            "bare_pk_select": _bare_select(platform, "probing_flags", "flag_id", "x", 1.0),
            "list_probing_flags_first_page": _list(
                lambda: _as(
                    HELMOND,
                    "manager-1",
                    "manager",
                    servicer.ListProbingFlags,
                    pb.ListProbingFlagsRequest(),
                ),
                lambda r: len(r.flags),
                seconds,
            ),
        }


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
                    "within_target": m["p95_ms"] <= TARGET_P95_MS,
                }
    return {
        "target_p95_ms": TARGET_P95_MS,
        "all_within_target": all(v["within_target"] for v in lists.values()),
        "lists": lists,
    }


def run(database_url: str = "", seconds: float = 2.0) -> dict:
    """Every list on ``database_url`` ("" for SQLite)."""
    result: dict = {"database": "postgresql" if database_url else "sqlite", "rows": N}
    # The machine's load while measuring: the p95s are only comparable at similar load.
    result["load_average_before"] = os.getloadavg()
    for name, part in (("casework", _casework), ("governance", _governance), ("intake", _intake)):
        try:
            result[name] = part(database_url, seconds)
        except Exception as exc:  # noqa: BLE001 - report a failed part, keep the others
            result[name] = {"error": f"{type(exc).__name__}: {exc}"}
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
                f"{db:10} {name:58} p95 {v['p95_ms']:7.2f} ms  statements {v['statements']:2d}"
                f"  {'ok' if v['within_target'] else 'OVER TARGET'}"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "lists.json").write_text(json.dumps(result, indent=2, default=str))
    print(f"written: {RESULTS / 'lists.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
