"""The console in a real Chromium (Playwright for Python driving Debian's ``chromium``)
against the embedded suite: the broker, the four services as processes on SQLite, and the
console process, as ``zorgtafel up`` starts them. axe-core (from npm, installed into a cache
directory on first use) checks every page; every page is saved as a screenshot under
``var/test-output/console/``."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from zorgtafel.kernel.broker import LocalBroker, free_port
from zorgtafel.kernel.config import SERVICES
from zorgtafel.launcher import Suite
from zorgtafel.testing import Keys, wait_for

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = ROOT / "var" / "test-output" / "console"
AXE_CACHE = ROOT / "var" / "cache" / "axe"


def axe_source() -> str:
    """axe-core 4 from npm, installed once into a cache directory (nothing vendored)."""
    js = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
    if js.exists():
        return js.read_text()
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install axe-core for the console's accessibility checks")
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    # Test processes running side by side (pytest -n) install it once: the first holds the lock.
    with open(AXE_CACHE / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if js.exists():
            return js.read_text()
        subprocess.run(
            [
                npm,
                "install",
                "--silent",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_CACHE),
                "axe-core@4",
            ],
            check=True,
            timeout=300,
        )
    return js.read_text()


def wait_for_parties(data_dir: Path) -> None:
    """Ready means one party is known: wait for the fact the walk needs, every party of the
    covenant in the projections of intake, casework and disclosure."""
    from services.governance.adapters.seed import covenant_parties

    want = len(covenant_parties())
    engines = {
        s: create_engine(f"sqlite:///{data_dir / (s + '.db')}")
        for s in ("intake", "casework", "disclosure")
    }

    def projected() -> bool:
        for engine in engines.values():
            with engine.connect() as conn:
                if conn.execute(text("SELECT count(*) FROM party_directory")).scalar_one() < want:
                    return False
        return True

    try:
        wait_for(projected, timeout=120, interval=0.5)
    finally:
        for engine in engines.values():
            engine.dispose()


@pytest.fixture(scope="package")
def suite(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("console-suite")
    keys = Keys(data_dir)
    broker = LocalBroker(free_port(), log_file=data_dir / "broker.log").start()
    ports = {s: (free_port(), free_port()) for s in SERVICES}
    s = Suite(
        data_dir,
        ports=ports,
        broker=broker,
        # A loaded two-core machine compiles a policy on first use more slowly than
        # production's budget; the walk is about the pages, not that budget.
        extra_env={"ZORGTAFEL_POLICY_TIMEOUT_MS": "3000"},
    )
    try:
        s.start(timeout=120)
        wait_for_parties(data_dir)
        s.spawn_console(free_port())
        s.wait_ready("console", timeout=60)
        yield s, keys
    finally:
        s.stop()
        broker.stop()
        OUTPUT.mkdir(parents=True, exist_ok=True)
        for name in ("console", *SERVICES):  # kept beside the screenshots for a failed run
            log = data_dir / f"{name}.log"
            if log.exists():
                shutil.copy(log, OUTPUT / f"{name}.log")


@pytest.fixture(scope="package")
def console_url(suite):
    s, _ = suite
    return f"http://127.0.0.1:{s.envs['console']['ZORGTAFEL_CONSOLE_PORT']}"


@pytest.fixture(scope="package")
def endpoints(suite):
    s, _ = suite
    return {svc: f"127.0.0.1:{s.envs[svc]['ZORGTAFEL_GRPC_PORT']}" for svc in SERVICES}


@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        # `make test` installs chromium and requires the browser walk: there it fails.
        if os.environ.get("ZORGTAFEL_REQUIRE_TEST_TOOLS"):
            pytest.fail("Debian's chromium is required here and not installed (make chromium)")
        pytest.skip("Debian's chromium is not installed (`make test` installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield b
        b.close()


class Pages:
    """Checks every page the walk meets: axe-core (0 serious or critical violations) and a
    screenshot named after the step."""

    def __init__(self, axe: str) -> None:
        self.axe = axe
        self.count = 0
        self.violations: dict[str, list[str]] = {}
        OUTPUT.mkdir(parents=True, exist_ok=True)

    def check(self, page, name: str) -> None:  # noqa: ANN001 - a Playwright page
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        page.screenshot(path=str(OUTPUT / f"{self.count:02d}-{slug}.png"), full_page=True)
        # evaluate() runs through the DevTools protocol, so the page's CSP (no inline script)
        # stays in force while axe is injected.
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self.axe)
        result = page.evaluate(
            "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
            " return r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)})); }"
        )
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        if bad:
            self.violations[name] = [json.dumps(v) for v in bad]
        assert not bad, f"axe on {name}: {bad}"


@pytest.fixture(scope="package")
def pages():
    return Pages(axe_source())


@pytest.fixture
def served_console(tmp_path):
    """Serves the console app from this process, no suite: called with the stand-ins for the
    services (what the test is not about), it answers the console's address; each server is
    shut down after the test."""
    from tests.console.test_app import dev_console

    served: list[tuple[Any, threading.Thread]] = []

    def serve(services: SimpleNamespace) -> str:
        server = make_server("127.0.0.1", 0, dev_console(tmp_path, services), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        served.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    yield serve
    for server, thread in served:
        server.shutdown()
        thread.join()


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as r:  # noqa: S310 - loopback test URL
        return json.loads(r.read())
