"""Input built node by node (policy/rego_input.py) is the value the term parser gives.

Every probe rule below is asked twice per generated input, once after ``set_input_term(text)``
(rego-cpp parsing the JSON text, the engine's path before issue #16's change) and once after
``rego_input.set_input(text)``; the answers (or the failures) must be the same. The inputs are
arbitrary JSON: text with quotes, backslashes, control characters, diacritics, RTL and non-BMP
characters, integers beyond 64 bits, floats, deep nesting. Deterministic (``derandomize``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zorgtafel.policy import rego_input
from zorgtafel.policy.embedded import input_json

PROBES = """package q
import rego.v1
doc := input
strings := [s | walk(input, [_, s]); is_string(s)]
lengths := [count(s) | some s in strings]
upper := [upper(s) | some s in strings]
trimmed := [trim_space(s) | some s in strings]
numbers := [n | walk(input, [_, n]); is_number(n)]
keys := [k | walk(input, [p, _]); count(p) > 0; k := p[count(p) - 1]]
same if input == lit
"""

TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            'a"b',
            "a\\b",
            "a\nb\tc",
            "\x00",
            "Zoë",
            "Zoe\u0308",
            "שלום",
            "\U0001f600",
            "\u00a0",
            " \u2003 ",
            "\\u00eb",
            "",
            "\u2028",
            "\x7f",
            "'",
        ]
    ),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.integers(min_value=-5, max_value=5),
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=16,
)
QUERIES = ["doc", "strings", "lengths", "upper", "trimmed", "numbers", "keys", "same"]


def _interpreter(text: str) -> Any:
    from regopy import Interpreter

    interpreter = Interpreter()
    # The same value as a literal of the module: parsed by rego-cpp's own parser, as a term is.
    interpreter.add_module("q.rego", PROBES + f"lit := {text}\n")
    return interpreter


def _answers(interpreter: Any) -> list[str]:
    answers = []
    for query in QUERIES:
        try:
            answers.append(str(interpreter.query(f"data.q.{query}")))
        except Exception as exc:  # noqa: BLE001 - a failure must be the same failure
            answers.append(f"failed: {type(exc).__name__}")
    return answers


def deterministic(max_examples: int) -> settings:
    """The same examples on every run (``derandomize``), no deadline: each asks rego-cpp."""
    return settings(
        max_examples=max_examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


@deterministic(100)
@given(value=st.dictionaries(TEXT, VALUES, max_size=4))
def test_an_input_built_node_by_node_is_the_value_the_term_parser_gives(value):
    text = input_json(value)
    interpreter = _interpreter(text)
    interpreter.set_input_term(text)
    parsed = _answers(interpreter)
    rego_input.set_input(interpreter, text)
    built = _answers(interpreter)
    assert built == parsed, f"input {text!r}"


class _TermForbidden:
    """An interpreter whose term parser must not be used (the node-by-node path must be)."""

    def __init__(self, interpreter: Any) -> None:
        self._impl = interpreter._impl

    def set_input_term(self, text: str) -> None:
        raise AssertionError("parsed as a term")


@pytest.mark.parametrize(
    "value",
    [
        {"method": "/zorgtafel.intake.v1.IntakeService/Assess", "principal": {"party": "1"}},
        {"name": 'Zoë "Z" \\ \n', "age": 14, "ok": True, "none": None, "list": [1, [2, {}]]},
        {"big": 2**63 - 1, "small": -(2**63)},
    ],
)
def test_plain_json_is_built_without_the_term_parser(value):
    text = input_json(value)
    interpreter = _interpreter(text)
    rego_input.set_input(_TermForbidden(interpreter), text)
    assert interpreter.query("data.q.same").results[0].expressions[0] is True


@pytest.mark.parametrize(
    "value",
    [
        {"v": 1.5e-07},  # rego-cpp would write this float as 0
        {"v": 2**63},  # ctypes would wrap this integer
        {"v": -(2**63) - 1},
        {"v": json.loads("[" * 80 + "]" * 80)},  # deeper than the builder goes
    ],
)
def test_what_cannot_be_built_identically_is_parsed_as_a_term(value):
    text = input_json(value)
    interpreter = _interpreter(text)
    with pytest.raises(AssertionError, match="parsed as a term"):
        rego_input.set_input(_TermForbidden(interpreter), text)
    rego_input.set_input(interpreter, text)
    assert interpreter.query("data.q.same").results[0].expressions[0] is True
