"""Idempotent commands: every mutating RPC carries a ``request_id``; a repeated request returns
the stored response and changes nothing.

The guard is the primary key (party, request_id) of ``command_results``, inserted in the same
transaction as the effect; the read before it is only a fast path. Two concurrent copies: the
second's insert fails, its transaction (effect included) rolls back, and it returns the first's
stored response.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable, TypeVar

from google.protobuf.message import Message
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from zorgtafel.kernel.errors import FailedPrecondition, InvalidArgument
from zorgtafel.kernel.uow import UnitOfWork, utcnow

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
R = TypeVar("R", bound=Message)


def _digest(method: str, request: Message) -> str:
    body = request.SerializeToString(deterministic=True)
    return hashlib.sha256(method.encode() + b"\0" + body).hexdigest()


def validate_request_id(request_id: str) -> None:
    if not REQUEST_ID_RE.match(request_id or ""):
        raise InvalidArgument("request_id", "required: 8-128 characters of [A-Za-z0-9._:-] "
                              "(a UUID is a good choice)")


def execute_once(uow_factory: Callable[[], UnitOfWork], *, party: str, method: str,
                 request: Message, response_type: type[R],
                 effect: Callable[[UnitOfWork], R], case_id_of: Callable[[R], str | None] = lambda r: None) -> R:
    request_id = getattr(request, "request_id")
    validate_request_id(request_id)
    digest = _digest(method, request)

    def stored(uow: UnitOfWork) -> R | None:
        t = uow.tables["command_results"]
        row = uow.session.execute(select(t.c.request_digest, t.c.response).where(
            t.c.party_id == party, t.c.request_id == request_id)).first()
        if row is None:
            return None
        if row.request_digest != digest:
            raise FailedPrecondition("request_id_used", "request_id was already used for a "
                                     "different request", subject="request_id")
        return response_type.FromString(row.response)

    with uow_factory() as uow:
        previous = stored(uow)
        if previous is not None:
            return previous
        response = effect(uow)
        t = uow.tables["command_results"]
        uow.session.execute(insert(t).values(
            party_id=party, request_id=request_id, method=method, request_digest=digest,
            response=response.SerializeToString(deterministic=True),
            case_id=case_id_of(response), created_at=utcnow()))
        try:
            uow.commit()
            return response
        except IntegrityError:
            uow.rollback()
    with uow_factory() as uow:
        previous = stored(uow)
        if previous is None:  # the conflict was on another constraint: report it as such
            raise FailedPrecondition("conflict", "the request conflicts with stored data")
        return previous
