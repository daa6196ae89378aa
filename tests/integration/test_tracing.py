"""One trace from a command to its effect in another service: the W3C trace context travels
from gRPC metadata (or the command's span) through the outbox and the broker to the consumer."""

from __future__ import annotations

import time

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from services.governance.domain.commands import RegisterParty
from services.governance.service_layer import handlers
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.testing import channel, running_service

pytestmark = pytest.mark.integration

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def exporter_for(app) -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    app.tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


def test_a_call_continues_the_partners_trace(broker, data_dir, keys):
    with running_service("governance", data_dir, broker.bootstrap) as gov:
        spans = exporter_for(gov)
        stub = pb_grpc.GovernanceServiceStub(channel(gov))
        stub.ListParties(
            pb.ListPartiesRequest(),
            metadata=(
                *keys.metadata("00000099000000000001", "council_delegate"),
                ("traceparent", f"00-{TRACE}-00f067aa0ba902b7-01"),
            ),
        )
        server = [s for s in spans.get_finished_spans() if s.name.endswith("/ListParties")]
        assert server and f"{server[0].context.trace_id:032x}" == TRACE
        sql = [s for s in spans.get_finished_spans() if s.name.startswith("sql ")]
        assert any(f"{s.context.trace_id:032x}" == TRACE for s in sql)


def test_an_event_is_consumed_in_the_trace_of_the_command_that_raised_it(broker, data_dir):
    with (
        running_service("disclosure", data_dir, broker.bootstrap) as dis,
        running_service("governance", data_dir, broker.bootstrap) as gov,
    ):
        consumed = exporter_for(dis)
        tracer = gov.tracer_provider.get_tracer("test")
        with tracer.start_as_current_span("partner command") as command:
            with gov.uow_factory() as uow:
                handlers.register_party(
                    uow, RegisterParty("00000099100000000001", "Trace test", "other")
                )
        gov.relay.wake()
        want = command.get_span_context().trace_id
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if any(
                s.name.startswith("consume ") and s.context.trace_id == want
                for s in consumed.get_finished_spans()
            ):
                return
            time.sleep(0.2)
        pytest.fail("the consumer's span is not in the command's trace")
