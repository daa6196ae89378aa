"""The output read with the GIL held (policy/rego_c.py) is what regopy's own ``Output`` gives.

Each probe rule of test_rego_input is built as a bundle and asked on generated inputs twice:
through regopy's ``query_bundle`` (its ``Output``: five ctypes calls that each release the GIL)
and through ``rego_c.query``; the answers must be the same. Undefined, false, an evaluation
error and output that does not parse keep their meaning (fail closed).
"""

from __future__ import annotations

import ctypes
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.policy.test_rego_input import PROBES, QUERIES, TEXT, VALUES, deterministic
from zorgtafel.policy import rego_c, rego_input
from zorgtafel.policy.embedded import input_json
from zorgtafel.policy.errors import PolicyUnavailable

EXTRA = """
nothing if input.never_there
no := false
conflict := input.a
conflict := input.b
"""


def _bundles(text: str) -> tuple[Any, dict[str, Any]]:
    from regopy import Interpreter

    interpreter = Interpreter()
    interpreter.add_module("q.rego", PROBES + EXTRA + f"lit := {text}\n")
    return interpreter, {q: interpreter.build(f"data.q.{q}") for q in QUERIES}


def _regopy_answer(interpreter: Any, compiled: Any) -> tuple[bool, Any] | str:
    try:
        output = interpreter.query_bundle(compiled)
    except ValueError:  # its Output parses the text in its constructor (e.g. "" in sprintf)
        return "error"
    if not output.ok():
        return "error"
    values = [r.expressions[0] for r in output.results if r.expressions]
    return (True, values[0]) if values else (False, None)


def _held_answer(interpreter: Any, compiled: Any) -> tuple[bool, Any] | str:
    try:
        return rego_c.query(interpreter, compiled)
    except PolicyUnavailable:
        return "error"


@deterministic(60)
@given(value=st.dictionaries(TEXT, VALUES, max_size=4))
def test_an_output_read_with_the_gil_held_is_regopys_output(value):
    text = input_json(value)
    interpreter, bundles = _bundles(text)
    rego_input.set_input(interpreter, text)
    for query, compiled in bundles.items():
        held = _held_answer(interpreter, compiled)
        assert held == _regopy_answer(interpreter, compiled), f"{query} on input {text!r}"


def _one(query: str, value: dict) -> tuple[bool, Any]:
    from regopy import Interpreter

    interpreter = Interpreter()
    interpreter.add_module("q.rego", PROBES + EXTRA + "lit := 1\n")
    compiled = interpreter.build(f"data.q.{query}")
    rego_input.set_input(interpreter, input_json(value))
    return rego_c.query(interpreter, compiled)


def test_an_undefined_rule_is_no_answer():
    assert _one("nothing", {}) == (False, None)


def test_a_false_rule_comes_back_as_rego_cpp_gives_it():
    # rego-cpp reports a rule whose value is false as undefined (a known quirk): no answer, a deny.
    assert _one("no", {}) in ((False, None), (True, False))


def test_an_evaluation_error_is_unavailable_without_the_input():
    with pytest.raises(PolicyUnavailable, match="evaluation error") as raised:
        _one("conflict", {"a": "Zoë-secret", "b": "other"})
    assert "Zoë-secret" not in str(raised.value)


def test_text_comes_back_exactly():
    value = {"name": 'Zoë "Z" \\ שלום \U0001f600'}
    assert _one("doc", value) == (True, value)


def test_the_short_calls_keep_the_gil_and_only_evaluation_releases_it():
    # PyDLL functions carry FUNCFLAG_PYTHONAPI: ctypes does not release the GIL around them.
    held = rego_c.held()
    for name in vars(held):
        assert getattr(held, name)._flags_ & ctypes._FUNCFLAG_PYTHONAPI, name
    from regopy.rego_shared import rego as theirs

    assert not theirs.regoBundleQuery._flags_ & ctypes._FUNCFLAG_PYTHONAPI


def _entrypoint_bundles(text: str) -> tuple[Any, dict[str, tuple[Any, Any]]]:
    """Each probe rule compiled twice on one interpreter: as a query and as an entrypoint."""
    from regopy import Interpreter

    interpreter = Interpreter()
    interpreter.add_module("q.rego", PROBES + EXTRA + f"lit := {text}\n")
    return interpreter, {
        q: (interpreter.build(f"data.q.{q}"), interpreter.build(None, [f"q/{q}"]))
        for q in QUERIES + ["nothing", "no", "conflict"]
    }


def _entrypoint_answer(interpreter: Any, compiled: Any, entrypoint: str) -> tuple[bool, Any] | str:
    try:
        return rego_c.query(interpreter, compiled, entrypoint)
    except PolicyUnavailable:
        return "error"


@deterministic(40)
@given(value=st.dictionaries(TEXT, VALUES, max_size=4))
def test_a_rule_asked_as_its_entrypoint_answers_as_the_query_of_it(value):
    # The engine asks a decision by its entrypoint (no query wrapped around the rule: 25 plan
    # statements fewer per decision, issue #16); the answer must be the query's, a false rule
    # included (rego-cpp's query gives it as undefined, its entrypoint as false).
    text = input_json(value)
    interpreter, bundles = _entrypoint_bundles(text)
    rego_input.set_input(interpreter, text)
    for query, (as_query, as_entrypoint) in bundles.items():
        expected = _held_answer(interpreter, as_query)
        answer = _entrypoint_answer(interpreter, as_entrypoint, f"q/{query}")
        assert answer == expected, f"{query} on input {text!r}"
