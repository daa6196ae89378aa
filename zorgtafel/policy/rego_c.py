"""regopy's C library bound a second time so that short calls keep the GIL.

regopy binds rego-cpp with ``ctypes.CDLL``: every call, however short, releases the GIL and takes
it back. A thread taking the GIL back while other threads want it (a busy service: gRPC workers,
the consumer, the relay) may wait a whole switch interval (5 ms) per call. Building an input
takes ~150 calls of a microsecond, reading an output five more; measured with four busy Python
threads, a disclosure decision took p50 318 ms through regopy's bindings for the input alone
(issue #16). Bound with ``ctypes.PyDLL`` (same library, regopy's own signatures) they run in one
short slice. Evaluation itself (``query``) stays on regopy's binding, releasing the GIL: it is
the long call, and other threads should run while it does.

Bound on first use, not on import (a dlopen of the library regopy already loaded: nothing is
loaded twice). regopy is pinned to 1.5.x; every policy test runs through these bindings.
"""

from __future__ import annotations

import ctypes
import functools
import json
from types import SimpleNamespace
from typing import Any

from zorgtafel.policy.errors import PolicyUnavailable

_HELD = {
    # input, built node by node (rego_input)
    "new": "regoNewInput",
    "free": "regoFreeInput",
    "set": "regoSetInput",
    "string": "regoInputString",
    "int": "regoInputInt",
    "bool": "regoInputBoolean",
    "null": "regoInputNull",
    "item": "regoInputObjectItem",
    "object": "regoInputObject",
    "array": "regoInputArray",
    # output, read as one JSON text
    "output_ok": "regoOutputOk",
    "output_size": "regoOutputJSONSize",
    "output_json": "regoOutputJSON",
    "output_free": "regoFreeOutput",
}


@functools.cache
def held() -> SimpleNamespace:
    """The functions of ``_HELD``, bound to keep the GIL."""
    from regopy.rego_shared import rego as theirs

    library = ctypes.PyDLL(theirs._name)
    bound = {}
    for short, name in _HELD.items():
        function, signature = getattr(library, name), getattr(theirs, name)
        function.argtypes, function.restype = signature.argtypes, signature.restype
        bound[short] = function
    return SimpleNamespace(**bound)


def entrypoint_of(query: str) -> str:
    """The entrypoint of a query of one rule: ``data.a.b.rule`` -> ``a/b/rule``."""
    if not query.startswith("data."):
        raise PolicyUnavailable(f"not a query of one rule: {query}")
    return query.removeprefix("data.").replace(".", "/")


def query(interpreter: Any, compiled: Any, entrypoint: str | None = None) -> tuple[bool, Any]:
    """Evaluate the bundle ``compiled`` on ``interpreter`` (its input already set); ``(defined,
    value)`` of the query's one expression, as regopy's ``Output`` would give it, with the GIL
    released only during the evaluation. ``PolicyUnavailable`` on an evaluation error, an output
    that does not parse or more than one result.

    With ``entrypoint`` (a bundle built with it, ``entrypoint_of``): that rule is evaluated
    directly, without the query rego-cpp wraps around it (25 plan statements fewer per decision,
    issue #16). The answer is the query's: rego-cpp's query gives a rule whose value is false as
    undefined and its entrypoint as false, so false is no answer here too."""
    from regopy.rego_shared import rego as theirs
    from regopy.rego_shared import rego_bundle_query

    c = held()
    if entrypoint is None:
        output = rego_bundle_query(interpreter._impl, compiled._impl)  # releases the GIL
    else:
        # regopy's binding (CDLL): releases the GIL; no output only when rego-cpp fails outright
        output = theirs.regoBundleQueryEntrypoint(
            interpreter._impl, compiled._impl, entrypoint.encode("utf-8")
        )
        if not output:
            raise PolicyUnavailable("rego-cpp gave no output for the entrypoint")
    try:
        ok = c.output_ok(output)
        size = c.output_size(output)
        buffer = ctypes.create_string_buffer(size)
        if c.output_json(output, buffer, size):
            raise PolicyUnavailable("rego-cpp could not write its output")
        text = buffer.value.decode("utf-8")
    finally:
        c.output_free(output)
    if not ok:
        raise PolicyUnavailable(f"evaluation error: {text.strip()[:500]}")
    if text == "undefined":
        return False, None
    try:
        results = json.loads(text)
    except ValueError:  # rego-cpp 1.5 writes some values unescaped (e.g. "" inside sprintf)
        raise PolicyUnavailable("rego-cpp wrote an output that is not JSON") from None
    if not isinstance(results, list):
        results = [results]
    values = [r["expressions"][0] for r in results if r.get("expressions")]
    if not values:
        return False, None
    if len(values) > 1:
        raise PolicyUnavailable("the policy gave more than one result")
    if entrypoint is not None and values[0] is False:
        return False, None
    return True, values[0]
