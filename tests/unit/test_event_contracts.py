"""The published language holds between producers and consumers: every event a service
publishes is a type of ``zorgtafel.contracts``, its data parses back into that type (the
consumer's view), and every event type a service consumes is one some service publishes."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from importlib import import_module
from typing import get_origin, get_type_hints

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zorgtafel.contracts import events as ev
from zorgtafel.kernel.config import SERVICES
from zorgtafel.kernel.events import ContractViolation, DomainEvent, in_decision_order

TEXT = st.text(min_size=1, max_size=20)


def registry(service: str):
    return import_module(f"services.{service}.domain.events").REGISTRY


def instances(cls: type[DomainEvent]):
    """Events of ``cls`` with every field drawn from what its type allows."""
    hints = get_type_hints(cls)
    scalars = {str: TEXT, bool: st.booleans(), int: st.integers(0, 10_000)}
    fields = {}
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if hint in scalars:
            fields[f.name] = scalars[hint]
        elif get_origin(hint) is tuple:
            fields[f.name] = st.lists(TEXT, max_size=3).map(tuple)
        else:  # a mapping, such as the roles of a case
            fields[f.name] = st.dictionaries(
                TEXT, st.dictionaries(TEXT, TEXT, max_size=2), max_size=2
            )
    return st.builds(cls, **fields)


@pytest.mark.parametrize("service", SERVICES)
def test_every_published_event_is_a_contract_type(service):
    published = registry(service).classes()
    assert published, f"{service} publishes nothing?"
    for cls in published:
        assert ev.EVENTS.get(cls.TYPE) is cls, f"{cls.TYPE} is not the contract's class"
        # A service's own events carry its name; the kernel's (the access log's checkpoint)
        # are the same type in every service, each on the service's own topic.
        kernel_event = cls.TYPE in (ev.ACCESS_LOG_CHECKPOINTED, ev.POLICY_REVISION_ENFORCED)
        assert kernel_event or cls.TYPE.startswith(f"nl.zorgtafel.{service}."), cls.TYPE


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_publishes_its_access_log_checkpoints_and_enforced_revision(service):
    assert ev.EVENTS[ev.ACCESS_LOG_CHECKPOINTED] in registry(service).classes()
    assert ev.EVENTS[ev.POLICY_REVISION_ENFORCED] in registry(service).classes()


@pytest.mark.parametrize("event_type", sorted(ev.EVENTS))
def test_what_a_producer_writes_the_consumer_reads_back(event_type):
    cls = ev.EVENTS[event_type]

    @given(instances(cls))
    def round_trip(event):
        import json

        data = json.loads(json.dumps(event.to_data()))  # as it travels
        assert ev.parse(event_type, data) == event

    round_trip()


def test_data_that_does_not_fit_its_type_is_refused_without_echoing_it():
    with pytest.raises(ContractViolation) as exc:
        ev.parse(ev.CASE_OPENED, {"case_id": 7, "subject_pseudonym": "SECRETMARKER"})
    assert "SECRETMARKER" not in str(exc.value)
    with pytest.raises(ContractViolation):
        ev.parse(ev.CASE_OPENED, {"case_id": "c-1"})  # fields missing
    with pytest.raises(ContractViolation):
        ev.parse("nl.zorgtafel.nobody.thing.v1", {})
    opened = ev.parse(ev.CASE_PURGED, {"case_id": "c-1", "added_by_a_newer_producer": 1})
    assert opened.case_id == "c-1"  # unknown fields are ignored (forward compatible)


def test_every_consumed_event_type_is_published_by_some_service(tmp_path):
    from zorgtafel.testing import handler_platform

    for service in SERVICES:
        with handler_platform(service, tmp_path / service) as (_platform, parts):
            for topic, handlers in parts.consumes.items():
                for event_type in handlers:
                    assert event_type in ev.EVENTS, (service, event_type)
                    # the kernel's events: every service's, each on its own topic
                    if event_type in (ev.ACCESS_LOG_CHECKPOINTED, ev.POLICY_REVISION_ENFORCED):
                        assert topic in ev.TOPIC.values(), (service, event_type)
                        continue
                    assert topic == ev.TOPIC[event_type.split(".")[2]], (service, event_type)


def test_a_change_applies_in_the_order_it_was_decided_and_one_without_a_time_counts_as_older():
    """``in_decision_order``: what a consumer of a producer's changes (a delegate named or
    released, a director appointed, roles set) applies, whatever order the events arrive in."""
    held = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
    earlier, later = held - timedelta(seconds=1), held + timedelta(seconds=1)
    for grants in (True, False):
        assert in_decision_order(later, held, grants=grants)
        assert not in_decision_order(earlier, held, grants=grants)  # came late
        assert in_decision_order(earlier, None, grants=grants)  # nothing held yet
        assert in_decision_order(None, None, grants=grants)  # as before decision times
    # A repeat (the same time) is applied again only when it gives nothing: ties err to less.
    assert not in_decision_order(held, held, grants=True)
    assert in_decision_order(held, held, grants=False)
    # A change of a producer from before decision times is older than every timed one: it
    # gives nothing over one, and always takes away (fail closed).
    assert not in_decision_order(None, held, grants=True)
    assert in_decision_order(None, held, grants=False)
