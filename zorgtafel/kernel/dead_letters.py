"""``zorgtafel dead-letters list|replay|discard --service S``: the operator's hand on the events a
service's consumer parked in ``dead_letters`` (ADR 0012).

``replay`` applies them through the service's own consumer (``EventConsumer.replay_dead_letters``:
the same decoding, contract check, handlers and ``processed_events`` dedup as the stream), so
running it twice, or beside the running service, applies nothing twice; each applied one
leaves ``dead_letters`` in the transaction that applies it. ``discard`` removes one by id: the
operator's decision that it is not to be applied (say, a malformed revoking fact its producer
published again, corrected), logged by id. The service is built as ``zorgtafel purge`` builds
it (``bootstrap.offline``: the same ``ZORGTAFEL_*`` variables; nothing served, nothing
migrated, no broker). Reports hold ids, types, offsets and error types: never an event's data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, select

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.consumer import EventConsumer
from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)


@contextmanager
def service_consumer(settings: Settings) -> Iterator[EventConsumer]:
    """The service's consumer with the handlers it runs with, on its database, without Kafka."""
    from zorgtafel.kernel.bootstrap import consumption, offline

    with offline(settings) as (built, parts):
        consumes = consumption(parts, follows_parties=built.directory is not None)
        handlers = {t: h for per_topic in consumes.values() for t, h in per_topic.items()}
        yield EventConsumer(
            sorted(consumes),
            handlers,
            built.platform.uow_factory,
            _no_broker,
            ready_despite=parts.ready_despite,
        )


def listed(consumer: EventConsumer) -> list[dict[str, Any]]:
    """The parked events in partition order: ids, type, where, why; ``revoking`` when the
    service consumes that type as a revoking fact (it is not ready while one is here)."""
    with consumer.uow_factory() as uow:
        t = uow.tables["dead_letters"]
        rows = uow.session.execute(
            select(
                t.c.event_id, t.c.type, t.c.topic, t.c.partition, t.c.offset, t.c.error
            ).order_by(t.c.topic, t.c.partition, t.c.offset)
        ).all()
    return [
        {
            "event_id": r.event_id,
            "type": r.type,
            "topic": r.topic,
            "partition": r.partition,
            "offset": r.offset,
            "error": r.error,
            "revoking": r.type in consumer.revoking,
        }
        for r in rows
    ]


def replay(consumer: EventConsumer, event_ids: Collection[str] | None = None) -> dict[str, Any]:
    """Apply the parked events (or those named) once each; what became of each, and how many
    are left parked."""
    results = consumer.replay_dead_letters(event_ids)
    return {
        "replayed": [
            {"event_id": r.event_id, "type": r.event_type, "outcome": r.outcome, "error": r.error}
            for r in results
        ],
        "removed": sum(1 for r in results if r.removed),
        "left": len(listed(consumer)),
    }


def discard(consumer: EventConsumer, event_id: str) -> bool:
    """Remove one parked event without applying it (the operator's decision); False when no
    such dead letter is here."""
    with consumer.uow_factory() as uow:
        t = uow.tables["dead_letters"]
        gone = uow.session.execute(delete(t).where(t.c.event_id == event_id))
        uow.commit()
    found = bool(getattr(gone, "rowcount", 0))
    log.warning("dead_letter_discarded", event_id=event_id, found=found)
    return found


def _no_broker(_topics: list[str]) -> Any:
    raise RuntimeError("the dead-letter tool reads no broker")
