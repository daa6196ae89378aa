"""A budget of refused calls per person, so that refusals cannot be used to fill the access log.

Every refused call is written to the service's access log, durably, before the refusal leaves
(attempts count, NEN 7513). A person who keeps calling what they may not, or a partner system
caught in a loop, could so fill the log (and the privacy officers' review of it) and keep the
service busy deciding. Each (party, person) may be refused ``burst`` times in a row and
``per_minute`` times a minute after that; past that budget every call of theirs is answered
RESOURCE_EXHAUSTED, with the time to wait, until the budget has refilled: before any policy
runs or any record is written. The first call turned away in a run is logged once
(``refusals_limited``: party, the pseudonymous person id, the method), not each of them.

Keyed by who the verified token says the caller is, never by what a request claims. A process
keeps its own budgets (replicas each keep theirs), in memory: a restart forgets them, which
only gives a flooding caller one more burst.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from zorgtafel.kernel.config import Settings

DEFAULT_BURST = "60"
DEFAULT_PER_MINUTE = "30"
MAX_SETTING = 1_000_000
# Enough for every person of the 32 parties several times over; past it the budgets with the
# most refusals left are forgotten first.
MAX_PEOPLE = 10_000


@dataclass
class _Budget:
    refusals_left: float
    at: float  # when refusals_left was last brought up to date
    turned_away: bool = False  # a call was turned away since the budget last ran out


class RefusalBudget:
    """Token buckets of refusals, one per (party, person); thread-safe (gRPC's worker pool)."""

    def __init__(
        self,
        burst: int,
        per_minute: float,
        clock: Callable[[], float] = time.monotonic,
        max_people: int = MAX_PEOPLE,
    ) -> None:
        if burst < 1 or per_minute <= 0:
            raise ValueError("a refusal budget needs a burst of at least 1 and a refill above 0")
        self.burst = burst
        self._rate = per_minute / 60.0  # refusals given back per second
        self._clock = clock
        self._max_people = max_people
        self._budgets: dict[tuple[str, str], _Budget] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> RefusalBudget | None:
        """``ZORGTAFEL_REFUSAL_BURST`` (0: no budget) and ``ZORGTAFEL_REFUSALS_PER_MINUTE``;
        ``ValueError`` naming the variable when one is not a number in range."""
        burst = settings.number("refusal_burst", DEFAULT_BURST, 0, MAX_SETTING, whole=True)
        if burst == 0:
            return None
        per_minute = settings.number("refusals_per_minute", DEFAULT_PER_MINUTE, 0, MAX_SETTING)
        if per_minute == 0:
            raise ValueError(
                "ZORGTAFEL_REFUSALS_PER_MINUTE must be above 0 (a burst that never refills)"
            )
        return cls(int(burst), per_minute)

    def check(self, party: str, person: str) -> tuple[float, bool]:
        """(0, False) when this person's call may go on; else (the seconds until one more
        refusal fits their budget, whether this is the first call turned away since it ran
        out): the call is to be turned away."""
        with self._lock:
            budget = self._budgets.get((party, person))
            if budget is None:
                return 0.0, False
            self._refill(budget)
            if budget.refusals_left >= 1:
                budget.turned_away = False
                return 0.0, False
            first = not budget.turned_away
            budget.turned_away = True
            return (1 - budget.refusals_left) / self._rate, first

    def spend(self, party: str, person: str) -> None:
        """A call of this person was refused: one less in their budget. Calls that passed
        ``check`` together may take it below zero; never further than one burst, so the wait
        stays bounded."""
        with self._lock:
            key = (party, person)
            budget = self._budgets.get(key)
            if budget is None:
                if len(self._budgets) >= self._max_people:
                    self._forget_fullest()
                budget = self._budgets[key] = _Budget(float(self.burst), self._clock())
            else:
                self._refill(budget)
            budget.refusals_left = max(budget.refusals_left - 1, -float(self.burst))

    def _refill(self, budget: _Budget) -> None:
        now = self._clock()
        budget.refusals_left = min(
            float(self.burst), budget.refusals_left + (now - budget.at) * self._rate
        )
        budget.at = now

    def _forget_fullest(self) -> None:
        """Make room by forgetting the budgets with the most refusals left: those refilled to
        the burst (they hold nothing a new one would not), or else the tenth closest to it, so
        that a crowd of people refused once cannot make it forget the one who floods."""
        for budget in self._budgets.values():
            self._refill(budget)
        full = [k for k, b in self._budgets.items() if b.refusals_left >= self.burst]
        if not full:
            fullest = sorted(self._budgets.items(), key=lambda kb: -kb[1].refusals_left)
            full = [k for k, _ in fullest[: max(1, len(fullest) // 10)]]
        for key in full:
            del self._budgets[key]
