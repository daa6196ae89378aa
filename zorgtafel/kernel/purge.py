"""What the kernel itself keeps about a case, and how a purge removes it (covenant 1.2: the
dossier "finally disappears from the system").

Every service's kernel tables may name a case: stored command responses, processed event ids,
outbox rows and parked events (dead letters). On purge stored responses, sent outbox rows and
the case's dead letters go; processed event ids stay,
unlinked from the case; outbox rows not yet sent stay until sent (facts other services still
have to learn: ids and codes only, never subject data), then the relay's housekeeping removes
them. ``forgotten_cases`` keeps the bare id, so events of the case that arrive later on
another topic are not linked to it again.

A purge and another write naming the same case can run at once (casework's Purge or retention
tick beside its consumer; a request beside the consumer applying CASE_PURGED; two replicas).
Under READ COMMITTED neither sees the other's uncommitted rows: a consumer that looked for the
forgotten id before the purge committed would link its inbox row to the case after the purge
had unlinked every row it could see. So both take the case's lock (a PostgreSQL transaction
advisory lock; SQLite has one writer at a time): ``forget_case`` before it unlinks; the consumer
as its last step before commit, when it decides whether its row may name the case
(``unlink_if_forgotten``: after its handler's row locks, the order the purges in casework and
intake take it in too, after their case row); a request whose new row names a case the service
keeps no row of, before it writes (``case_to_link``), with the purge handler that unlinks such
rows taking ``lock_case`` first (governance's disputes, registered under ``lock_case``;
disclosure's consumed case facts, whose events come on two topics). Where a request writes beside a row of the case, that row is
the lock (disclosure's case facts held by an addition, intake's nomination, casework's case).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from zorgtafel.kernel.scheduler import RetentionTask
from zorgtafel.kernel.uow import UnitOfWork


def is_forgotten(session: Session, tables: Mapping[str, Table], case_id: str) -> bool:
    t = tables["forgotten_cases"]
    return session.execute(select(t.c.case_id).where(t.c.case_id == case_id)).first() is not None


def lock_case(session: Session, case_id: str) -> None:
    """Hold the case's purge lock until the transaction ends (PostgreSQL). The key names the
    schema too: another deployment's service in the same database does not wait on it."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return
    schema = (conn.get_execution_options().get("schema_translate_map") or {}).get(None)
    digest = hashlib.sha256(f"zorgtafel.case.{schema or ''}.{case_id}".encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


def unlink_if_forgotten(
    session: Session, tables: Mapping[str, Table], event_id: str, case_id: str
) -> None:
    """The consumer's last step for an event of a case: its inbox row (written naming the case)
    keeps the case id unless the case is forgotten by now, decided under the case's lock (a
    purge that committed first is seen here; one that comes later sees this row once it is
    committed, and unlinks it itself)."""
    lock_case(session, case_id)
    if is_forgotten(session, tables, case_id):
        inbox = tables["processed_events"]
        session.execute(update(inbox).where(inbox.c.event_id == event_id).values(case_id=None))


def case_to_link(session: Session, tables: Mapping[str, Table], case_id: str) -> str | None:
    """For a write that names a case and could race its purge (an event's facts in governance
    and disclosure, whose events come on two topics): the id to use, decided under the case's
    lock, or None when the case is forgotten here (the event's facts are then dropped; a
    dispute naming a purged case is refused, as one naming a case never heard of, by its
    handler under ``lock_case``). The purge handler of such rows
    takes ``lock_case`` before it touches any row, so whichever commits first, the other sees
    its rows, and both take the lock before their row locks."""
    lock_case(session, case_id)
    return None if is_forgotten(session, tables, case_id) else case_id


def request_key(request_id: str) -> str:
    """What recognises a request id once its answer is gone: a hash, never the id itself (a
    partner may have put something of its own case in it)."""
    return hashlib.sha256(b"zorgtafel.request\0" + request_id.encode()).hexdigest()


def drop_stored_answers(
    session: Session, tables: Mapping[str, Table], case_id: str, state: str = "purged"
) -> None:
    """The stored answers of the case's commands (``command_results``: what a replay of a
    request would be handed back, such as a recorded consent) go with the case's data, at a
    purge and at an erasure the subject was granted (GDPR art. 17). Each request id stays
    recognised (``purged_requests``: the party and a hash of the id, ``state`` "purged" or
    "erased", no case, no digest of the request), so a replay is refused naming the state
    instead of being carried out again (a second nomination of the subject, a consent
    recorded anew); the marker goes after the period of kind ``purged_request``."""
    commands = tables["command_results"]
    spent = tables["purged_requests"]
    rows = session.execute(
        select(commands.c.party_id, commands.c.request_id).where(commands.c.case_id == case_id)
    ).all()
    now = datetime.now(timezone.utc)
    for row in rows:
        key = request_key(row.request_id)
        known = session.execute(
            select(spent.c.state).where(
                spent.c.party_id == row.party_id, spent.c.request_key == key
            )
        ).first()
        if known is None:
            session.execute(
                insert(spent).values(
                    party_id=row.party_id, request_key=key, state=state, purged_at=now
                )
            )
    session.execute(delete(commands).where(commands.c.case_id == case_id))


def forget_case(session: Session, tables: Mapping[str, Table], case_id: str) -> None:
    lock_case(session, case_id)
    if not is_forgotten(session, tables, case_id):
        session.execute(
            insert(tables["forgotten_cases"]).values(
                case_id=case_id, forgotten_at=datetime.now(timezone.utc)
            )
        )
    drop_stored_answers(session, tables, case_id)
    # Processed-event rows stay (a redelivered event must still be recognised, or it could
    # bring the case back); only their link to the case goes.
    inbox = tables["processed_events"]
    session.execute(update(inbox).where(inbox.c.case_id == case_id).values(case_id=None))
    outbox = tables["outbox"]
    session.execute(
        delete(outbox).where(outbox.c.case_id == case_id, outbox.c.sent_at.is_not(None))
    )
    drop_dead_letters(session, tables, case_id)


def drop_dead_letters(session: Session, tables: Mapping[str, Table], case_id: str) -> None:
    """An event of the case parked in ``dead_letters`` keeps its whole value (a CASE_OPENED's
    pseudonym and process director, say) and names the case only inside it: it goes with the
    case's data too (1.2). One that names other cases as well (a subject's erasure of several
    cases) is theirs too and stays until it is replayed or discarded: dropping it would lose
    what it does to them (ADR 0012); it holds the purged case's id only. Dead letters are an
    operator's alarm, rare and few, so each is read here rather than indexed by a case column
    it does not have."""
    dead = tables["dead_letters"]
    rows = session.execute(select(dead.c.event_id, dead.c.headers, dead.c.value)).all()
    doomed = [r.event_id for r in rows if _cases_named(r.headers, r.value, case_id) == {case_id}]
    if doomed:
        session.execute(delete(dead).where(dead.c.event_id.in_(doomed)))


def _cases_named(headers: str, value: bytes, case_id: str) -> set[str]:
    """The cases a parked event is about, as far as ``case_id`` is concerned: empty when it
    does not name that case; else that case and any other its data names. It names the case
    by its Kafka key (kept by the consumer as ``kafka_key``; a subject's facts are keyed by
    the pseudonym, so the key is never taken for another case) or its data's ``case_id`` /
    ``case_ids``. A value that is no JSON object is compared as bytes (a malformed event can
    still hold the case's data) and counts as that case's alone."""
    try:
        keyed = json.loads(headers or "{}").get("kafka_key") == case_id
    except (ValueError, AttributeError):
        keyed = False
    try:
        data = json.loads(value or b"null")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return {case_id} if keyed or case_id.encode() in (value or b"") else set()
    named = {data["case_id"]} if isinstance(data.get("case_id"), str) and data["case_id"] else set()
    ids = data.get("case_ids")
    if isinstance(ids, list):
        named.update(i for i in ids if isinstance(i, str) and i)
    return named | {case_id} if keyed or case_id in named else set()


# -- the kernel's retention task: the markers of purged requests ------------------------------
PURGED_REQUEST = "purged_request"  # the retention kind (owner "kernel": every service runs it)
PURGED_REQUEST_TASK = "purged_request_sweep"


def _marker_id(party_id: str, key: str) -> str:
    return f"{party_id}:{key}"


def purged_requests_task(uow_factory: Callable[[], UnitOfWork]) -> RetentionTask:
    """Deletes the markers of purged requests older than the period of kind ``purged_request``
    (a partner's retries and outbox redeliveries are over by then); ids are the party and the
    hash, never a case or personal data."""

    def due(period: timedelta | None, now: datetime) -> list[str]:
        assert period is not None  # the task names a kind: the scheduler passes its period
        with uow_factory() as uow:
            t = uow.tables["purged_requests"]
            rows = uow.session.execute(
                select(t.c.party_id, t.c.request_key)
                .where(t.c.purged_at <= now - period)
                .order_by(t.c.purged_at)
            ).all()
        return [_marker_id(r.party_id, r.request_key) for r in rows]

    def apply(marker: str, period: timedelta | None, now: datetime) -> bool:
        assert period is not None
        party_id, _, key = marker.partition(":")
        with uow_factory() as uow:
            t = uow.tables["purged_requests"]
            done = uow.session.execute(
                delete(t).where(
                    t.c.party_id == party_id,
                    t.c.request_key == key,
                    t.c.purged_at <= now - period,
                )
            )
            uow.commit()
            return bool(getattr(done, "rowcount", 0))

    return RetentionTask(PURGED_REQUEST_TASK, PURGED_REQUEST, due, apply)
