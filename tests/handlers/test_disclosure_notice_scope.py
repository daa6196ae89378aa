"""Need to know within a party (art. 8.4c, 15.1): the notices of safety overrides, the informing
tasks and the correction notices name a case, an item and who overrode or asked, so a worker of
the party lists only those of the cases the person has a part in (the case director, a delegate
of the party, the process director while the roster designates it), and the party's privacy
officer all of its party's (Bijlage 3). The scope is applied in the page's statement: pages are
full and newest first, and a token walks to the end. Through the servicer, on the platform of
``test_disclosure_handlers.py`` (real database, embedded policy engine)."""

from __future__ import annotations

import dataclasses
import secrets

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select

from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_correction_notice_pages import corrections_of
from tests.handlers.test_disclosure_handlers import CELLO, DIRECTOR, GGZ, GGZ_OFFICER
from tests.handlers.test_disclosure_review_pages import overrides
from zorgtafel.contracts import events as ev
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.testing import deliver, set_roster
from zorgtafel.testing.statements import call

disclosure_platform = base.disclosure_platform


def a_worker(party: str, role: str = "caseworker") -> Caller:
    return Caller(party, f"w-{secrets.token_hex(4)}", role, party_status="active")


def delegate(platform, case_id: str, party: str, person: str) -> None:
    with platform.uow_factory() as uow:
        uow.cases.set_delegate(case_id, party, person, True, None)
        uow.commit()


def facts(platform, case_id: str, **values: str) -> None:
    with platform.uow_factory() as uow:
        uow.cases.upsert(case_id, **values)
        uow.commit()


def notices(platform, caller: Caller, page_size: int = 500) -> list[pb.OverrideNotice]:
    def ask(**f):
        return call(
            pages.servicer(platform).ListOverrideNotices, pb.ListOverrideNoticesRequest(**f), caller
        )

    return pages.walk(ask, "notices", page_size)


def tasks(platform, caller: Caller, page_size: int = 500) -> list[pb.OverrideNotice]:
    def ask(**f):
        return call(
            pages.servicer(platform).ListInformingTasks, pb.ListInformingTasksRequest(**f), caller
        )

    return pages.walk(ask, "tasks", page_size)


def corrections(platform, caller: Caller, page_size: int = 500) -> list[pb.CorrectionNotice]:
    def ask(**f):
        return call(
            pages.servicer(platform).ListCorrectionNotices,
            pb.ListCorrectionNoticesRequest(**f),
            caller,
        )

    return pages.walk(ask, "notices", page_size)


