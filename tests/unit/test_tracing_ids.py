"""Trace ids are the service's own: nothing else in the process decides or sees them."""

from __future__ import annotations

import random

from zorgtafel.kernel.tracing import current_ids, make_tracer_provider


def _ids_after_seeding(seed: int) -> tuple[str, str]:
    random.seed(seed)
    tracer = make_tracer_provider("casework").get_tracer("test")
    with tracer.start_as_current_span("call"):
        return current_ids()


def test_two_services_in_a_process_that_seeded_random_alike_get_different_trace_ids() -> None:
    # Seeded the same, OpenTelemetry's default generator gives both the same ids; the access
    # log ties a read to its call by them.
    assert _ids_after_seeding(0) != _ids_after_seeding(0)


def test_making_spans_leaves_the_process_wide_random_untouched() -> None:
    tracer = make_tracer_provider("disclosure").get_tracer("test")
    before = random.getstate()
    for _ in range(10):
        with tracer.start_as_current_span("call"):
            with tracer.start_as_current_span("inner"):
                pass
    assert random.getstate() == before


def test_ids_are_valid_w3c_ids() -> None:
    trace_id, span_id = _ids_after_seeding(1)
    assert len(trace_id) == 32 and int(trace_id, 16) != 0
    assert len(span_id) == 16 and int(span_id, 16) != 0
