"""Idempotent commands: every mutating RPC carries a ``request_id``; a repeated request returns
the stored response and changes nothing.

The guard is the primary key (party, request_id) of ``command_results``, inserted in the same
transaction as the effect; the read before it is only a fast path. Two concurrent copies: the
second's insert fails, its transaction (effect included) rolls back, and it returns the first's
stored response. The unit of work wakes the outbox relay on commit, so events leave at once.

A stored response goes with its case (a purge, an erasure); the request id stays recognised in
``purged_requests`` for a while, so its replay is refused (``request_purged``,
``request_erased``) instead of carried out again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Generic, TypeVar

from google.protobuf.message import Message
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError, OperationalError

from zorgtafel.kernel.callcontext import current_caller
from zorgtafel.kernel.caller import Caller
from zorgtafel.kernel.db import aborted_for_concurrency, lost_database
from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.grpc_errors import concurrency_abort, database_lost
from zorgtafel.kernel.purge import request_key
from zorgtafel.kernel.uow import UnitOfWork, utcnow

REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{8,128}")
R = TypeVar("R", bound=Message)
U = TypeVar("U", bound=UnitOfWork)


def _digest(method: str, person: str, request: Message) -> str:
    # The person is part of the request: a stored response (a meeting, a consent id) is the
    # answer to the person who asked. A colleague replaying the same bytes and request_id is
    # refused (request_id_used), never handed the stored answer (ADR 0005: need to know).
    body = request.SerializeToString(deterministic=True)
    return hashlib.sha256(method.encode() + b"\0" + person.encode() + b"\0" + body).hexdigest()


def validate_request_id(request_id: str) -> None:
    if not REQUEST_ID_RE.fullmatch(request_id or ""):
        raise InvalidArgument(
            "request_id", "required: 8-128 characters of [A-Za-z0-9._:-] (a UUID is a good choice)"
        )


def _stored(
    uow: UnitOfWork, party: str, request_id: str, digest: str, response_type: type[R]
) -> R | None:
    t = uow.tables["command_results"]
    row = uow.session.execute(
        select(t.c.request_digest, t.c.response).where(
            t.c.party_id == party, t.c.request_id == request_id
        )
    ).first()
    if row is None:
        # Looked up after the stored answer, never before: a purge deletes that answer and
        # writes this marker in one transaction, so a lookup that missed the answer sees it.
        refuse_if_purged(uow, party, request_id)
        return None
    if row.request_digest != digest:
        raise FailedPrecondition(
            "request_id_used",
            "request_id was already used for a different request",
            subject="request_id",
        )
    stored: R = response_type.FromString(row.response)
    return stored


def refuse_if_purged(uow: UnitOfWork, party: str, request_id: str) -> None:
    """A request whose stored answer went with its case (a purge, a forgotten nomination, an
    erasure: ``purge.drop_stored_answers``) is refused naming that state: carried out again it
    would bring back what was purged (a second nomination of the subject, a consent recorded
    anew). Its answer is gone, so the refusal is the same for anyone of the party who replays
    the id, with whatever content: it tells nothing of the first request."""
    t = uow.tables["purged_requests"]
    state = uow.session.execute(
        select(t.c.state).where(t.c.party_id == party, t.c.request_key == request_key(request_id))
    ).scalar()
    if state is not None:
        raise FailedPrecondition(
            f"request_{state}",
            f"request_id was used for a request whose case has since been {state};"
            " its answer is no longer kept, use a new request_id for a new request",
            subject="request_id",
        )


def execute_once(
    uow_factory: Callable[[], U],
    *,
    party: str,
    method: str,
    request: Message,
    response_type: type[R],
    effect: Callable[[U], R],
    case_id_of: Callable[[R], str | None] = lambda r: None,
    person: str = "",
) -> R:
    # Every command message has the field; ``Message`` does not declare it.
    request_id = str(getattr(request, "request_id"))  # noqa: B009
    validate_request_id(request_id)
    digest = _digest(method, person, request)

    aborted = lost = False
    with uow_factory() as uow:
        previous = _stored(uow, party, request_id, digest, response_type)
        if previous is not None:
            return previous
        try:
            response = effect(uow)
            t = uow.tables["command_results"]
            uow.session.execute(
                insert(t).values(
                    party_id=party,
                    request_id=request_id,
                    method=method,
                    request_digest=digest,
                    response=response.SerializeToString(deterministic=True),
                    case_id=case_id_of(response),
                    created_at=utcnow(),
                )
            )
            uow.commit()
            return response
        except (IntegrityError, OperationalError) as failed:
            # A concurrent copy of this request got there first: its rows collide with ours
            # (IntegrityError, raised at the insert on PostgreSQL, at commit on SQLite). Answer
            # with its stored result, or say the request conflicts; never INTERNAL. A
            # transaction PostgreSQL aborted for another one (a deadlock, a serialization
            # failure), or SQLite refused while another connection held the database locked,
            # stored nothing: asked again it can succeed.
            # A connection lost mid-command (the server restarted, a failover) may have lost
            # only the commit's answer: the stored result is looked up below; none, retry.
            uow.rollback()
            aborted = aborted_for_concurrency(failed)
            lost = lost_database(failed)
    with uow_factory() as uow:
        previous = _stored(uow, party, request_id, digest, response_type)
        if previous is None and aborted:
            raise concurrency_abort()
        if previous is None and lost:
            raise database_lost()
        if previous is None:  # the conflict was on another constraint: report it as such
            raise FailedPrecondition(
                "conflict",
                "the request conflicts with stored data; retry with the same request_id",
                subject="request_id",
            )
        return previous


class Commands(Generic[U]):
    """A service's idempotent command runner: ``run(rpc, request, ResponseType, effect)``
    with the caller taken from the call being served and the method named once per service.
    Generic in the unit of work its factory makes, which every ``effect`` receives."""

    def __init__(self, uow_factory: Callable[[], U], service: str) -> None:
        self._uow_factory = uow_factory
        self._prefix = f"/{service}/"

    def run(
        self,
        rpc: str,
        request: Message,
        response_type: type[R],
        effect: Callable[[U, Caller], R],
        *,
        case_id_of: Callable[[R], str | None] | None = None,
    ) -> R:
        caller = current_caller()
        case_id = getattr(request, "case_id", "") or None
        return execute_once(
            self._uow_factory,
            party=caller.party,
            person=caller.person,
            method=self._prefix + rpc,
            request=request,
            response_type=response_type,
            effect=lambda uow: effect(uow, caller),
            case_id_of=case_id_of or (lambda _r: case_id),
        )
