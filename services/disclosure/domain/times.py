"""Times as the policy, the access log's hash chain and the stored usage terms write them:
RFC 3339 in UTC with microseconds and ``Z``, always with a four-digit year, so that every
stored time reads back (``strftime("%Y")`` writes year 1 as ``1``, which nothing parses)."""

from __future__ import annotations

from datetime import datetime, timezone


def rfc3339(t: datetime) -> str:
    return t.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(s: str) -> datetime:
    t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)
