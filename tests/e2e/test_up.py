"""`make up` as a user meets it: five processes (broker + four services), every party of the
covenant listed over gRPC, /readyz 200 on each service, Ctrl-C leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from services.governance.adapters.seed import covenant_parties
from zorgtafel.generated.governance.v1 import governance_pb2 as pb
from zorgtafel.generated.governance.v1 import governance_pb2_grpc as pb_grpc
from zorgtafel.kernel.broker import free_port
from zorgtafel.kernel.config import SERVICES
from zorgtafel.testing import Keys

pytestmark = [pytest.mark.e2e, pytest.mark.integration]


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = (task / "children").read_text().split()
            except OSError:
                continue
            for k in map(int, kids):
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(")")[-1].split()[0] != "Z"


def start_up(tmp_path: Path) -> tuple[subprocess.Popen[str], dict[str, tuple[int, int]], list[str]]:
    """`zorgtafel up` on free ports, read until it says it is ready."""
    env = dict(os.environ)
    ports = {}
    for s in SERVICES:
        ports[s] = (free_port(), free_port())
        env[f"ZORGTAFEL_{s.upper()}_GRPC_PORT"] = str(ports[s][0])
        env[f"ZORGTAFEL_{s.upper()}_HTTP_PORT"] = str(ports[s][1])
    env["ZORGTAFEL_CONSOLE_PORT"] = str(free_port())
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "zorgtafel.cli",
            "up",
            "--data-dir",
            str(tmp_path),
            "--broker-port",
            str(free_port()),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        if line.startswith("ready."):
            break
    return proc, ports, output


def test_up_starts_the_suite_lists_the_parties_and_stops_cleanly(tmp_path):
    proc, ports, output = start_up(tmp_path)
    try:
        assert any(line.startswith("ready.") for line in output), "".join(output)
        children = descendants(proc.pid)
        assert len(children) >= 5, f"expected broker + 4 services, got {children}"

        for s in SERVICES:
            with urllib.request.urlopen(f"http://127.0.0.1:{ports[s][1]}/readyz", timeout=5) as r:
                assert r.status == 200 and json.loads(r.read())["ready"] is True

        import grpc

        keys = Keys(tmp_path)
        stub = pb_grpc.GovernanceServiceStub(
            grpc.insecure_channel(f"127.0.0.1:{ports['governance'][0]}")
        )
        reply = stub.ListParties(
            pb.ListPartiesRequest(),
            metadata=keys.metadata("00000099000000000001", "council_delegate"),
            timeout=10,
        )
        assert {p.party_id for p in reply.parties} == {p["party_id"] for p in covenant_parties()}

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
        time.sleep(0.5)
        assert [c for c in children if alive(c)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_killed_up_leaves_no_broker_service_or_console_behind(tmp_path):
    """Killed outright (SIGKILL, an out-of-memory kill), `zorgtafel up` cannot stop its
    children; they watch their starter and stop on their own, so the ports are free for the
    next `make up`."""
    proc, _ports, output = start_up(tmp_path)
    children: set[int] = set()
    try:
        assert any(line.startswith("ready.") for line in output), "".join(output)
        children = descendants(proc.pid)
        assert len(children) >= 6, f"expected broker, 4 services and the console: {children}"
        proc.kill()
        proc.wait()
        # A graceful stop each (the services drain and close their clients): a fact to wait on.
        deadline = time.monotonic() + 60
        while (left := [c for c in children if alive(c)]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert left == [], f"still running after their starter was killed: {left}"
    finally:
        for c in children:
            if alive(c):
                os.kill(c, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
