"""Long-lived server streams (casework's ``WatchCase`` with ``follow``): bounded, on threads of
their own, and never longer than the token they were opened with.

gRPC's synchronous server runs a stream on one of its pool's threads for as long as the stream
is open. Sharing the pool of ``ZORGTAFEL_GRPC_MAX_WORKERS`` threads with every other call, a
console's sixteen open case pages or a partner's sixteen watches left no thread for anyone
else: every other call of every party waited. So the pool has ``ZORGTAFEL_GRPC_MAX_STREAMS``
threads more than the calls need, and at most that many streams are open at once, at most
``ZORGTAFEL_GRPC_MAX_STREAMS_PER_PARTY`` of them one party's (so that no party's console or
systems can take the live updates of all others) and ``ZORGTAFEL_GRPC_MAX_STREAMS_PER_PERSON``
one person's (party and token ``sub``); beyond, RESOURCE_EXHAUSTED with the time to wait.

A token lives at most an hour (``ZORGTAFEL_JWT_MAX_LIFETIME_S``) and is the only thing that
ends a person's access when they leave their organisation; a stream opened with it ends when it
expires (UNAUTHENTICATED: call again with a fresh one), and after ``MAX_STREAM_S`` in any case
(the client resumes where it was: ``after_sequence``), so each stream's caller is looked at
again now and then."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from zorgtafel.kernel.auth import Principal
from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.errors import TooManyStreams, Unauthenticated

DEFAULT_MAX_STREAMS = "32"
DEFAULT_MAX_PER_PARTY = "16"  # as many as one console keeps open (its live pages)
DEFAULT_MAX_PER_PERSON = "4"
MAX_STREAM_S = 300.0  # as the console's live page: then the caller is looked at again


class StreamSlots:
    """How many streams are open, in all, per party and per (party, person); thread-safe."""

    def __init__(self, total: int, per_person: int, per_party: int | None = None) -> None:
        per_party = total if per_party is None else per_party
        if min(total, per_person, per_party) < 1:
            raise ValueError("stream slots need at least one stream in all, per party and person")
        self.total = total
        self.per_party = per_party
        self.per_person = per_person
        self._open: dict[tuple[str, str], int] = {}
        self._parties: dict[str, int] = {}
        self._count = 0
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> StreamSlots:
        def whole(name: str, default: str) -> int:
            return int(settings.number(name, default, 1, 10_000, whole=True))

        return cls(
            whole("grpc_max_streams", DEFAULT_MAX_STREAMS),
            whole("grpc_max_streams_per_person", DEFAULT_MAX_PER_PERSON),
            whole("grpc_max_streams_per_party", DEFAULT_MAX_PER_PARTY),
        )

    @contextmanager
    def held(self, party: str, person: str) -> Iterator[None]:
        """One slot for the stream's whole life; ``TooManyStreams`` when none is free."""
        key = (party, person)
        with self._lock:
            if self._count >= self.total:
                raise TooManyStreams("all of this service's")
            if self._parties.get(party, 0) >= self.per_party:
                raise TooManyStreams("this party's share")
            if self._open.get(key, 0) >= self.per_person:
                raise TooManyStreams("this person's share")
            self._count += 1
            _add(self._parties, party, 1)
            _add(self._open, key, 1)
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1
                _add(self._parties, party, -1)
                _add(self._open, key, -1)

    def open(self) -> int:
        with self._lock:
            return self._count


class StreamLifetime:
    """When a stream opened by ``principal`` must end: its token's expiry (UNAUTHENTICATED) or
    ``max_s`` after it opened (a plain end)."""

    def __init__(
        self,
        principal: Principal,
        max_s: float = MAX_STREAM_S,
        wall: Callable[[], float] = time.time,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._expires_at = principal.expires_at or math.inf
        self._wall = wall
        self._clock = clock
        self._until = clock() + max_s

    def check_token(self) -> None:
        """Before anything more leaves: ``Unauthenticated`` once the token has expired."""
        if self._wall() >= self._expires_at:
            raise Unauthenticated(
                "the token expired while the stream was open: call again with a fresh token"
            )

    def over(self) -> bool:
        """True when the stream is to end now (after ``check_token``, which raises first when
        it is the token that ended)."""
        self.check_token()
        return self._clock() >= self._until


def _add(counts: dict[Any, int], key: Any, n: int) -> None:
    """Count ``n`` more (or fewer) for ``key``; a count of 0 is no entry (no memory per caller
    once their streams are closed)."""
    left = counts.get(key, 0) + n
    if left:
        counts[key] = left
    else:
        del counts[key]
