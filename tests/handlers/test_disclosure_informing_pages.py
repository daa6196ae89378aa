"""ListInformingTasks pages in SQL (issue #16): the overrides a party's people made whose client
is not yet informed, newest first, found by the status kept beside the sealed record and paged
by key, so a page takes the same statements however many overrides the party made and however
many of them are done; the sealed record still decides (a row sealed before the status column
is opened and listed by what it says); recording the informing and the purge take a task off
the list in SQL. Through the servicer, on the same platform as ``test_disclosure_handlers.py``
(real database, embedded policy engine)."""

from __future__ import annotations

import secrets
from datetime import timezone

import pytest
from sqlalchemy import select, update

from services.disclosure.bootstrap import make_deps
from services.disclosure.domain import commands
from services.disclosure.domain.notices import INFORMED, NOT_YET, ClientInformed
from services.disclosure.service_layer.handlers import notices as handlers
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_review_pages import NOW, overrides
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied, ZorgtafelError
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

DONE = ClientInformed(INFORMED, "in persoon verteld", informed_at=NOW)


def a_party() -> tuple[str, Caller]:
    """A party of its own (the platform is shared by the module's tests) and its privacy
    officer, who lists all of its party's tasks (a worker only those of its cases: see
    ``test_disclosure_notice_scope.py``)."""
    party = "00000099" + "".join(secrets.choice("0123456789") for _ in range(12))
    return party, Caller(party, "fg-7", "privacy_officer", party_status="active")


def a_worker(party: str) -> Caller:
    return Caller(party, "zorgcoordinator-7", "caseworker", party_status="active")


def listed(platform, caller: Caller, **fields) -> pb.ListInformingTasksResponse:
    request = pb.ListInformingTasksRequest(**fields)
    return call(pages.servicer(platform).ListInformingTasks, request, caller)


def walk(platform, caller: Caller, page_size: int) -> list[pb.OverrideNotice]:
    return pages.walk(lambda **f: listed(platform, caller, **f), "tasks", page_size)


def review_ids(platform, tasks) -> list[str]:
    """The reviews the tasks show (a notice names its item, one review per item overridden)."""
    with platform.uow_factory() as uow:
        table = uow.tables["reviews"]
        rows = uow.session.execute(
            select(table.c.item_id, table.c.review_id).where(
                table.c.item_id.in_([t.item_id for t in tasks])
            )
        ).all()
    of_item = dict(rows)
    return [of_item[t.item_id] for t in tasks]


def newest_first(platform, tasks) -> bool:
    times = [t.overridden_at.ToDatetime(timezone.utc) for t in tasks]
    order = list(zip(times, review_ids(platform, tasks), strict=True))
    return order == sorted(order, reverse=True) and len(set(order)) == len(order)


def test_10_or_200_open_tasks_among_300_done_take_the_same_statements(disclosure_platform):
    platform, _ = disclosure_platform
    party, worker = a_party()
    overrides(platform, 300, party=party, told=DONE)
    open_ids, _ = overrides(platform, 10, party=party)
    counts = []
    for more in (0, 190):
        if more:
            open_ids += overrides(platform, more, party=party)[0]
        with statements() as sent:
            reply = listed(platform, worker, page_size=500)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]  # not a statement per override, nor per case
    assert set(review_ids(platform, reply.tasks)) == set(open_ids)
    assert {t.client_informed_status for t in reply.tasks} == {pb.CLIENT_INFORMED_STATUS_NOT_YET}
    walked = walk(platform, worker, 7)
    assert [t.item_id for t in walked] == [t.item_id for t in reply.tasks]
    assert newest_first(platform, walked)


