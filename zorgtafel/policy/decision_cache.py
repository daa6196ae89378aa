"""Remembered answers of a deterministic policy package, for the embedded engine.

``zorgtafel.authz`` is decided on every call, and its input is the same for every call of one
person in one job to one method (method, principal, the party a request names): a partner's
worklist asks the same few questions all day. Rego evaluation is a pure function of the input
and the compiled revision's rules and data, unless a rule reads the clock, the network or a
random source; so the answer for an exact input text can be kept and given again, for that
revision only (a cache lives on one compiled revision and is dropped with it when a new
bundle is activated).

What is kept is the raw answer, as JSON text: each hit builds its own value, so no caller can
change what the next one gets, and every hit still becomes a Decision of its own (a new id and
time, the access log's record as before). Only packages named by the engine's owner are cached,
and only when none of their modules names a builtin whose answer can change between two
evaluations of the same input (``nondeterministic_builtins``).
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from typing import Any, Iterable

from zorgtafel.policy import sources

# Builtins whose answer can differ for the same input: the clock, the network, randomness,
# the runtime's environment (OPA marks these non-deterministic; io.jwt.decode_verify reads the clock).
_NONDETERMINISTIC = re.compile(
    r"\b(?:time\.now_ns|http\.send|rand\.intn|uuid\.rfc4122|opa\.runtime|"
    r"net\.lookup_ip_addr|crypto\.x509\.parse_and_verify_certificates|io\.jwt\.decode_verify)\b"
)


def nondeterministic_builtins(modules: Iterable[sources.Module]) -> list[str]:
    """The non-deterministic builtins the modules name (comments included: a false alarm only
    turns the cache off, a missed name would keep an answer that may have changed)."""
    return sorted(
        {m.group(0) for module in modules for m in _NONDETERMINISTIC.finditer(module.text)}
    )


# An input longer than this is evaluated every time, never remembered: the cache's memory stays
# bounded by its count (an authz input is ~200 characters; a caller could otherwise fill 1,024
# entries with long strings in the fields the input carries).
MAX_INPUT_CHARS = 2048


class DecisionCache:
    """At most ``size`` answers by (query, input text), least recently used dropped first;
    inputs over ``MAX_INPUT_CHARS`` are not kept."""

    def __init__(self, size: int):
        self.size = max(0, size)
        self._answers: OrderedDict[tuple[str, str], tuple[bool, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, query: str, text: str) -> tuple[bool, Any] | None:
        key = (query, text)
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
        defined, value_json = answer
        return defined, json.loads(value_json)

    def put(self, query: str, text: str, defined: bool, value: Any) -> None:
        if self.size == 0 or len(text) > MAX_INPUT_CHARS:
            return
        value_json = json.dumps(value, ensure_ascii=False, allow_nan=False)
        with self._lock:
            self._answers[(query, text)] = (defined, value_json)
            self._answers.move_to_end((query, text))
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def __len__(self) -> int:
        return len(self._answers)
