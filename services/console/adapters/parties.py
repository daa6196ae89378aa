"""Whether the signed-in person's party is still served, checked at every request.

A party excluded or withdrawn (art. 21, 23.2) loses access everywhere at once: the services
refuse its calls from their projections of governance's events (``zorgtafel.kernel.parties``).
The console is a partner system of its party (ADR 0009), with no access to the suite's events,
so it has no such projection: it asks governance (``GetParty``, with the person's token) and
keeps the answer for ``FRESH_S`` per party, so a page costs no call and a party no longer
served loses its console sessions within ``FRESH_S``.

Fail closed: governance refusing the party (its authorisation policy serves active parties
only, an applicant reads its own record) or not knowing it is as good as "not active"; when
governance does not answer, what the console knew holds for ``STALE_S``, and after that the
status is unknown and no page is served until governance answers again."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from services.console.adapters.calls import ServiceError

ACTIVE = "active"
# Governance's answers that settle the question: it knows the party not, or serves it no more.
_NOT_SERVED = {"NOT_FOUND": "unknown", "PERMISSION_DENIED": "not served"}


class PartyStatuses:
    """Per process: party -> (status, when governance said it)."""

    FRESH_S = 30.0  # asked again after this long
    STALE_S = 120.0  # an answer older than this, with governance silent, is no answer

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._known: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._asking: dict[str, threading.Lock] = {}

    def status(self, party: str, ask: Callable[[], str]) -> str | None:
        """The party's status (``ACTIVE`` or another word), or None when it cannot be known
        now. ``ask`` calls governance; UNAUTHENTICATED is raised (the session ends)."""
        known = self._fresh(party, self.FRESH_S)
        if known is not None:
            return known
        with self._lock:
            asking = self._asking.setdefault(party, threading.Lock())
        # One request asks governance for a party at a time; the others wait for its answer.
        with asking:
            known = self._fresh(party, self.FRESH_S)
            if known is not None:
                return known
            try:
                status = ask()
            except ServiceError as err:
                if err.signed_out:
                    raise
                if err.code not in _NOT_SERVED:
                    # Governance did not answer (unavailable, the person's budget of refusals
                    # spent, ...): what it said lately still holds, then nothing does.
                    return self._fresh(party, self.STALE_S)
                status = _NOT_SERVED[err.code]
            with self._lock:
                self._known[party] = (status, self._clock())
            return status

    def _fresh(self, party: str, within: float) -> str | None:
        with self._lock:
            known = self._known.get(party)
        if known is None or self._clock() - known[1] >= within:
            return None
        return known[0]
