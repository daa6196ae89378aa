"""A purge and an event of the same case applied at once leave no inbox row naming the case
(covenant 1.2: the dossier finally disappears). On PostgreSQL under READ COMMITTED neither
transaction sees the other's uncommitted rows; kernel/purge.py serialises them on the case's
lock. Each race is staged, not hoped for: the consumer is held at a known point, and the test
waits on PostgreSQL's own lock table, never on a sleep."""

from __future__ import annotations

import threading
import uuid
from collections import namedtuple

import pytest
from sqlalchemy import select, text

from zorgtafel.contracts.casework import CASE_PURGED, DELEGATE_NAMED
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.purge import forget_case
from zorgtafel.kernel.uow import utcnow
from zorgtafel.kernel.wire import to_kafka
from zorgtafel.testing import wait_for
from zorgtafel.testing.handlers import handler_platform

pytestmark = pytest.mark.integration

Record = namedtuple("Record", "topic partition offset key value headers")
TOPIC = "zorgtafel.casework.v1"


@pytest.fixture
def casework(tmp_path, pg_url):
    with handler_platform("casework", tmp_path, pg_url) as (platform, _parts):
        yield platform


def record(event_type: str, case_id: str) -> tuple[str, Record]:
    event_id = str(uuid.uuid4())
    data = {"case_id": case_id}
    if event_type == DELEGATE_NAMED:
        data |= {"party": "00000099000000000002", "person": "delegate-1"}
    msg = to_kafka(event_id, event_type, "/zorgtafel/casework", utcnow(), case_id, data)
    return event_id, Record(TOPIC, 0, 0, msg.key.encode(), msg.value, list(msg.headers.items()))


def consumer(platform, handler=lambda uow, event: None) -> EventConsumer:
    handlers = {DELEGATE_NAMED: handler, CASE_PURGED: lambda uow, event: None}
    return EventConsumer([TOPIC], handlers, platform.uow_factory, lambda topics: None)


def inbox_case(platform, event_id: str) -> str | None:
    with platform.uow_factory() as uow:
        table = uow.tables["processed_events"]
        return uow.session.execute(
            select(table.c.case_id).where(table.c.event_id == event_id)
        ).scalar_one()


def purge(platform, case_id: str) -> None:
    with platform.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        uow.commit()


def waiting_on_an_advisory_lock(platform) -> bool:
    with platform.uow_factory() as uow:
        return bool(
            uow.session.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            ).scalar_one()
        )


def in_thread(fn) -> tuple[threading.Thread, list]:  # noqa: ANN001
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(fn()), daemon=True)
    thread.start()
    return thread, outcome


def test_an_event_applied_while_its_case_is_purged_keeps_no_case_id(casework):
    # The consumer has written its inbox row and is in its handler when the purge commits:
    # the purge's unlink cannot see that uncommitted row, so the consumer must notice the
    # purge itself before it commits.
    case_id = str(uuid.uuid4())
    in_handler, go_on = threading.Event(), threading.Event()

    def held(uow, event) -> None:  # noqa: ANN001
        in_handler.set()
        assert go_on.wait(30)

    event_id, rec = record(DELEGATE_NAMED, case_id)
    thread, outcome = in_thread(lambda: consumer(casework, held).handle_record(rec))
    assert in_handler.wait(30)
    purge(casework, case_id)  # commits while the consumer's transaction is open
    go_on.set()
    thread.join(30)
    assert outcome == ["applied"]
    assert inbox_case(casework, event_id) is None


def test_an_event_decided_while_a_purge_is_uncommitted_waits_for_it(casework):
    # The purge has unlinked what it saw and holds the case's lock, not yet committed: the
    # consumer waits for it (PostgreSQL's lock table shows the wait) and then sees the case
    # forgotten.
    case_id = str(uuid.uuid4())
    event_id, rec = record(DELEGATE_NAMED, case_id)
    with casework.uow_factory() as uow:
        forget_case(uow.session, uow.tables, case_id)
        thread, outcome = in_thread(lambda: consumer(casework).handle_record(rec))
        wait_for(lambda: waiting_on_an_advisory_lock(casework), timeout=30)
        assert not outcome  # still waiting: it cannot decide before the purge ends
        uow.commit()
    thread.join(30)
    assert outcome == ["applied"]
    assert inbox_case(casework, event_id) is None


def test_an_event_applied_before_the_purge_is_unlinked_by_it(casework):
    case_id = str(uuid.uuid4())
    event_id, rec = record(DELEGATE_NAMED, case_id)
    assert consumer(casework).handle_record(rec) == "applied"
    assert inbox_case(casework, event_id) == case_id  # so the purge can find it
    purge(casework, case_id)
    assert inbox_case(casework, event_id) is None


def test_the_purge_event_itself_names_no_case_and_later_events_are_not_linked(casework):
    case_id = str(uuid.uuid4())
    purged_id, purged = record(CASE_PURGED, case_id)
    later_id, later = record(DELEGATE_NAMED, case_id)
    c = consumer(casework)
    assert c.handle_record(purged) == "applied"
    assert c.handle_record(later) == "applied"
    assert inbox_case(casework, purged_id) is None
    assert inbox_case(casework, later_id) is None
    assert c.handle_record(later) == "duplicate"  # still recognised without its case id
