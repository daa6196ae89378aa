"""Input handed to rego-cpp as a value built node by node, not as text it parses.

rego-cpp parses an input term (``set_input_term``) with its whole Rego parser: ~0.75 µs per
character, 0.9 ms of a 5 ms disclosure decision for a 1.1 KB input (issue #16, measured on this
machine). Its C API can build the same value node by node (``regoInputString`` and friends):
0.3 ms for that input. This module does that, and only where the result is *the same value the
term parser would give*, checked for every input shape the policies see
(tests/policy/test_rego_input.py compares both paths on generated inputs):

* rego-cpp keeps a string in its JSON-escaped form (the term parser does not unescape: ``count``
  of ``a"b`` is 4 on either path), so a string goes in as ``json.dumps`` writes it, without the
  quotes. Given raw, ``input.v == "a\\"b"`` would be false here and true in the term path.
* A float is written by rego-cpp with fixed precision (1.5e-07 became 0): any float, and any
  integer outside 64 bits (ctypes would wrap it silently), sends the whole input the term way.
* The value built is ``json.loads`` of the text the engine keys its decisions by, so it is that
  text's value exactly (keys are strings, a tuple is a list), whatever the caller handed in.

Its ~150 short calls per input keep the GIL (``rego_c.held``) and use an interpreter's handle
(``_impl``): regopy is pinned to 1.5.x, and every policy test runs through this path.
"""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

from zorgtafel.policy.errors import PolicyUnavailable
from zorgtafel.policy.rego_c import held

_INT64 = (-(2**63), 2**63 - 1)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\]')  # what json.dumps escapes with ensure_ascii=False
# Deeper than any input schema allows; deeper inputs go the term way, so the recursion below
# stays far from Python's limit.
_MAX_DEPTH = 64


class _TermWay(Exception):
    """This value cannot be built identically to the term parser's: parse the text instead."""


def _escaped(text: str) -> bytes:
    if _NEEDS_ESCAPE.search(text) is None:
        return text.encode()
    return json.dumps(text, ensure_ascii=False)[1:-1].encode()


def _build(c: SimpleNamespace, handle: Any, value: Any, depth: int) -> None:
    kind = type(value)
    if kind is str:
        code = c.string(handle, _escaped(value))
    elif kind is dict:
        if depth >= _MAX_DEPTH:
            raise _TermWay
        for key, member in value.items():
            if c.string(handle, _escaped(key)):
                raise PolicyUnavailable("rego-cpp refused an input key")
            _build(c, handle, member, depth + 1)
            if c.item(handle):
                raise PolicyUnavailable("rego-cpp refused an input member")
        code = c.object(handle, len(value))
    elif kind is list:
        if depth >= _MAX_DEPTH:
            raise _TermWay
        for member in value:
            _build(c, handle, member, depth + 1)
        code = c.array(handle, len(value))
    elif kind is bool:
        code = c.bool(handle, value)
    elif kind is int:
        if not _INT64[0] <= value <= _INT64[1]:
            raise _TermWay
        code = c.int(handle, value)
    elif value is None:
        code = c.null(handle)
    else:  # float: rego-cpp would round it
        raise _TermWay
    if code:
        raise PolicyUnavailable("rego-cpp refused an input value")


def set_input(interpreter: Any, text: str) -> None:
    """Make ``text`` (JSON from ``embedded.input_json``) the input of ``interpreter``."""
    c = held()
    handle = c.new()
    try:
        try:
            _build(c, handle, json.loads(text), 0)
        except _TermWay:
            interpreter.set_input_term(text)
            return
        if c.set(interpreter._impl, handle):
            raise PolicyUnavailable("rego-cpp refused the input")
    finally:
        c.free(handle)
