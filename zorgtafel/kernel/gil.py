"""How long a thread may hold the GIL before another thread that wants it gets a turn.

A service is many threads in one interpreter: gRPC workers, the event consumer, the outbox
relay, health checks, the policy engine's evaluation thread. A thread coming back from a call
that released the GIL (a rego evaluation, a database round trip, a socket read) waits until the
holder is made to switch, up to Python's switch interval (5 ms by default), and with several
threads wanting the GIL it can lose that race more than once. Measured (issue #16, 2 cores,
two alternating runs of each setting): a disclosure decision beside four busy Python threads
took p50 51-61 ms at 5 ms, 15-16 ms at 1 ms, 8-9 ms at 0.5 ms; audited disclosure with 8
clients lost no throughput at 1 ms (93-97 calls/s against 82-93 at 5 ms) and its p99 fell from
127-140 to 111-120 ms. Shorter than 1 ms was not measured for throughput, so not chosen.

``ZORGTAFEL_GIL_SWITCH_INTERVAL_MS``, 1 by default; set when a service starts, for its whole
process (one interpreter, one GIL).
"""

from __future__ import annotations

import math
import sys

from zorgtafel.kernel.config import Settings

DEFAULT_MS = "1"
_MAX_MS = 100.0  # beyond this a busy thread would starve the gRPC workers for a visible time


def switch_interval_s(settings: Settings) -> float:
    """The configured interval in seconds; ``ValueError`` naming the variable when it is not a
    number of milliseconds above 0 and at most 100."""
    text = settings.setting("gil_switch_interval_ms", DEFAULT_MS) or DEFAULT_MS
    try:
        ms = float(text)
    except ValueError:
        ms = math.nan
    if not 0 < ms <= _MAX_MS:  # also false for NaN
        raise ValueError(
            f"ZORGTAFEL_GIL_SWITCH_INTERVAL_MS must be milliseconds above 0 and at most "
            f"{_MAX_MS:g}, not {text[:20]!r}"
        )
    return ms / 1000


def apply(settings: Settings) -> None:
    sys.setswitchinterval(switch_interval_s(settings))
