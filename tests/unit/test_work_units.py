"""`make test` (``-n 2 --dist loadfile``, tests/conftest.py) hands the console's package to one
process as one unit: its package-scoped fixtures (the suite of processes, the browser) are set
up once in the run, not once in each process and again whenever a process comes back to the
package; every other file is a unit of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PACKAGE_FIXTURE = """
import os
import pytest

@pytest.fixture(scope="package")
def suite(tmp_path_factory):
    with open(os.environ["SETUPS"], "a") as f:
        f.write("{where} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
    yield
"""

TESTS = """
import os

def test_{n}_{i}(suite):
    with open(os.environ["RAN"], "a") as f:
        f.write("{where} " + os.environ["PYTEST_XDIST_WORKER"] + "\\n")
"""


def write_tree(root: Path) -> None:
    root.mkdir()
    (root / "pytest.ini").write_text("[pytest]\n")
    for where, names in (("tests/console", "abcd"), ("tests/other", "efgh")):
        folder = root / where
        folder.mkdir(parents=True)
        (folder / "conftest.py").write_text(PACKAGE_FIXTURE.replace("{where}", where))
        for n in names:
            # file names unique across folders: the tree has no __init__.py (rootdir imports)
            body = "".join(TESTS.format(n=n, i=i, where=where) for i in range(3))
            (folder / f"test_{n}.py").write_text(body)


def test_the_console_package_runs_in_one_process_with_its_package_fixtures_set_up_once(
    tmp_path,
):
    tree = tmp_path / "tree"
    write_tree(tree)
    setups, ran = tmp_path / "setups", tmp_path / "ran"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "ZORGTAFEL_"))}
    env |= {"SETUPS": str(setups), "RAN": str(ran)}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "--no-loadscope-reorder",
            "tests",
        ],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = [line.split() for line in ran.read_text().splitlines()]
    assert len(lines) == 24  # every test ran, once
    console = Counter(worker for where, worker in lines if where == "tests/console")
    assert sum(console.values()) == 12 and len(console) == 1, console
    # the console's package fixture once in the run
    console_setups = [line for line in setups.read_text().splitlines() if "console" in line]
    assert len(console_setups) == 1, console_setups
    # the other files are units of their own: both processes had work
    assert {worker for _, worker in lines} == {"gw0", "gw1"}
