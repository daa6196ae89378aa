"""Tables every service has: the transactional outbox, the processed-event inbox, stored
command results (idempotent commands) and dead letters. ``add_kernel_tables`` puts them on a
service's ``MetaData`` so its Alembic migrations create them with its own tables."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from zorgtafel.kernel.types import UtcDateTime

KERNEL_TABLES = (
    "outbox",
    "processed_events",
    "command_results",
    "dead_letters",
    "forgotten_cases",
    "purged_requests",
)


def add_kernel_tables(metadata: MetaData) -> dict[str, Table]:
    outbox = Table(
        "outbox",
        metadata,
        Column(
            "id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("topic", String(128), nullable=False),
        Column("key", String(128), nullable=False),
        Column("type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("subject", String(200), nullable=True),
        Column("time", UtcDateTime(), nullable=False),
        Column("data", Text, nullable=False),
        Column("case_id", String(64), nullable=True, index=True),
        # W3C trace context of the command that raised the event (continued by consumers).
        Column("traceparent", String(64), nullable=True),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("sent_at", UtcDateTime(), nullable=True),
        # Where the broker stored it: lets the relay notice a broker that lost acknowledged
        # records (a restarted in-memory broker) and publish them again.
        Column("partition", Integer, nullable=True),
        Column("offset", BigInteger, nullable=True),
        Column("attempts", Integer, nullable=False, default=0),
    )
    Index("ix_outbox_unsent", outbox.c.sent_at, outbox.c.id)
    # The sent rows where the broker placed them: the relay's broker check seeks each
    # partition's lowest and highest offset here (``OutboxRelay.acknowledged_sample``).
    Index(
        "ix_outbox_acknowledged",
        outbox.c.topic,
        outbox.c.partition,
        outbox.c.offset,
        postgresql_where=outbox.c.offset.is_not(None),
        sqlite_where=outbox.c.offset.is_not(None),
    )
    processed = Table(
        "processed_events",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("type", String(200), nullable=False),
        Column("source", String(200), nullable=False),
        Column("case_id", String(64), nullable=True, index=True),
        Column("processed_at", UtcDateTime(), nullable=False),
    )
    commands = Table(
        "command_results",
        metadata,
        # Scoped by party: one party can never read another's stored response by guessing ids.
        Column("party_id", String(32), primary_key=True),
        Column("request_id", String(128), primary_key=True),
        Column("method", String(200), nullable=False),
        Column("request_digest", String(64), nullable=False),
        Column("response", LargeBinary, nullable=False),
        Column("case_id", String(64), nullable=True, index=True),
        Column("created_at", UtcDateTime(), nullable=False),
    )
    dead = Table(
        "dead_letters",
        metadata,
        Column("event_id", String(64), primary_key=True),
        Column("topic", String(128), nullable=False),
        Column("partition", Integer, nullable=False),
        Column("offset", BigInteger, nullable=False),
        Column("type", String(200), nullable=False),
        Column("error", String(500), nullable=False),
        Column("headers", Text, nullable=False),
        Column("value", LargeBinary, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
    )
    forgotten = Table(
        "forgotten_cases",
        metadata,
        # Cases this service has purged: events about them that arrive later on another topic
        # (no order across topics) are applied without recording the case id again.
        Column("case_id", String(64), primary_key=True),
        Column("forgotten_at", UtcDateTime(), nullable=False),
    )
    purged_requests = Table(
        "purged_requests",
        metadata,
        # A request id whose stored answer went with its case (a purge, a forgotten nomination,
        # an erasure: purge.drop_stored_answers), so a replay is refused rather than carried out
        # again (commands.execute_once). Only what recognises it: the party (an organisation)
        # and a hash of the id; no case, no digest of the request, no answer. Deleted after the
        # retention period of kind ``purged_request`` (purge.purged_requests_task).
        Column("party_id", String(32), primary_key=True),
        Column("request_key", String(64), primary_key=True),
        Column("state", String(16), nullable=False),  # "purged" or "erased"
        Column("purged_at", UtcDateTime(), nullable=False, index=True),
    )
    return {
        "purged_requests": purged_requests,
        "outbox": outbox,
        "processed_events": processed,
        "command_results": commands,
        "dead_letters": dead,
        "forgotten_cases": forgotten,
    }
