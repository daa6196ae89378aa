"""The budget of refused calls per person (zorgtafel/kernel/refusals.py), on a clock of the
test's own: how many refusals a person gets, when one comes back, whose budget is whose, and
that a crowd of people cannot make it forget the one who is flooding."""

from __future__ import annotations

import threading

import pytest

from zorgtafel.kernel.config import Settings
from zorgtafel.kernel.refusals import RefusalBudget


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def budget(burst: int = 3, per_minute: float = 6, **kw) -> tuple[RefusalBudget, Clock]:
    clock = Clock()
    return RefusalBudget(burst, per_minute, clock=clock, **kw), clock


def test_a_person_is_answered_until_refused_burst_times_then_turned_away_with_the_wait():
    b, _ = budget(burst=3, per_minute=6)  # one refusal back every 10 s
    for _ in range(3):
        assert b.check("P", "x") == (0.0, False)
        b.spend("P", "x")
    wait, first = b.check("P", "x")
    assert first and wait == pytest.approx(10.0)
    wait, first = b.check("P", "x")
    assert not first and wait == pytest.approx(10.0), "said once per run"


def test_the_budget_gives_one_refusal_back_at_the_rate_and_never_more_than_the_burst():
    b, clock = budget(burst=3, per_minute=6)
    for _ in range(3):
        b.spend("P", "x")
    clock.now += 9.9
    assert b.check("P", "x")[0] == pytest.approx(0.1)
    clock.now += 0.1
    assert b.check("P", "x") == (0.0, False)
    b.spend("P", "x")
    wait, first = b.check("P", "x")
    assert first and wait == pytest.approx(10.0), "a new run is said again"
    clock.now += 3600  # an hour of quiet fills the budget to the burst, not beyond
    for _ in range(3):
        assert b.check("P", "x") == (0.0, False)
        b.spend("P", "x")
    assert b.check("P", "x")[0] > 0


def test_budgets_are_per_party_and_person():
    b, _ = budget(burst=1)
    b.spend("P", "x")
    assert b.check("P", "x")[0] > 0
    assert b.check("P", "y") == (0.0, False)
    assert b.check("Q", "x") == (0.0, False)


def test_refusals_decided_together_take_the_budget_below_zero_but_the_wait_stays_bounded():
    b, _ = budget(burst=5, per_minute=60)
    threads = [
        threading.Thread(target=lambda: [b.spend("P", "x") for _ in range(100)]) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wait, _ = b.check("P", "x")
    assert wait == pytest.approx(6.0), "at most one burst in debt: (1 + 5) s at 1/s"


def test_a_crowd_of_people_does_not_make_it_forget_the_one_who_floods():
    b, clock = budget(burst=2, per_minute=6, max_people=10)
    b.spend("P", "flood")
    b.spend("P", "flood")
    for i in range(50):  # each refused once, long ago: their budgets refill and are dropped
        clock.now += 0.1
        b.spend("P", f"once-{i}")
    assert b.check("P", "flood")[0] > 0
    assert len(b._budgets) <= 10


def test_when_no_budget_is_full_the_ones_with_the_most_refusals_left_are_forgotten_first():
    b, clock = budget(burst=3, per_minute=0.001, max_people=10)
    for i in range(10):
        clock.now += 1
        for _ in range(1 if i else 3):  # p0 refused three times (none left), the others once
            b.spend("P", f"p{i}")
    b.spend("P", "new")
    assert b.check("P", "p0")[0] > 0, "the one who used the budget up is remembered"
    assert len(b._budgets) <= 10


def settings(**extra: str) -> Settings:
    return Settings(service="intake", extra=extra)


def test_settings_give_the_default_budget_zero_turns_it_off_and_a_wrong_value_is_named():
    default = RefusalBudget.from_settings(settings())
    assert default is not None and default.burst == 60
    assert RefusalBudget.from_settings(settings(refusal_burst="0")) is None
    assert RefusalBudget.from_settings(settings(refusal_burst="5", refusals_per_minute="0.5"))
    for extra, name in (
        ({"refusal_burst": "many"}, "ZORGTAFEL_REFUSAL_BURST"),
        ({"refusal_burst": "2.5"}, "ZORGTAFEL_REFUSAL_BURST"),
        ({"refusal_burst": "-1"}, "ZORGTAFEL_REFUSAL_BURST"),
        ({"refusal_burst": "nan"}, "ZORGTAFEL_REFUSAL_BURST"),
        ({"refusals_per_minute": "0"}, "ZORGTAFEL_REFUSALS_PER_MINUTE"),
        ({"refusals_per_minute": "inf"}, "ZORGTAFEL_REFUSALS_PER_MINUTE"),
    ):
        with pytest.raises(ValueError, match=name):
            RefusalBudget.from_settings(settings(**extra))
