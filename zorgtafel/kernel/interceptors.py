"""The interceptor chain every service runs: safe request decoding, principal extraction,
authorisation by ``zorgtafel.authz`` (deny by default, fail closed), request logging and
metrics, and error mapping. Health and reflection are served without a principal: probes and
tooling must reach them, and they reveal nothing about cases."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import Token
from typing import TYPE_CHECKING, Callable, TypeVar, cast

import grpc
from google.protobuf.message import DecodeError
from opentelemetry.trace import SpanKind, Tracer

from zorgtafel.kernel import callcontext
from zorgtafel.kernel.accesslog.service import ServiceAccessLog, looking
from zorgtafel.kernel.auth import Authenticator, Principal
from zorgtafel.kernel.db import aborted_for_concurrency, lost_database
from zorgtafel.kernel.errors import (
    InvalidArgument,
    PermissionDenied,
    TooManyRefusals,
    Unavailable,
    ZorgtafelError,
)
from zorgtafel.kernel.gate import PolicyGate
from zorgtafel.kernel.grpc_errors import to_status
from zorgtafel.kernel.logging import error_fields, get_logger
from zorgtafel.kernel.refusals import RefusalBudget
from zorgtafel.kernel.streams import StreamLifetime, StreamSlots
from zorgtafel.kernel.tracing import current_ids, extract, span
from zorgtafel.kernel.validate import OIN

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from zorgtafel.kernel.metrics import Metrics
    from zorgtafel.policy.decision import Decision

log = get_logger("zorgtafel.grpc")

_Req = TypeVar("_Req")
_Resp = TypeVar("_Resp")

EXEMPT_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class _Undecodable:
    """Stands in for a request whose bytes did not parse, so the caller gets
    INVALID_ARGUMENT instead of gRPC's own INTERNAL 'Exception deserializing request'."""


def _safe(
    deserializer: Callable[[bytes], _Req] | None,
) -> Callable[[bytes], _Req | _Undecodable] | None:
    if deserializer is None:
        return None

    def decode(data: bytes) -> _Req | _Undecodable:
        try:
            return deserializer(data)
        except (DecodeError, ValueError, TypeError, RuntimeError):
            return _Undecodable()

    return decode


def _resource(request: object) -> dict[str, str]:
    """The party a call is about, when its request names one (``party_id``): lets the policy
    answer "an applicant may read its own application" (art. 20) without a handler. Only a
    well-formed OIN: the input is kept in the access log, and anything else a caller typed
    there (a name) is no party the policy could match, only text the log may not hold."""
    party = getattr(request, "party_id", "")
    return {"party": party} if isinstance(party, str) and OIN.fullmatch(party) else {}


def _metadata(context: grpc.ServicerContext) -> dict[str, str]:
    return {k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}


def _authorization_headers(context: grpc.ServicerContext) -> int:
    """How many ``authorization`` entries the call carries: the dict above keeps one of them,
    so which token counts would depend on the order a proxy wrote them (refused when > 1)."""
    return sum(1 for k, _ in (context.invocation_metadata() or ()) if k.lower() == "authorization")


