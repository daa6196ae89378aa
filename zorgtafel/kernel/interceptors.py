"""The interceptor chain every service runs: safe request decoding, principal extraction,
authorisation by ``zorgtafel.authz`` (deny by default, fail closed), request logging and
metrics, and error mapping. Health and reflection are served without a principal: probes and
tooling must reach them, and they reveal nothing about cases."""

from __future__ import annotations

import time
from typing import Callable

import grpc
from google.protobuf.message import DecodeError

from zorgtafel.kernel import callcontext
from zorgtafel.kernel.auth import Authenticator
from zorgtafel.kernel.errors import InvalidArgument, PermissionDenied, Unavailable, ZorgtafelError
from zorgtafel.kernel.grpc_errors import to_status
from opentelemetry.trace import SpanKind

from zorgtafel.kernel.logging import get_logger
from zorgtafel.kernel.tracing import current_ids, extract, span

log = get_logger("zorgtafel.grpc")

EXEMPT_PREFIXES = ("/grpc.health.v1.Health/", "/grpc.reflection.")


class _Undecodable:
    """Stands in for a request whose bytes did not parse, so the caller gets
    INVALID_ARGUMENT instead of gRPC's own INTERNAL 'Exception deserializing request'."""


def _safe(deserializer):
    if deserializer is None:
        return None

    def decode(data: bytes):
        try:
            return deserializer(data)
        except (DecodeError, ValueError, TypeError, RuntimeError):
            return _Undecodable()
    return decode


def _resource(request) -> dict[str, str]:
    """The party a call is about, when its request names one (``party_id``): lets the policy
    answer "an applicant may read its own application" (art. 20) without a handler."""
    party = getattr(request, "party_id", "")
    return {"party": party} if isinstance(party, str) and party else {}


def _metadata(context) -> dict[str, str]:
    return {k.lower(): v for k, v in (context.invocation_metadata() or ()) if isinstance(v, str)}