def test_a_providers_worker_lists_the_override_notices_of_its_cases_in_full_pages(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    _, cases = overrides(platform, 12, provider=GGZ, party=CELLO, cases=4)  # 3 in each case
    worker, colleague = a_worker(GGZ), a_worker(GGZ, "case_director")
    delegate(platform, cases[0], GGZ, worker.person)
    facts(platform, cases[1], case_director_party=GGZ, case_director_person=worker.person)
    delegate(platform, cases[2], CELLO, worker.person)  # another party's delegate: not GGZ's

    first = call(
        pages.servicer(platform).ListOverrideNotices,
        pb.ListOverrideNoticesRequest(page_size=4),
        worker,
    )
    assert len(first.notices) == 4 and first.next_page_token  # full, not cut by the scope
    walked = notices(platform, worker, page_size=2)
    assert sorted(n.case_id for n in walked) == sorted([cases[0]] * 3 + [cases[1]] * 3)
    times = [n.overridden_at.ToDatetime() for n in walked]
    assert times == sorted(times, reverse=True)
    assert [n.decision_id for n in walked[:4]] == [n.decision_id for n in first.notices]
    assert notices(platform, colleague) == []  # no part in any case
    assert {n.case_id for n in notices(platform, GGZ_OFFICER)} >= set(cases)


def test_the_process_director_lists_the_notices_of_its_cases_while_designated(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    _, cases = overrides(platform, 2, provider=GGZ, party=CELLO)
    facts(platform, cases[0], process_director_party=GGZ, process_director_person=DIRECTOR.person)
    assert {n.case_id for n in notices(platform, DIRECTOR)} & set(cases) == {cases[0]}
    set_roster(platform, "process_director", GGZ, DIRECTOR.person, held=False)
    try:
        assert {n.case_id for n in notices(platform, DIRECTOR)} & set(cases) == set()
    finally:
        set_roster(platform, "process_director", GGZ, DIRECTOR.person)


def test_the_overriding_partys_worker_lists_the_informing_tasks_of_its_cases(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    party = "00000099" + "".join(secrets.choice("0123456789") for _ in range(12))
    _, cases = overrides(platform, 6, party=party, cases=3)
    worker, colleague = a_worker(party), a_worker(party)
    delegate(platform, cases[1], party, worker.person)
    assert {t.case_id for t in tasks(platform, worker, page_size=1)} == {cases[1]}
    assert len(tasks(platform, worker, page_size=1)) == 2
    assert tasks(platform, colleague) == []
    officer = Caller(party, "fg-5", "privacy_officer", party_status="active")
    assert {t.case_id for t in tasks(platform, officer)} == set(cases)


def test_a_providers_worker_lists_the_correction_notices_of_its_cases(disclosure_platform):
    platform, _ = disclosure_platform
    mine = set(corrections_of(platform, GGZ, 4))
    theirs = set(corrections_of(platform, GGZ, 3))
    with platform.uow_factory() as uow:
        table = uow.tables["subject_requests"]
        case_of = dict(
            uow.session.execute(
                select(table.c.subject_request_id, table.c.case_id).where(
                    table.c.subject_request_id.in_(mine | theirs)
                )
            ).all()
        )
    worker = a_worker(GGZ)
    delegate(platform, case_of[next(iter(mine))], GGZ, worker.person)
    assert {n.subject_request_id for n in corrections(platform, worker, page_size=3)} == mine
    assert corrections(platform, a_worker(GGZ)) == []
    assert {n.subject_request_id for n in corrections(platform, GGZ_OFFICER)} >= mine | theirs


# -- the cases a person has a part in (``CaseFactsRepository.cases_of_person``) ------------------
#
# Kept as a relation of its own (``case_people``: case, party, person, part) beside the case's
# facts, by the handlers of the facts that name a person, and read through its index on (party,
# person): the notice lists ask it on every page.


def _open(platform, parts, director: Caller) -> str:
    """A case opened by casework with ``director`` of its party as the process director."""
    case_id = f"case-{secrets.token_hex(6)}"
    deliver(
        platform,
        parts,
        ev.CASE_OPENED,
        {
            "case_id": case_id,
            "subject_pseudonym": f"psn-{secrets.token_hex(4)}",
            "nominating_party": director.party,
            "age_band": "16_plus",
            "invitees": [CELLO],
            "process_director_party": director.party,
            "process_director_person": director.person,
        },
    )
    return case_id


def _membership(platform, parts, event: str, case_id: str, who: Caller) -> None:
    deliver(platform, parts, event, {"case_id": case_id, "party": who.party, "person": who.person})


def _cases_of(platform, who: Caller, *parts: str) -> list[str]:
    with platform.uow_factory() as uow:
        return uow.cases.cases_of_person(
            who.party, who.person, parts or ("process_director", "case_director", "delegate")
        )


def _people_rows(platform, case_id: str) -> set[tuple[str, str, str]]:
    with platform.uow_factory() as uow:
        t = uow.tables["case_people"]
        rows = uow.session.execute(
            select(t.c.party, t.c.person, t.c.part).where(t.c.case_id == case_id)
        ).all()
    return {tuple(r) for r in rows}


def test_a_person_has_a_part_only_in_the_cases_that_name_that_very_person_of_that_party(
    disclosure_platform,
):
    platform, parts = disclosure_platform
    worker = a_worker(GGZ)
    longer = Caller(GGZ, worker.person + "0", "caseworker", party_status="active")  # p-1, p-10
    at_cello = Caller(CELLO, worker.person, "caseworker", party_status="active")
    mine, longers, cellos, directed, processed = (
        _open(platform, parts, DIRECTOR) for _ in range(5)
    )
    _membership(platform, parts, ev.DELEGATE_NAMED, mine, worker)
    _membership(platform, parts, ev.DELEGATE_NAMED, longers, longer)
    _membership(platform, parts, ev.DELEGATE_NAMED, cellos, at_cello)  # the id, another party
    _membership(platform, parts, ev.DIRECTOR_APPOINTED, directed, worker)
    processed_by_cello = _open(platform, parts, at_cello)

    assert _cases_of(platform, worker, "delegate") == [mine]
    assert _cases_of(platform, worker, "case_director") == [directed]
    assert _cases_of(platform, worker, "process_director") == []
    assert _cases_of(platform, worker) == sorted([mine, directed])
    assert _cases_of(platform, longer) == [longers]
    assert _cases_of(platform, at_cello) == sorted([cellos, processed_by_cello])
    assert _cases_of(platform, at_cello, "case_director") == []
    assert processed not in _cases_of(platform, DIRECTOR, "delegate")

    # A released delegate and a replaced case director have no part any more.
    _membership(platform, parts, ev.DELEGATE_RELEASED, mine, worker)
    _membership(platform, parts, ev.DIRECTOR_APPOINTED, directed, a_worker(GGZ))
    assert _cases_of(platform, worker) == []
    assert _cases_of(platform, longer) == [longers]


def test_the_purge_forgets_who_had_a_part_in_the_case(disclosure_platform):
    platform, parts = disclosure_platform
    worker, director = a_worker(GGZ), a_worker(CELLO)
    case_id = _open(platform, parts, DIRECTOR)
    _membership(platform, parts, ev.DELEGATE_NAMED, case_id, worker)
    _membership(platform, parts, ev.DIRECTOR_APPOINTED, case_id, director)
    assert _people_rows(platform, case_id) == {
        (GGZ, DIRECTOR.person, "process_director"),
        (GGZ, worker.person, "delegate"),
        (CELLO, director.person, "case_director"),
    }

    deliver(platform, parts, ev.CASE_PURGED, {"case_id": case_id})

    assert _people_rows(platform, case_id) == set()
    assert _cases_of(platform, worker) == []
    assert case_id not in _cases_of(platform, DIRECTOR)


def test_the_cases_of_a_person_are_found_by_its_id_in_any_case(disclosure_platform):
    """A person id names its person without case ("W-1" is w-1: validate.same_person, the
    token's subject), but the cases a worker has a part in (the scope of its notice lists) were
    sought by the id as typed: a delegate named as w-x with a token for "W-X" listed none."""
    platform, parts = disclosure_platform
    worker = a_worker(GGZ)
    case_id = _open(platform, parts, DIRECTOR)
    _membership(platform, parts, ev.DELEGATE_NAMED, case_id, worker)
    assert _cases_of(platform, dataclasses.replace(worker, person=worker.person.upper())) == [
        case_id
    ]
    assert _cases_of(platform, dataclasses.replace(worker, person=worker.person + "0")) == []


def test_the_cases_of_a_person_are_found_through_the_index_on_postgresql(disclosure_platform):
    """The plan of ``cases_of_person``'s statement, with sequential scans priced out: an index
    that fits is used (a text match on the delegates' JSON has none; the lists ask it on every
    page). Not a timing: the same plan on any machine."""
    platform, parts = disclosure_platform
    worker = a_worker(GGZ)
    _membership(platform, parts, ev.DELEGATE_NAMED, _open(platform, parts, DIRECTOR), worker)
    with platform.uow_factory() as uow:
        conn = uow.session.connection()
        if conn.dialect.name != "postgresql":
            pytest.skip("a PostgreSQL plan")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        sent: list[tuple[str, object]] = []

        def seen(conn_, cursor, statement, parameters, context, executemany) -> None:
            sent.append((statement, parameters))

        sa_event.listen(conn, "before_cursor_execute", seen)
        try:
            found = uow.cases.cases_of_person(
                worker.party, worker.person, ("process_director", "case_director", "delegate")
            )
        finally:
            sa_event.remove(conn, "before_cursor_execute", seen)
        assert len(found) == 1 and len(sent) == 1
        statement, parameters = sent[0]
        plan = "\n".join(
            r[0] for r in conn.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        )
    assert "Seq Scan" not in plan, plan
    assert "ix_case_people_party_person" in plan, plan


def test_a_colleague_without_a_part_records_no_informing_and_learns_nothing_of_the_override(
    disclosure_platform,
):
    """RecordClientInformed answers with the override's notices (its case, items, provider,
    who overrode): a worker of the overriding party without a part in the case, holding a
    decision id, recorded the client informed and read them, where ListInformingTasks shows it
    nothing of that case (8.4c, 15.1). Now it is refused as for an id of no override; the
    person who overrode, a delegate of the party in the case and the party's privacy officer
    record it."""
    from services.disclosure.bootstrap import make_deps
    from services.disclosure.domain import commands
    from services.disclosure.service_layer.handlers import notices as handlers
    from zorgtafel.kernel.errors import ZorgtafelError

    platform, _ = disclosure_platform
    party = "00000099" + "".join(secrets.choice("0123456789") for _ in range(12))
    _, cases = overrides(platform, 3, party=party, cases=3)
    officer = Caller(party, "fg-5", "privacy_officer", party_status="active")
    decision_of = {t.case_id: t.decision_id for t in tasks(platform, officer)}
    colleague, delegate_person = a_worker(party), a_worker(party)
    delegate(platform, cases[1], party, delegate_person.person)
    overrider = Caller(party, "zorgcoordinator-2", "caseworker", party_status="active")

    def record(decision_id: str, caller: Caller):
        with platform.uow_factory() as uow:
            try:
                done = handlers.record_client_informed(
                    make_deps(platform),
                    uow,
                    commands.RecordClientInformed(decision_id, "telefonisch"),
                    caller,
                )
            except ZorgtafelError as err:
                return (type(err).__name__, err.message, getattr(err, "policy", None))
            uow.commit()
            return [n.case_id for n in done]

    unknown = record(f"dec-{secrets.token_hex(8)}", colleague)
    assert unknown[0] == "PermissionDenied"
    for case_id in cases:
        assert record(decision_of[case_id], colleague) == unknown
    assert record(decision_of[cases[1]], delegate_person) == [cases[1]]
    assert record(decision_of[cases[0]], overrider) == [cases[0]]
    assert record(decision_of[cases[2]], officer) == [cases[2]]
