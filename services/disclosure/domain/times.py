"""Times as the policy, the access log's hash chain and the stored usage terms write them:
RFC 3339 in UTC with microseconds and ``Z``, always with a four-digit year, so that every
stored time reads back (``strftime("%Y")`` writes year 1 as ``1``, which nothing parses)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_INT64 = (-(2**63), 2**63 - 1)


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(s: str) -> datetime:
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def epoch_ns(t: datetime) -> int | None:
    """``t`` in nanoseconds since the epoch, as the policies' ``lib.ns`` reads ``rfc3339(t)``
    (microseconds, so exact), or None where ``lib.ns`` has no answer: outside a signed 64-bit
    count (before 1677-09-21, after 2262-04-11), where the policy then parses the text itself."""
    ns = (t.astimezone(timezone.utc) - _EPOCH) // timedelta(microseconds=1) * 1000
    return ns if _INT64[0] <= ns <= _INT64[1] else None
