"""A service that does not become ready is reported with the reason at hand: whether it
exited and the end of its log (a test's temporary directory is gone when a CI log is read)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from zorgtafel.kernel.broker import free_port
from zorgtafel.launcher import Suite


def test_a_service_that_exits_at_start_is_reported_with_its_status_and_the_end_of_its_log(
    tmp_path,
):
    suite = Suite(tmp_path)
    log = tmp_path / "disclosure.log"
    log.write_text("\n".join(f"line {i}" for i in range(40)) + "\nport_in_use port=1234\n")
    proc = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    proc.wait()
    suite.procs["disclosure"] = proc
    suite.envs["disclosure"] = {"ZORGTAFEL_HTTP_PORT": str(free_port())}
    with pytest.raises(RuntimeError) as err:
        suite.wait_ready("disclosure", timeout=5)
    message = str(err.value)
    assert "exited with status 3" in message
    assert message.rstrip().endswith("port_in_use port=1234")
    assert "line 39" in message and "line 10" not in message  # the end only
