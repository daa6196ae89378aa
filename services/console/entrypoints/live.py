"""Live updates of the case page: server-sent events fed by casework's ``WatchCase`` with the
person's token (the service sends only the events the caller's part covers, re-checks the
party for every batch and logs every message). The stream carries the event's sequence and
kind (a code) only; the page's script then reloads the page's parts as ``GetCase`` shows
them, so the browser learns nothing the case page would not show.

Bounded: at most ``MAX_STREAMS`` streams per console process (503 beyond), each for
``LIFETIME_S`` at most (the browser then reconnects with ``Last-Event-ID``, and the case is
looked at again), a keep-alive every ``HEARTBEAT_S`` so a browser that went away is noticed
and its gRPC stream cancelled. The server is threaded (a thread per connection), so a held
stream does not keep other requests waiting."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timezone

from flask import Blueprint, Response, request
from flask.typing import ResponseReturnValue

from services.console.adapters.calls import ServiceError
from services.console.adapters.casework import Watch
from services.console.entrypoints.cases import visible_case
from services.console.entrypoints.common import caller, checked_id, services

bp = Blueprint("live", __name__)

MAX_STREAMS = 16
LIFETIME_S = 300.0
HEARTBEAT_S = 15.0
RETRY_MS = 5000
_slots = threading.BoundedSemaphore(MAX_STREAMS)
_NUMBER = re.compile(r"^\d{1,18}$")


def _number(value: str | None) -> int:
    value = (value or "").strip()
    return int(value) if _NUMBER.match(value) else 0


def _moment(ms: int) -> datetime | None:
    """The page's time in milliseconds as a naive UTC time; none (every entry counts) for 0 or
    a number no clock reaches (a typed-in ``since`` is the caller's mistake, never a 500)."""
    if not ms:
        return None
    try:
        return datetime.fromtimestamp(ms / 1000, timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


class _Stream:
    """The response body: ends the gRPC stream and frees its slot exactly once, whether the
    body ran to its end, the browser went away (the server closes it), or it never started."""

    def __init__(self, watch: Watch, after: int, since: datetime | None) -> None:
        self._watch = watch
        self._after = after
        self._since = since
        self._closed = threading.Lock()
        self._open = True

    def close(self) -> None:
        with self._closed:
            if not self._open:
                return
            self._open = False
        try:
            self._watch.close()
        finally:
            _slots.release()

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield f"retry: {RETRY_MS}\n\n".encode()
            until = time.monotonic() + LIFETIME_S
            for event in self._watch.events(until, HEARTBEAT_S):
                if event is None:
                    yield b": keep-alive\n\n"
                elif (
                    not self._after
                    and self._since is not None
                    and event.occurred_at is not None
                    and event.occurred_at <= self._since
                ):
                    # Already in the page: only the position, for a reconnection.
                    yield f"id: {event.sequence}\n\n".encode()
                else:
                    data = json.dumps({"kind": event.kind})
                    yield f"id: {event.sequence}\nevent: change\ndata: {data}\n\n".encode()
        except ServiceError:
            # The service stopped following (the party excluded, the case gone): the page
            # stops listening; nothing of the reason is passed on.
            yield b"event: end\ndata: {}\n\n"
        finally:
            self.close()


@bp.get("/cases/<case_id>/events")
def events(case_id: str) -> ResponseReturnValue:
    case_id = checked_id(case_id)
    visible_case(case_id)  # as for a number never given out: 404, before any stream
    after = _number(request.headers.get("Last-Event-ID"))
    since = _moment(_number(request.args.get("since")))
    if not _slots.acquire(blocking=False):
        return Response("", 503, {"Retry-After": "30"})
    try:
        watch = services().casework.watch(caller(), case_id, after, LIFETIME_S)
    except BaseException:
        _slots.release()
        raise
    return Response(
        _Stream(watch, after, since),
        mimetype="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
