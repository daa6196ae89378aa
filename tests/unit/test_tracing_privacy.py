"""Spans hold no exception text: a database error's message carries the row's values
(PostgreSQL's ``DETAIL: Key (...)=(...)``), and spans are exported to a tracing backend."""

from __future__ import annotations

import json

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

from zorgtafel.kernel.tracing import make_tracer_provider, span

MARKER = "Jürgen Ødegård-Çelik"


class UniqueViolation(Exception):
    pass


def test_a_failed_span_keeps_the_error_type_and_never_its_message_or_traceback() -> None:
    provider = make_tracer_provider("intake")
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    with pytest.raises(UniqueViolation):
        with span(provider.get_tracer("test"), "/zorgtafel.intake.v1.IntakeService/Nominate"):
            raise UniqueViolation(
                f"duplicate key value\nDETAIL:  Key (subject_name)=({MARKER}) already exists."
            )
    (finished,) = exporter.get_finished_spans()
    exported = json.dumps(json.loads(finished.to_json()), ensure_ascii=False)
    assert MARKER not in exported
    assert finished.status.status_code is StatusCode.ERROR
    assert not finished.status.description
    assert [dict(e.attributes or {}) for e in finished.events] == [
        {"exception.type": "UniqueViolation"}
    ]
