"""Need to know within a party (art. 8.4c, 15.1): the notices of safety overrides, the informing
tasks and the correction notices name a case, an item and who overrode or asked, so a worker of
the party lists only those of the cases the person has a part in (the case director, a delegate
of the party, the process director while the roster designates it), and the party's privacy
officer all of its party's (Bijlage 3). The scope is applied in the page's statement: pages are
full and newest first, and a token walks to the end. Through the servicer, on the platform of
``test_disclosure_handlers.py`` (real database, embedded policy engine)."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_correction_notice_pages import corrections_of
from tests.handlers.test_disclosure_handlers import CELLO, DIRECTOR, GGZ, GGZ_OFFICER
from tests.handlers.test_disclosure_review_pages import overrides
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.testing import set_roster
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
