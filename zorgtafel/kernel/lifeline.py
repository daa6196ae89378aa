"""A process started by ``zorgtafel up`` (or the tests' suites) stops when its starter is gone.

The starter stops its children on Ctrl-C or SIGTERM; killed outright (SIGKILL, the out-of-memory
killer) it cannot, and its broker, services and console went on holding their ports, so the next
``make up`` could not start. The starter names itself in ``ZORGTAFEL_STOP_WITH_PARENT``; the
child then watches its parent process id and, when it changes (the parent died and the child was
reparented), sends itself SIGTERM: the same graceful stop as Ctrl-C. Production (Kubernetes) sets
nothing and nothing is watched.

Polling, not ``PR_SET_PDEATHSIG``: that signal fires when the parent *thread* that started the
child ends, and a suite may be started from a thread that ends long before the suite should.
The broker (a binary of its own) gets ``setpriv --pdeathsig`` instead: its starter is the main
thread of ``zorgtafel up`` or of a test process."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time

from zorgtafel.kernel.logging import get_logger

log = get_logger(__name__)

PARENT_ENV = "ZORGTAFEL_STOP_WITH_PARENT"
# How often the parent is looked for: a second is nothing to the machine and soon enough for a
# developer who restarts `make up` after killing the last one.
INTERVAL_S = 1.0


def parent_env() -> dict[str, str]:
    """What a starter puts in its children's environment to be watched by them."""
    return {PARENT_ENV: str(os.getpid())}


def watch_parent(interval_s: float = INTERVAL_S) -> threading.Thread | None:
    """Stop this process (SIGTERM to itself) once the parent named in the environment is gone;
    ``None`` when no parent is named."""
    named = os.environ.get(PARENT_ENV, "")
    if not named.isdigit():
        return None
    parent = int(named)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        # Said once, so a process that stops "for no reason" (a copied environment naming a
        # parent it does not have) says why.
        log.warning("starter_gone_stopping", starter_pid=parent)
        os.kill(os.getpid(), signal.SIGTERM)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread


def broker_command(command: list[str]) -> list[str]:
    """The broker's command, killed with its starter where ``setpriv`` can ask the kernel to
    (Linux, util-linux); elsewhere as it is."""
    setpriv = shutil.which("setpriv")
    if setpriv is None or not sys.platform.startswith("linux"):
        return command
    return [setpriv, "--pdeathsig", "TERM", "--", *command]
