"""The processing register's lists page in SQL (issue #16): ListProcessingActivities (by id)
and ListProcessingActivityHistory (newest first) read only a page's documents, so a page takes
the same statements, with a LIMIT, however many entries and changes the register holds; a walk
shows each once, in order; a token continues only its own query. Through the servicer, on the
same platform as ``test_disclosure_handlers.py`` (real database, embedded policy engine)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert

from services.disclosure.adapters.registers import ProcessingRegister
from services.disclosure.domain.register import NINE_FIELDS
from tests.handlers import disclosure_pages as pages
from tests.handlers import test_disclosure_handlers as base
from tests.handlers.test_disclosure_handlers import CARER, GGZ
from zorgtafel.generated.disclosure.v1 import disclosure_pb2 as pb
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.testing.statements import call, limited, statements

disclosure_platform = base.disclosure_platform

NOW = datetime.now(timezone.utc)


def entries(platform, n: int) -> list[str]:
    """``n`` entries in the register, each with its change in the history, as rows (copies of
    a shipped entry's nine fields)."""
    shipped = ProcessingRegister().activities
    ids, activities, changes = [], [], []
    for i in range(n):
        activity_id = f"ZT-T-{uuid.uuid4().hex[:10]}"
        doc = {f: shipped[i % len(shipped)][f] for f in NINE_FIELDS}
        ids.append(activity_id)
        activities.append(
            {
                "activity_id": activity_id,
                "version": 1,
                "document": json.dumps(doc, sort_keys=True),
                "maintainers": json.dumps([GGZ]),
                "updated_at": NOW,
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
                "party": GGZ,
                "person": "fg-2",
                "changed_at": NOW - timedelta(seconds=i // 3),  # ties: the order breaks them
                "reason": "",
                "document": json.dumps({"id": activity_id, "version": "1", **doc}),
            }
        )
    with platform.uow_factory() as uow:
        uow.session.execute(insert(uow.tables["processing_activities"]), activities)
        uow.session.execute(insert(uow.tables["processing_activity_changes"]), changes)
        uow.commit()
    return ids


servicer = pages.servicer


def walk(rpc, request_type, items: str, page_size: int, **fields) -> list:
    return pages.walk(lambda **f: call(rpc, request_type(**f), CARER), items, page_size, **fields)


@pytest.mark.parametrize(
    ("rpc", "request_type", "items"),
    [
        ("ListProcessingActivities", pb.ListProcessingActivitiesRequest, "activities"),
        ("ListProcessingActivityHistory", pb.ListProcessingActivityHistoryRequest, "changes"),
    ],
)
def test_10_or_200_entries_take_the_same_statements_and_each_shows_once(
    disclosure_platform, rpc, request_type, items
):
    platform, _ = disclosure_platform
    list_rpc = getattr(servicer(platform), rpc)
    counts = []
    for n in (10, 190):
        entries(platform, n)
        with statements() as sent:
            reply = call(list_rpc, request_type(page_size=500), CARER)
        counts.append(len(sent))
        assert limited(sent)  # the database pages, not the servicer
    assert counts[0] == counts[1]
    # Pages of 7 walk the same entries in the same order as one page of 500 (and on).
    walked = [m.SerializeToString() for m in walk(list_rpc, request_type, items, 7)]
    at_once = [m.SerializeToString() for m in getattr(reply, items)]
    assert walked[: len(at_once)] == at_once
    assert len(walked) == len(at_once) if not reply.next_page_token else len(walked) > 500
    assert len(set(walked)) == len(walked)


def test_the_register_is_listed_by_id_and_the_history_newest_first(disclosure_platform):
    platform, _ = disclosure_platform
    ids = set(entries(platform, 25))
    s = servicer(platform)
    listed = walk(s.ListProcessingActivities, pb.ListProcessingActivitiesRequest, "activities", 4)
    by_id = [a.id for a in listed]
    assert by_id == sorted(by_id) and ids <= set(by_id) and len(set(by_id)) == len(by_id)
    changes = walk(
        s.ListProcessingActivityHistory, pb.ListProcessingActivityHistoryRequest, "changes", 6
    )
    times = [c.changed_at.ToDatetime(timezone.utc) for c in changes]
    assert times == sorted(times, reverse=True)
    assert ids <= {c.activity_id for c in changes}


def test_a_token_continues_only_its_own_query(disclosure_platform):
    platform, _ = disclosure_platform
    ids = entries(platform, 6)
    s = servicer(platform)
    token = call(
        s.ListProcessingActivityHistory,
        pb.ListProcessingActivityHistoryRequest(page_size=2),
        CARER,
    ).next_page_token
    assert token
    with pytest.raises(InvalidArgument) as err:  # another query: one entry's history
        call(
            s.ListProcessingActivityHistory,
            pb.ListProcessingActivityHistoryRequest(
                page_size=2, page_token=token, activity_id=ids[0]
            ),
            CARER,
        )
    assert [f for f, _ in err.value.violations] == ["page_token"]
