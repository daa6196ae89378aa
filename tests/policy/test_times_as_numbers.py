"""The times of a disclosure decision handed over as numbers (issue #16): the service sends
``now_ns`` and ``terms.expires_at_ns`` beside the RFC 3339 text, and the policy compares those
instead of parsing the text (a regular expression rego-cpp compiles on every call). That is only
right if the numbers are what the policy would have read from the text, and the decision is the
same either way: both are checked here, on regopy (the embedded engine) and on regorus.
"""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import cases
import pytest
from conftest import POLICY_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.disclosure.domain.times import epoch_ns, rfc3339
from zorgtafel.policy import rego_c, rego_input, sources
from zorgtafel.policy.embedded import input_json

PROBE = """package probe
import rego.v1
import data.zorgtafel.lib
ns := {t: n | some t in input.times; n := lib.ns(t)}
"""

UTC = timezone.utc
# The ends of what lib.ns answers (a signed 64-bit count of nanoseconds) and of a datetime.
EDGES = [
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(1677, 9, 21, 0, 12, 43, 145224, tzinfo=UTC),
    datetime(1677, 9, 21, 0, 12, 44, tzinfo=UTC),
    datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(1970, 1, 1, tzinfo=UTC),
    datetime(2024, 2, 29, 12, 0, 0, 1, tzinfo=UTC),
    datetime(2025, 6, 1, 14, 0, tzinfo=timezone(timedelta(hours=2))),
    datetime(2262, 4, 11, 23, 47, 16, 854775, tzinfo=UTC),
    datetime(2262, 4, 11, 23, 47, 16, 854776, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
]
TIMES = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@pytest.fixture(scope="module")
def lib_ns():
    """lib.ns of each text, as regopy reads it (absent where it has no answer)."""
    from regopy import Interpreter

    interpreter = Interpreter()
    for module in sources.closure(sources.modules(POLICY_DIR), ["zorgtafel.lib"]):
        interpreter.add_module(module.name, module.text)
    interpreter.add_module("probe.rego", PROBE)
    compiled = interpreter.build("data.probe.ns")

    def read(texts: list[str]) -> dict[str, int]:
        rego_input.set_input(interpreter, input_json({"times": texts}))
        defined, value = rego_c.query(interpreter, compiled)
        assert defined
        return value

    return read


def test_the_edges_of_the_time_range_are_handed_over_as_the_policy_reads_them(lib_ns):
    texts = [rfc3339(t) for t in EDGES]
    read = lib_ns(texts)
    assert {rfc3339(t): epoch_ns(t) for t in EDGES if epoch_ns(t) is not None} == read
    assert epoch_ns(EDGES[1]) is None and epoch_ns(EDGES[-3]) is not None
    assert epoch_ns(EDGES[-2]) is None  # one microsecond past what a 64-bit count holds


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(TIMES, min_size=1, max_size=20))
def test_each_time_is_handed_over_as_the_nanoseconds_the_policy_reads_from_its_text(lib_ns, times):
    read = lib_ns([rfc3339(t) for t in times])
    for t in times:
        assert read.get(rfc3339(t)) == epoch_ns(t), rfc3339(t)


def _as_served(
    value: dict[str, Any], now: datetime, expires: datetime | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``value`` at ``now`` with terms expiring at ``expires``, as the text alone and as the
    service hands it over (disclosure_input: the numbers beside the text)."""
    text = copy.deepcopy(value)
    text["now"] = rfc3339(now)
    text["item"]["terms"]["expires_at"] = rfc3339(expires) if expires else None
    served = copy.deepcopy(text)
    if epoch_ns(now) is not None:
        served["now_ns"] = epoch_ns(now)
    if expires and epoch_ns(expires) is not None:
        served["item"]["terms"]["expires_at_ns"] = epoch_ns(expires)
    return text, served


EXAMPLES = [
    cases.disclosure(),
    cases.disclosure(requester__person="bert", recipient__person="bert"),
    cases.disclosure(item__legal_basis="consent", subject={"age": 14}),
    cases.disclosure(action="pre_read", item__terms__pre_read_allowed=True),
]


def _answer(engine, value: dict[str, Any]) -> Any:
    defined, result, _ = engine._query(
        "zorgtafel.disclosure", "decision", json.loads(input_json(value))
    )
    return result if defined else None


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(EXAMPLES),
    TIMES | st.sampled_from(EDGES[1:-1]),
    st.none() | TIMES | st.sampled_from(EDGES),
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
)
def test_a_decision_is_the_same_whether_its_times_come_as_text_or_as_numbers(
    embedded, embedded_regorus, example, now, expires, near
):
    # Half the expiries near now: the comparison itself, not only far past or future.
    if expires is not None and near.days % 2 == 0:
        expires = now + near
    text, served = _as_served(example, now, expires)
    for engine in (embedded, embedded_regorus):
        try:
            expected = _answer(engine, text)
        except Exception as exc:  # noqa: BLE001 - an error must be an error either way
            with pytest.raises(type(exc)):
                _answer(engine, served)
            continue
        assert _answer(engine, served) == expected, json.dumps(served, indent=1)


def test_an_expired_item_is_refused_with_the_same_reasons_as_numbers(embedded):
    now = datetime(2031, 1, 1, tzinfo=UTC)
    text, served = _as_served(cases.disclosure(), now, now - timedelta(microseconds=1))
    decision = _answer(embedded, served)
    assert decision["allow"] is False
    assert decision == _answer(embedded, text)
    assert any("only until 2030-12-31T23:59:59.999999Z" in r for r in decision["reasons"])
