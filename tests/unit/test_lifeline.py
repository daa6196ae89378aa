"""A process of `zorgtafel up` stops, gracefully, once its starter is gone (the e2e side:
tests/e2e/test_up.py kills `zorgtafel up` outright and waits for every child to end)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from zorgtafel.kernel import lifeline

CHILD = """
import signal, sys, time
from zorgtafel.kernel.lifeline import watch_parent

def graceful(signum, frame):
    print("stopping gracefully", flush=True)
    sys.exit(0)

signal.signal(signal.SIGTERM, graceful)
watch_parent(interval_s=0.05)
time.sleep(60)
print("still running", flush=True)
"""


def test_a_process_whose_starter_is_gone_stops_itself_with_sigterm():
    # The starter named in the environment is not this child's parent: as after the starter
    # died and the child was reparented.
    env = {**os.environ, lifeline.PARENT_ENV: str(os.getpid() + 1_000_000)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=50
    )
    said = done.stdout + done.stderr
    assert done.returncode == 0, said
    assert "starter_gone_stopping" in said and said.rstrip().endswith("stopping gracefully")


def test_nothing_is_watched_where_no_starter_is_named(monkeypatch):
    monkeypatch.delenv(lifeline.PARENT_ENV, raising=False)
    assert lifeline.watch_parent() is None
    monkeypatch.setenv(lifeline.PARENT_ENV, "not a pid")
    assert lifeline.watch_parent() is None


def test_the_starter_names_itself():
    assert lifeline.parent_env() == {lifeline.PARENT_ENV: str(os.getpid())}


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="no setpriv (util-linux) here")
def test_the_broker_is_killed_with_its_starter_by_the_kernel():
    command = lifeline.broker_command(["tansu", "broker"])
    assert command[1:] == ["--pdeathsig", "TERM", "--", "tansu", "broker"]
    # The broker keeps its own process id (setpriv execs it): pause and resume reach it.
    proc = subprocess.Popen(
        lifeline.broker_command([sys.executable, "-c", "import os; print(os.getpid())"]),
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = proc.communicate(timeout=30)
    assert (proc.returncode, out.strip()) == (0, str(proc.pid))