def test_an_override_sealed_before_the_status_column_is_listed_by_what_its_record_says(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    party, worker = a_party()
    # Interleaved in time, newest last: done, open, done, ... then the column forgotten, as
    # on a row sealed before migration 9c3f1a7e5d20.
    open_ids, done_ids = [], []
    for _ in range(6):
        done_ids += overrides(platform, 3, party=party, told=DONE)[0]
        open_ids += overrides(platform, 1, party=party)[0]
    with platform.uow_factory() as uow:
        table = uow.tables["reviews"]
        uow.session.execute(
            update(table).where(table.c.party == party).values(client_informed_status=None)
        )
        uow.commit()
    # Pages of 2 over rows mostly done: each page still fills from further down.
    walked = walk(platform, worker, 2)
    assert sorted(review_ids(platform, walked)) == sorted(open_ids)
    assert newest_first(platform, walked)


def test_recording_the_client_informed_and_the_purge_take_the_task_off_in_sql(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    party, worker = a_party()
    (informed_later, purged), cases = overrides(platform, 2, party=party)
    assert set(review_ids(platform, walk(platform, worker, 1))) == {informed_later, purged}

    def status_column(review_id: str):
        with platform.uow_factory() as uow:
            table = uow.tables["reviews"]
            return uow.session.execute(
                select(table.c.client_informed_status).where(table.c.review_id == review_id)
            ).scalar_one()

    assert status_column(informed_later) == NOT_YET
    shown = walk(platform, worker, 5)
    decision = next(
        t.decision_id
        for t, r in zip(shown, review_ids(platform, shown), strict=True)
        if r == informed_later
    )
    with platform.uow_factory() as uow:
        handlers.record_client_informed(
            make_deps(platform),
            uow,
            commands.RecordClientInformed(decision, "telefonisch"),
            worker,  # the party's privacy officer (a worker: of a case it has a part in)
        )
        uow.commit()
    assert status_column(informed_later) == INFORMED
    with platform.uow_factory() as uow:
        uow.reviews.erase_case(cases[1])
        uow.commit()
    assert status_column(purged) is None
    assert walk(platform, worker, 1) == []


def test_only_the_overriding_partys_people_list_its_tasks_and_a_token_is_its_querys(
    disclosure_platform,
):
    platform, _ = disclosure_platform
    party, worker = a_party()
    overrides(platform, 3, party=party)
    _, stranger = a_party()
    with pytest.raises(PermissionDenied):
        listed(platform, stranger, party=party)
    assert listed(platform, stranger).tasks == []
    token = listed(platform, worker, page_size=1).next_page_token
    assert token
    with pytest.raises(InvalidArgument) as err:  # another query: the party named
        listed(platform, worker, page_size=1, page_token=token, party=party)
    assert [f for f, _ in err.value.violations] == ["page_token"]
    pages.refuses_forged_keys(
        lambda **f: listed(platform, worker, **f), pb.ListInformingTasksRequest(page_size=1)
    )


def test_a_stranger_holding_a_decision_id_learns_neither_the_override_nor_who_made_it(
    disclosure_platform,
):
    """Bijlage 3, art. 8.4c: RecordClientInformed by a decision id answered NOT_FOUND for an id
    of no override and, for a real one, a refusal naming the party that made the override: a
    stranger holding a decision id learned that a safety override was made, and by whom. Both
    are now the same refusal (its words, policy and revision; each a logged decision)."""
    platform, _ = disclosure_platform
    party, worker = a_party()
    overrides(platform, 1, party=party)
    decision = walk(platform, worker, 1)[0].decision_id
    _, stranger = a_party()

    def told(decision_id: str) -> tuple:
        with platform.uow_factory() as uow, pytest.raises(ZorgtafelError) as err:
            handlers.record_client_informed(
                make_deps(platform),
                uow,
                commands.RecordClientInformed(decision_id, "telefonisch"),
                stranger,
            )
        e = err.value
        return (
            type(e).__name__,
            e.message,
            getattr(e, "policy", None),
            bool(getattr(e, "decision_id", "")),
        )

    real = told(decision)
    assert told(f"dec-{secrets.token_hex(8)}") == real
    assert real[0] == "PermissionDenied" and party not in real[1]
