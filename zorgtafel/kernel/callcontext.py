"""The principal and authorisation decision of the call being served.

Set by the interceptor inside the handler's own thread (a ``ContextVar``), so no per-request
state ever sits on a shared object of the threaded gRPC server.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass

from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.caller import Caller


@dataclass(frozen=True)
class CallContext:
    method: str
    principal: Principal
    party_status: str
    authz_decision_id: str
    policy_revision: str
    trace_id: str = ""
    span_id: str = ""
    # The authz decision's input (canonical JSON) for the access log's replayable record (#17).
    authz_input_json: str = ""


@dataclass(frozen=True)
class RefusedCall:
    """A call the authz policy refused, as a service's access log needs it."""

    method: str
    principal: Principal
    party_status: str
    decision_id: str
    policy_revision: str
    reasons: tuple[str, ...]
    request: object
    trace_id: str = ""
    span_id: str = ""
    input_json: str = ""  # the refusing decision's input (canonical JSON), for replay (#17)


_current: ContextVar[CallContext | None] = ContextVar("zorgtafel_call", default=None)


def current() -> CallContext:
    ctx = _current.get()
    if ctx is None:
        raise RuntimeError("no call context: handler invoked outside the interceptor chain")
    return ctx


def set_current(ctx: CallContext | None) -> Token[CallContext | None]:
    return _current.set(ctx)


def reset(token: Token[CallContext | None]) -> None:
    _current.reset(token)


def current_caller() -> Caller:
    """The caller of the call being served, as handlers take it."""
    ctx = current()
    p = ctx.principal
    return Caller(
        party=p.party,
        person=p.person,
        role=p.role,
        party_status=ctx.party_status,
        authenticated_by=p.authenticated_by,
    )
