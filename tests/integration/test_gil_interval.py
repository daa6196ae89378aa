"""A started service runs its process with the configured GIL switch interval
(``ZORGTAFEL_GIL_SWITCH_INTERVAL_MS``, zorgtafel/kernel/gil.py)."""

from __future__ import annotations

import sys

import pytest

from zorgtafel.testing import running_service

pytestmark = pytest.mark.integration


def test_a_started_service_sets_its_process_switch_interval(broker, data_dir):
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        with running_service("governance", data_dir, broker.bootstrap, gil_switch_interval_ms=3):
            assert sys.getswitchinterval() == pytest.approx(0.003)
    finally:
        sys.setswitchinterval(before)
