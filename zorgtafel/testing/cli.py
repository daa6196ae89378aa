"""What a command line printed, read back in a test whose process also runs services.

The services of an integration test log to the same stdout the command prints to, from their
own threads, at any moment (a busy machine moved an ``event_ignored`` line between a
``checkpoints export`` and its capture). A command prints its JSON document with one write, so
the document is whole; this finds it among the log lines instead of assuming it is all of the
output or its last line."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def printed_json(out: str, wanted: Callable[[Any], bool]) -> Any:
    """The last JSON document in ``out`` that starts a line and is ``wanted``; ``ValueError``
    with the output's length (not its content: it may hold a record) if there is none."""
    decoder = json.JSONDecoder()
    found: list[Any] = []
    offset = 0
    for line in out.splitlines(keepends=True):
        if line.startswith(("{", "[")):
            try:
                value, _ = decoder.raw_decode(out, offset)
            except json.JSONDecodeError:
                value = None
            if value is not None and wanted(value):
                found.append(value)
        offset += len(line)
    if not found:
        raise ValueError(f"no such JSON document in {len(out)} characters of output")
    return found[-1]
