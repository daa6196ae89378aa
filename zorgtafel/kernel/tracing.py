"""OpenTelemetry traces across gRPC, Kafka and SQL.

One ``TracerProvider`` per service instance (no global provider, so several services can share
a test process). The W3C ``traceparent`` of a call is taken from gRPC metadata, stored with
each outbox row, sent as the CloudEvents distributed-tracing extension (``ce_traceparent``) and
continued by the consumer, so a command and its effects in other services are one trace. The
ids also go into the access log (Logboek Dataverwerkingen: trace and span ids). Spans are
exported over OTLP only when ``ZORGTAFEL_OTLP_ENDPOINT`` is set.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Mapping

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from opentelemetry.util.types import AttributeValue
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from sqlalchemy.engine import ExceptionContext, ExecutionContext
    from sqlalchemy.engine.interfaces import DBAPICursor

_propagator = TraceContextTextMapPropagator()


class PrivateIdGenerator(RandomIdGenerator):
    """Trace and span ids from the operating system's random source (``secrets``).

    OpenTelemetry's default draws them from the process-wide ``random``, which anything in the
    process may seed or advance (a library, a test framework seeding it for reproducibility):
    seeded alike, two service instances would give the same trace ids, and trace ids go into the
    access log to tie a read to its call. These cannot be predicted either, and leave the global
    generator alone."""

    def generate_span_id(self) -> int:
        span_id = secrets.randbits(64)
        while span_id == trace.INVALID_SPAN_ID:
            span_id = secrets.randbits(64)
        return span_id

    def generate_trace_id(self) -> int:
        trace_id = secrets.randbits(128)
        while trace_id == trace.INVALID_TRACE_ID:
            trace_id = secrets.randbits(128)
        return trace_id


class ServiceTracerProvider(TracerProvider):
    """A service's provider, which knows whether any span goes anywhere (``exporting``): the
    server and consumer spans are always made (their ids go into the access log and the outbox),
    the spans of SQL statements only while something receives them."""

    exporting = False

    def add_span_processor(self, span_processor: SpanProcessor) -> None:
        super().add_span_processor(span_processor)
        self.exporting = True


def make_tracer_provider(service: str, otlp_endpoint: str = "") -> ServiceTracerProvider:
    provider = ServiceTracerProvider(
        id_generator=PrivateIdGenerator(),
        resource=Resource.create(
            {"service.name": f"zorgtafel-{service}", "service.namespace": "zorgtafel"}
        ),
    )
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
    return provider


def extract(carrier: Mapping[str, str]) -> otel_context.Context:
    return _propagator.extract(carrier=dict(carrier))


def current_traceparent() -> str:
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent", "")


def current_ids() -> tuple[str, str]:
    """(trace id, span id) of the current span as hex, or empty strings."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return "", ""
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"


@contextmanager
def span(
    tracer: trace.Tracer | None,
    name: str,
    *,
    parent: otel_context.Context | None = None,
    kind: trace.SpanKind = trace.SpanKind.INTERNAL,
    attributes: Mapping[str, AttributeValue] | None = None,
) -> Iterator[trace.Span | None]:
    """A span around a call or an event's effect. A failure marks it ERROR with the error's
    type only: OpenTelemetry's default records the exception's message and traceback on the
    span, and a database error's message holds the row's values (PostgreSQL's ``DETAIL: Key
    (...)=(...)``), a parse error the text it could not parse; spans go to a tracing backend."""
    if tracer is None:
        yield None
        return
    with tracer.start_as_current_span(
        name,
        context=parent,
        kind=kind,
        attributes=dict(attributes or {}),
        record_exception=False,
        set_status_on_exception=False,
    ) as s:
        try:
            yield s
        except BaseException as exc:
            if not isinstance(exc, GeneratorExit):
                s.add_event("exception", {"exception.type": type(exc).__name__})
                s.set_status(trace.Status(trace.StatusCode.ERROR))
            raise


def instrument_sqlalchemy(
    engine: Engine, tracer: trace.Tracer, exporting: Callable[[], bool] | None = None
) -> None:
    """A span per statement (the statement's verb only: SQL text may hold values), while
    ``exporting()`` says spans go somewhere (always when not given): a span nobody receives
    costs every statement ~50 us of the service's one interpreter."""
    sync_engine = getattr(engine, "sync_engine", engine)

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _start(
        conn: Connection,
        cursor: DBAPICursor,
        statement: str,
        parameters: object,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        if exporting is not None and not exporting():
            return
        verb = statement.lstrip().split(" ", 1)[0].upper()[:16]
        s = tracer.start_span(
            f"sql {verb}", kind=trace.SpanKind.CLIENT, attributes={"db.system": conn.dialect.name}
        )
        conn.info.setdefault("_zt_spans", []).append((s, time.perf_counter()))

    @event.listens_for(sync_engine, "after_cursor_execute")
    def _end(
        conn: Connection,
        cursor: DBAPICursor,
        statement: str,
        parameters: object,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        spans = conn.info.get("_zt_spans")
        if spans:
            s, _ = spans.pop()
            s.end()

    @event.listens_for(sync_engine, "handle_error")
    def _error(exception_context: ExceptionContext) -> None:
        conn = exception_context.connection
        spans = conn.info.get("_zt_spans") if conn is not None else None
        if spans:
            s, _ = spans.pop()
            s.set_status(trace.Status(trace.StatusCode.ERROR))
            s.end()
