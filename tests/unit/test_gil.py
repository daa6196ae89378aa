"""A service's GIL switch interval (``ZORGTAFEL_GIL_SWITCH_INTERVAL_MS``): 1 ms unless set, a
bad value refused at start with the variable named."""

from __future__ import annotations

import sys

import pytest

from zorgtafel.kernel import gil
from zorgtafel.kernel.bootstrap import bootstrap
from zorgtafel.kernel.registry import definition
from zorgtafel.testing import settings_for


def test_one_millisecond_unless_set(tmp_path):
    assert gil.switch_interval_s(settings_for("casework", tmp_path, "127.0.0.1:1")) == 0.001


def test_a_set_interval_is_taken_in_milliseconds(tmp_path):
    settings = settings_for("casework", tmp_path, "127.0.0.1:1", gil_switch_interval_ms="0.5")
    assert gil.switch_interval_s(settings) == 0.0005


@pytest.mark.parametrize("value", ["0", "-1", "abc", "nan", "inf", "101", "1e9"])
def test_a_bad_interval_is_refused_by_name(tmp_path, value):
    settings = settings_for("casework", tmp_path, "127.0.0.1:1", gil_switch_interval_ms=value)
    with pytest.raises(ValueError, match="ZORGTAFEL_GIL_SWITCH_INTERVAL_MS"):
        gil.switch_interval_s(settings)


def test_bootstrap_refuses_a_bad_interval_before_it_builds_anything(tmp_path):
    # No broker listens at 127.0.0.1:1 and no database is asked: the check comes first.
    settings = settings_for("casework", tmp_path, "127.0.0.1:1", gil_switch_interval_ms="0")
    with pytest.raises(ValueError, match="ZORGTAFEL_GIL_SWITCH_INTERVAL_MS"):
        bootstrap(settings, definition("casework"))


def test_apply_sets_the_interval_of_the_process(tmp_path):
    before = sys.getswitchinterval()
    try:
        gil.apply(settings_for("casework", tmp_path, "127.0.0.1:1", gil_switch_interval_ms="2"))
        assert sys.getswitchinterval() == pytest.approx(0.002)
    finally:
        sys.setswitchinterval(before)