class ZorgtafelInterceptor(grpc.ServerInterceptor):
    def __init__(self, authenticator: Authenticator, policy, party_status: Callable[[str], str],
                 metrics=None, tracer=None, on_refused: Callable | None = None) -> None:
        self._tracer = tracer
        self._on_refused = on_refused
        self._auth = authenticator
        self._policy = policy
        self._party_status = party_status
        self._metrics = metrics

    def intercept_service(self, continuation, handler_call_details):
        handler = continuation(handler_call_details)
        method = handler_call_details.method
        if handler is None or method.startswith(EXEMPT_PREFIXES):
            return handler
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(
                self._wrap(method, handler.unary_unary, streaming=False),
                request_deserializer=_safe(handler.request_deserializer),
                response_serializer=handler.response_serializer)
        if handler.unary_stream:
            return grpc.unary_stream_rpc_method_handler(
                self._wrap(method, handler.unary_stream, streaming=True),
                request_deserializer=_safe(handler.request_deserializer),
                response_serializer=handler.response_serializer)
        return handler  # client/bidi streaming are not used by this suite

    # -- the call ----------------------------------------------------------------------
    def _authorise(self, method: str, context, metadata, request) -> callcontext.CallContext:
        certs = (context.auth_context() or {}).get("x509_pem_cert") or []
        principal = self._auth.authenticate(metadata, certs[0] if certs else None)
        status = self._party_status(principal.party)
        try:
            decision = self._policy.decide("zorgtafel.authz", {
                "method": method, "principal": principal.as_input(status),
                "resource": _resource(request)})
        except Exception as exc:  # noqa: BLE001 - any engine failure is a deny (fail closed)
            log.warning("policy_unavailable", method=method, error_type=type(exc).__name__)
            raise Unavailable("policy engine unavailable: denied (fail closed)") from exc
        if decision.allow is not True:
            self._record_refusal(method, principal, status, decision, request)
            raise PermissionDenied(decision.reasons, decision.decision_id, decision.revision,
                                   policy="zorgtafel.authz")
        trace_id, span_id = current_ids()
        return callcontext.CallContext(method=method, principal=principal, party_status=status,
                                       authz_decision_id=decision.decision_id,
                                       policy_revision=decision.revision, trace_id=trace_id,
                                       span_id=span_id)

    def _record_refusal(self, method, principal, status, decision, request) -> None:
        if self._on_refused is None:
            return
        trace_id, span_id = current_ids()
        try:
            self._on_refused(callcontext.RefusedCall(
                method=method, principal=principal, party_status=status,
                decision_id=decision.decision_id, policy_revision=decision.revision,
                reasons=tuple(decision.reasons), request=request, trace_id=trace_id,
                span_id=span_id))
        except Exception as exc:  # noqa: BLE001 - the refusal stands; say the log missed it
            log.error("refusal_not_recorded", method=method, error_type=type(exc).__name__)

    def _wrap(self, method: str, behavior, *, streaming: bool):
        def unary(request, context):
            start = time.perf_counter()
            code = "OK"
            token = None
            ctx = None
            metadata = _metadata(context)
            try:
                with span(self._tracer, method, parent=extract(metadata), kind=SpanKind.SERVER,
                          attributes={"rpc.system": "grpc", "rpc.method": method}):
                    if isinstance(request, _Undecodable):
                        raise InvalidArgument("request", "request body is not a valid message")
                    ctx = self._authorise(method, context, metadata, request)
                    token = callcontext.set_current(ctx)
                    return behavior(request, context)
            except Exception as exc:  # noqa: BLE001 - every error becomes a clear status
                status = self._status_for(method, exc, context)
                code = status.code.name
                context.abort_with_status(status)
            finally:
                if token is not None:
                    callcontext.reset(token)
                self._observe(method, code, start, ctx)

        def stream(request, context):
            start = time.perf_counter()
            code = "OK"
            token = None
            ctx = None
            metadata = _metadata(context)
            try:
                with span(self._tracer, method, parent=extract(metadata), kind=SpanKind.SERVER,
                          attributes={"rpc.system": "grpc", "rpc.method": method}):
                    if isinstance(request, _Undecodable):
                        raise InvalidArgument("request", "request body is not a valid message")
                    ctx = self._authorise(method, context, metadata, request)
                    token = callcontext.set_current(ctx)
                    for item in behavior(request, context):
                        yield item
            except Exception as exc:  # noqa: BLE001
                status = self._status_for(method, exc, context)
                code = status.code.name
                context.abort_with_status(status)
            finally:
                if token is not None:
                    callcontext.reset(token)
                self._observe(method, code, start, ctx)

        return stream if streaming else unary

    def _status_for(self, method: str, exc: Exception, context) -> grpc.Status:
        already = context.code() if hasattr(context, "code") else None
        if already not in (None, grpc.StatusCode.OK):
            raise exc  # the handler called context.abort(): the status is already set
        status, ref = to_status(exc)
        if ref:
            log.error("rpc_internal_error", method=method, error_type=type(exc).__name__,
                      reference=ref)
        elif isinstance(exc, ZorgtafelError):
            log.info("rpc_refused", method=method, code=status.code.name,
                     error_type=type(exc).__name__)
        return status

    def _observe(self, method: str, code: str, start: float, ctx=None) -> None:
        elapsed = time.perf_counter() - start
        # Who called (party, pseudonymous person id, role): which employee looked at what, per
        # call, beside disclosure's hash-chained access log. Never request content.
        who = ({"party": ctx.principal.party, "person": ctx.principal.person,
                "role": ctx.principal.role, "decision_id": ctx.authz_decision_id}
               if ctx is not None else {})
        log.info("rpc", method=method, code=code, ms=round(elapsed * 1000, 2), **who)
        if self._metrics is not None:
            self._metrics.rpc_seconds.labels(method=method).observe(elapsed)
            self._metrics.rpc_total.labels(method=method, code=code).inc()
