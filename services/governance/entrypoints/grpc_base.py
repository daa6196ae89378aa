"""What the governance servicer's RPCs share: a command run once per request_id, a query read
in its own unit of work, a page of a list out, and the ``Body`` enum in."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from services.governance.adapters.uow import GovernanceUnitOfWork
from services.governance.domain.bodies import Body
from services.governance.service_layer.deps import Deps
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.kernel.commands import Commands
from zorgtafel.kernel.convert import enum_in
from zorgtafel.kernel.errors import InvalidArgument
from zorgtafel.kernel.paging import Window
from zorgtafel.kernel.validate import check_oin, check_person

T = TypeVar("T")


def body_in(value: int, required: bool = True) -> Body | None:
    return enum_in(pb.Body, Body, value, "BODY_", "body", required=required)


def listed(
    field: str,
    found: Sequence[T],
    w: Window,
    out_fn: Callable[[T], Any],
    key: Callable[[T], tuple[str, ...]] | None = None,
) -> dict[str, Any]:
    """One page of a list response: the entries of ``field`` (the handler fetched one more
    than shown, ``w.limit``) and the next page's token (with ``key``, the token carries the
    sort key of the last entry shown: the next page is read after it, by key)."""
    shown, token = w.cut(found, key)
    return {field: [out_fn(x) for x in shown], "next_page_token": token}


def one_key(w: Window) -> str | None:
    """The one-part sort key a page token continues after (None: the first page, or an
    offset token); any other shape is a token of another query."""
    if w.after is None:
        return None
    if len(w.after) != 1:
        raise InvalidArgument("page_token", "not a token of this query: start again without one")
    return w.after[0]


def party_and_person(w: Window) -> tuple[str, str] | None:
    """The (party, person) sort key a page token continues after (None: the first page, or
    an offset token); a key that is no party id and person id is a token of another query."""
    if w.after is None:
        return None
    try:
        if len(w.after) != 2:
            raise InvalidArgument("page_token", "")
        party, person = w.after
        return check_oin(party, "page_token"), check_person(person, "page_token")
    except InvalidArgument:
        raise InvalidArgument(
            "page_token", "not a token of this query: start again without one"
        ) from None


class RpcBase(pb_grpc.GovernanceServiceServicer):
    """The base of the servicer's parts (``grpc_parties``, ``grpc_decisions``,
    ``grpc_membership``, ``grpc_disputes``); ``GovernanceServicer`` sets the attributes."""

    _uow: Callable[[], GovernanceUnitOfWork]
    _deps: Deps
    _commands: Commands

    def _run(
        self,
        rpc: str,
        request: Any,
        response_type: type,
        handler: Callable,
        cmd: object,
        reply: Callable[[Any], Any],
    ) -> Any:
        """``handler(deps, uow, cmd, caller)`` applied once per request_id, its result
        answered as ``reply(result)``."""
        return self._commands.run(
            rpc,
            request,
            response_type,
            lambda uow, caller: reply(handler(self._deps, uow, cmd, caller)),
        )

    def _read(
        self, query: Callable[[GovernanceUnitOfWork], Any], reply: Callable[[Any], Any]
    ) -> Any:
        """A query and its answer, mapped while its unit of work is open (the domain objects
        expire when it closes)."""
        with self._uow() as uow:
            return reply(query(uow))