class ZorgtafelInterceptor(grpc.ServerInterceptor):
    def __init__(
        self,
        authenticator: Authenticator,
        gate: PolicyGate,
        party_status: Callable[[str], str],
        metrics: Metrics | None = None,
        tracer: Tracer | None = None,
        on_refused: Callable[[callcontext.RefusedCall], None] | None = None,
        *,
        unknown_is_unavailable: bool = False,
        access_log: ServiceAccessLog | None = None,
        reads: frozenset[str] = frozenset(),
        refusals: RefusalBudget | None = None,
        streams: StreamSlots | None = None,
    ) -> None:
        self._refusals = refusals
        self._streams = streams
        self._access_log = access_log
        self._reads = reads if access_log is not None else frozenset()
        self._tracer = tracer
        self._unknown_is_unavailable = unknown_is_unavailable
        self._on_refused = on_refused
        self._auth = authenticator
        self._gate = gate
        self._party_status = party_status
        self._metrics = metrics

    def intercept_service(
        self,
        continuation: Callable[
            [grpc.HandlerCallDetails], grpc.RpcMethodHandler[_Req, _Resp] | None
        ],
        handler_call_details: grpc.HandlerCallDetails,
    ) -> grpc.RpcMethodHandler[_Req, _Resp] | None:
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(EXEMPT_PREFIXES):
            return handler
        # The wrapped handlers also take the ``_Undecodable`` stand-in, and answer it
        # INVALID_ARGUMENT before the service's behaviour sees a request: to gRPC they are
        # handlers of the same request type.
        if handler.unary_unary:
            wrapped = grpc.unary_unary_rpc_method_handler(
                self._wrap_unary(method, handler.unary_unary),
                request_deserializer=_safe(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
            return cast("grpc.RpcMethodHandler[_Req, _Resp]", wrapped)
        if handler.unary_stream:
            wrapped = grpc.unary_stream_rpc_method_handler(
                self._wrap_stream(method, handler.unary_stream),
                request_deserializer=_safe(handler.request_deserializer),
                response_serializer=handler.response_serializer,
            )
            return cast("grpc.RpcMethodHandler[_Req, _Resp]", wrapped)
        return handler  # client/bidi streaming are not used by this suite

    # -- the call ----------------------------------------------------------------------
    def _authorise(
        self,
        method: str,
        context: grpc.ServicerContext,
        metadata: Mapping[str, str],
        request: object,
    ) -> callcontext.CallContext:
        # One list of PEM certificates per property (the stubs say one ``bytes``).
        auth = cast("Mapping[str, list[bytes]]", context.auth_context() or {})
        certs = auth.get("x509_pem_cert") or []
        principal = self._auth.authenticate(
            metadata,
            certs[0] if certs else None,
            authorization_headers=_authorization_headers(context),
        )
        self._turn_away_if_refused_too_often(method, principal)
        status = self._party_status(principal.party)
        if status == "unknown" and self._unknown_is_unavailable:
            # A projection that has not heard of a party yet is missing a fact, not refusing
            # one: the party's registration may be on its way (a fresh start, an accession).
            # Retryable; excluded and withdrawn parties are known and refused by the policy.
            raise Unavailable(
                "the calling party is not known to this service yet (its registration may "
                "still be on its way): retry"
            )
        decision = self._gate.decide(
            "zorgtafel.authz",
            {
                "method": method,
                "principal": principal.as_input(status),
                "resource": _resource(request),
            },
        )
        if decision.allow is not True:
            self._record_refusal(method, principal, status, decision, request)
            self._spend_refusal(principal)
            raise PermissionDenied(
                decision.reasons, decision.decision_id, decision.revision, policy="zorgtafel.authz"
            )
        trace_id, span_id = current_ids()
        return callcontext.CallContext(
            method=method,
            principal=principal,
            party_status=status,
            authz_decision_id=decision.decision_id,
            policy_revision=decision.revision,
            trace_id=trace_id,
            span_id=span_id,
            authz_input_json=decision.input_json,
        )

    def _turn_away_if_refused_too_often(self, method: str, principal: Principal) -> None:
        """Before any decision or record: a person past their budget of refusals is turned
        away (``zorgtafel.kernel.refusals``), and said once per run of such calls."""
        if self._refusals is None or principal.relayed_by:
            return
        wait_s, first = self._refusals.check(principal.party, principal.person)
        if not wait_s:
            return
        if first:
            log.warning(
                "refusals_limited",
                method=method,
                party=principal.party,
                person=principal.person,
                role=principal.role,
                burst=self._refusals.burst,
            )
        raise TooManyRefusals(wait_s)

    def _spend_refusal(self, principal: Principal) -> None:
        # A call relayed by a suite service (casework's pre-read asks once per item) is the
        # person's call there, budgeted there: counted per item here, a delegate's pre-read of
        # a large case with many withheld items would use up their budget in one go.
        if self._refusals is not None and not principal.relayed_by:
            self._refusals.spend(principal.party, principal.person)

    def _record_refusal(
        self, method: str, principal: Principal, status: str, decision: Decision, request: object
    ) -> None:
        if self._on_refused is None:
            return
        trace_id, span_id = current_ids()
        try:
            self._on_refused(
                callcontext.RefusedCall(
                    method=method,
                    principal=principal,
                    party_status=status,
                    decision_id=decision.decision_id,
                    policy_revision=decision.revision,
                    reasons=tuple(decision.reasons),
                    request=request,
                    trace_id=trace_id,
                    span_id=span_id,
                    input_json=decision.input_json,
                )
            )
        except Exception as exc:  # noqa: BLE001 - the refusal stands; say the log missed it
            log.error("refusal_not_recorded", method=method, **error_fields(exc))

    @contextmanager
    def _serving(
        self, method: str, request: object, context: grpc.ServicerContext
    ) -> Iterator[callcontext.CallContext]:
        """One call around its handler: traced, decoded, authenticated and authorised, the call
        context set for the handler's thread, every error a clear status, metrics observed."""
        start = time.perf_counter()
        code = "OK"
        token: Token[callcontext.CallContext | None] | None = None
        ctx: callcontext.CallContext | None = None
        metadata = _metadata(context)
        try:
            with span(
                self._tracer,
                method,
                parent=extract(metadata),
                kind=SpanKind.SERVER,
                attributes={"rpc.system": "grpc", "rpc.method": method},
            ):
                if isinstance(request, _Undecodable):
                    raise InvalidArgument("request", "request body is not a valid message")
                ctx = self._authorise(method, context, metadata, request)
                token = callcontext.set_current(ctx)
                yield ctx
        except Exception as exc:  # noqa: BLE001 - every error becomes a clear status
            if isinstance(exc, PermissionDenied) and ctx is not None:
                # Refused by the handler's policy (the authz policy's refusals are spent where
                # they are decided, before a call context exists).
                self._spend_refusal(ctx.principal)
            status = self._status_for(method, exc, context)
            code = status.code.name
            context.abort_with_status(status)
        finally:
            if token is not None:
                callcontext.reset(token)
            self._observe(method, code, start, ctx)

    def _is_read(self, method: str) -> bool:
        return method.rsplit("/", 1)[-1] in self._reads

    @contextmanager
    def _looked(
        self, ctx: callcontext.CallContext, request: object
    ) -> Iterator[Callable[[], None]]:
        """A declared read: its handler's look, and a refusal by the handler's policy logged
        before the PERMISSION_DENIED leaves (attempts count, NEN 7513). Yields the function
        that logs the look as allowed (before each reply, each streamed message)."""
        assert self._access_log is not None
        access_log = self._access_log
        case_id = getattr(request, "case_id", "")
        with looking(case_id if isinstance(case_id, str) else "") as look:
            try:
                yield lambda: access_log.look(ctx, look)
            except PermissionDenied as denied:
                # The policy's own refusal, also where the caller is told less (NotShared).
                access_log.look(ctx, look, denied.logged)
                raise

    def _wrap_unary(
        self, method: str, behavior: Callable[[_Req, grpc.ServicerContext], _Resp]
    ) -> Callable[[_Req | _Undecodable, grpc.ServicerContext], _Resp]:
        read = self._is_read(method)

        def unary(request: _Req | _Undecodable, context: grpc.ServicerContext) -> _Resp:
            with self._serving(method, request, context) as ctx:
                if not read:
                    return behavior(cast(_Req, request), context)
                with self._looked(ctx, request) as logged:
                    response = behavior(cast(_Req, request), context)
                    logged()  # durable before the reply leaves; a failure releases nothing
                return response
            raise AssertionError("unreachable: a failed call was aborted")  # pragma: no cover

        return unary

    def _wrap_stream(
        self, method: str, behavior: Callable[[_Req, grpc.ServicerContext], Iterator[_Resp]]
    ) -> Callable[[_Req | _Undecodable, grpc.ServicerContext], Iterator[_Resp]]:
        read = self._is_read(method)

        def stream(request: _Req | _Undecodable, context: grpc.ServicerContext) -> Iterator[_Resp]:
            with self._serving(method, request, context) as ctx, self._stream_slot(ctx):
                # Nothing leaves once the token the stream was opened with has expired.
                lifetime = StreamLifetime(ctx.principal)
                if not read:
                    for message in behavior(cast(_Req, request), context):
                        lifetime.check_token()
                        yield message
                    return
                with self._looked(ctx, request) as logged:
                    for message in behavior(cast(_Req, request), context):
                        lifetime.check_token()
                        logged()  # each delivered message, before it leaves
                        yield message

        return stream

    def _stream_slot(self, ctx: callcontext.CallContext) -> AbstractContextManager[None]:
        """A stream holds one of the pool's threads while open: it takes a slot of the bounded
        few the pool has beside the other calls' threads (``zorgtafel.kernel.streams``)."""
        if self._streams is None:
            return nullcontext()
        return self._streams.held(ctx.principal.party, ctx.principal.person)

    def _status_for(
        self, method: str, exc: Exception, context: grpc.ServicerContext
    ) -> grpc.Status:
        already = context.code() if hasattr(context, "code") else None
        if already not in (None, grpc.StatusCode.OK):
            raise exc  # the handler called context.abort(): the status is already set
        status, ref = to_status(exc)
        if ref:
            log.error("rpc_internal_error", method=method, **error_fields(exc), reference=ref)
        elif aborted_for_concurrency(exc):
            log.warning("rpc_transaction_aborted", method=method, **error_fields(exc))
        elif lost_database(exc):
            log.warning("rpc_database_unavailable", method=method, **error_fields(exc))
        elif isinstance(exc, ZorgtafelError):
            log.info(
                "rpc_refused", method=method, code=status.code.name, error_type=type(exc).__name__
            )
        return status

    def _observe(
        self, method: str, code: str, start: float, ctx: callcontext.CallContext | None = None
    ) -> None:
        elapsed = time.perf_counter() - start
        # Who called (party, pseudonymous person id, role): which employee looked at what, per
        # call, beside disclosure's hash-chained access log. Never request content.
        who = (
            {
                "party": ctx.principal.party,
                "person": ctx.principal.person,
                "role": ctx.principal.role,
                "decision_id": ctx.authz_decision_id,
            }
            if ctx is not None
            else {}
        )
        log.info("rpc", method=method, code=code, ms=round(elapsed * 1000, 2), **who)
        if self._metrics is not None:
            self._metrics.rpc_seconds.labels(method=method).observe(elapsed)
            self._metrics.rpc_total.labels(method=method, code=code).inc()
